// What the page is showing: the current session, its open documents, and
// the tasks running (for Stop/Esc). Views subscribe to changes.
const listeners = new Set();

export const state = {
  session: null, // {id, title}
  documents: [], // DocumentView from the app
  running: new Map(), // task id -> {kind, stop()}
  model: null, // ModelStatus
  tab: "chat",
};

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function changed(what) {
  for (const fn of listeners) fn(what);
}
