// The sessions sidebar: list, search (Ctrl+K), new, rename, delete, open;
// and where the open session's text goes (its own choice or the settings').
import { call } from "./api.js";
import { $, el, showError } from "./dom.js";
import { t } from "./i18n.js";
import { state, changed } from "./state.js";

export async function refreshSessions() {
  try {
    const list = await call("list_sessions");
    const ul = $("#session-list");
    ul.replaceChildren(
      ...list.map((s) =>
        el(
          "li",
          { class: state.session?.id === s.id ? "active" : "", dataset: { id: s.id } },
          el("button", { class: "session-open", title: t("sessions.messages", { n: s.messages }), onclick: () => openSession(s.id) }, s.title),
          el("button", { class: "icon", title: t("sessions.rename"), "aria-label": t("sessions.rename"), onclick: () => rename(s) }, "✎"),
          el("button", { class: "icon", title: t("sessions.delete"), "aria-label": t("sessions.delete"), onclick: () => remove(s) }, "×"),
        ),
      ),
    );
  } catch (e) {
    showError(e);
  }
}

export async function openSession(id) {
  try {
    const view = await call("open_session", { id });
    state.session = { id: view.session.id, title: view.session.title };
    state.documents = [];
    for (const d of view.documents) {
      try {
        state.documents.push(await call("document_view", { session: id, id: d.id }));
      } catch (e) {
        showError(e);
      }
    }
    changed({ session: view });
    refreshSessions();
    applyBackend();
  } catch (e) {
    showError(e);
  }
}

export function newSession() {
  state.session = null;
  state.documents = [];
  changed({ session: null });
  refreshSessions();
  applyBackend();
}

// The session bar's choice: as in Settings, this computer, or the saved
// server (disabled when the launch fixed a server, or before the session
// exists).
export async function showSessionBackend() {
  const select = $("#session-dest");
  const id = state.session?.id;
  if (!id) {
    select.value = "follow";
    select.disabled = true;
    return;
  }
  try {
    const b = await call("session_backend", { session: id });
    const server = b.own?.kind === "remote" ? b.own.url : b.saved_remote?.url;
    const remote = select.querySelector('option[value="remote"]');
    remote.hidden = !server;
    remote.textContent = server ? t("dest.server", { url: server }) : "";
    select.value = b.own ? b.own.kind : "follow";
    select.disabled = Boolean(b.launched_with);
    select.title = b.launched_with ? t("remote.launched", { url: b.launched_with }) : "";
  } catch (e) {
    showError(e);
  }
}

// Moves the engine to where the open session sends its text.
async function applyBackend() {
  try {
    await call("apply_session_backend", { session: state.session?.id ?? null });
  } catch (e) {
    showError(e);
  }
  showSessionBackend();
}

async function chooseBackend() {
  const id = state.session?.id;
  if (!id) return;
  try {
    await call("set_session_backend", { session: id, choice: $("#session-dest").value });
  } catch (e) {
    showError(e);
  }
  showSessionBackend();
}

async function rename(s) {
  const title = window.prompt(t("sessions.rename_prompt"), s.title);
  if (!title || !title.trim()) return;
  try {
    const updated = await call("rename_session", { id: s.id, title });
    if (state.session?.id === s.id) {
      state.session.title = updated.title;
      changed({ title: updated.title });
    }
    refreshSessions();
  } catch (e) {
    showError(e);
  }
}

async function remove(s) {
  if (!window.confirm(t("sessions.delete_confirm", { title: s.title }))) return;
  try {
    await call("delete_session", { id: s.id });
    if (state.session?.id === s.id) newSession();
    refreshSessions();
  } catch (e) {
    showError(e);
  }
}

let searchTimer;
export function initSessions() {
  $("#session-dest").addEventListener("change", chooseBackend);
  $("#new-session").addEventListener("click", newSession);
  const box = $("#session-search");
  const hits = $("#search-hits");
  box.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
      const q = box.value.trim();
      if (!q) {
        hits.hidden = true;
        return;
      }
      try {
        const found = await call("search", { query: q });
        hits.replaceChildren(
          ...(found.length
            ? found.map((h) =>
                el(
                  "li",
                  {},
                  el(
                    "button",
                    {
                      onclick: () => {
                        if (h.session_id) openSession(h.session_id);
                        box.value = "";
                        hits.hidden = true;
                      },
                    },
                    el("strong", {}, h.title),
                    el("small", {}, ` · ${h.location}`),
                    el("div", { class: "snippet" }, h.snippet),
                  ),
                ),
              )
            : [el("li", { class: "muted" }, t("sessions.no_hits"))]),
        );
        hits.hidden = false;
      } catch (e) {
        showError(e);
      }
    }, 150);
  });
  box.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      box.value = "";
      hits.hidden = true;
    }
  });
}
