// The page's one door to the app: Tauri's invoke and Channels. Errors come
// back as {code, message} and are rethrown as AppError.
const tauri = window.__TAURI__;

export class AppError extends Error {
  constructor(e) {
    const obj = typeof e === "object" && e !== null ? e : { code: "internal", message: String(e) };
    super(obj.message);
    this.code = obj.code;
  }
}

export async function call(cmd, args = {}) {
  try {
    return await tauri.core.invoke(cmd, args);
  } catch (e) {
    throw new AppError(e);
  }
}

// A command that may send files to a remote server: when the app says the
// server is not confirmed yet, ask the user once, remember, and retry.
export async function callSendingFiles(cmd, args = {}) {
  try {
    return await call(cmd, args);
  } catch (e) {
    if (e.code !== "confirm_remote" || !window.confirm(e.message)) throw e;
    await call("confirm_remote");
    return call(cmd, args);
  }
}

// A Channel whose messages go to `onMessage`.
export function channel(onMessage) {
  const ch = new tauri.core.Channel();
  ch.onmessage = onMessage;
  return ch;
}

export function listen(event, handler) {
  return tauri.event.listen(event, (e) => handler(e.payload));
}

let taskCounter = 0;
export function newTask(kind) {
  taskCounter += 1;
  return `${kind}-${Date.now()}-${taskCounter}`;
}
