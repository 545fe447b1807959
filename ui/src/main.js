// Starts the page: preferences (theme, language), the model's status, the
// views, keyboard shortcuts, dropped files and files from the command line.
// The window is usable at once; the model loads in the background.
import { call, listen } from "./api.js";
import { $, $$, showError } from "./dom.js";
import { setLanguage } from "./i18n.js";
import { state, changed } from "./state.js";
import { initSessions, refreshSessions, newSession, showSessionBackend } from "./sessions.js";
import { initChat, stopAll } from "./chat.js";
import { initDocuments, openPaths, pickAndOpen } from "./documents.js";
import { initDrafts } from "./drafts.js";
import { initSheets } from "./sheets.js";
import { initDetect } from "./detect.js";
import { initModels } from "./models.js";
import { initSettings, showModel, showLoadProgress, applyTheme } from "./settings.js";

function showTab(name) {
  state.tab = name;
  for (const b of $$("#tabs [data-tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  for (const p of $$(".panel")) p.hidden = p.dataset.panel !== name;
  changed({ tab: name });
}

function keys(e) {
  const mod = e.ctrlKey || e.metaKey;
  if (e.key === "Escape" && state.running.size) {
    e.preventDefault();
    stopAll();
  } else if (mod && e.key.toLowerCase() === "o") {
    e.preventDefault();
    pickAndOpen();
  } else if (mod && e.key.toLowerCase() === "k") {
    e.preventDefault();
    $("#session-search").focus();
  } else if (mod && e.key.toLowerCase() === "n") {
    e.preventDefault();
    newSession();
  } else if (mod && /^[1-7]$/.test(e.key)) {
    e.preventDefault();
    showTab($$("#tabs [data-tab]")[Number(e.key) - 1].dataset.tab);
  }
}

function title(what) {
  if ("session" in what || "title" in what || "sessionCreated" in what) {
    $("#session-title").textContent = state.session?.title ?? "";
  }
  if ("sessionCreated" in what || "language" in what) showSessionBackend();
}

async function start() {
  const prefs = await call("get_prefs").catch(() => ({ theme: "system", language: "en" }));
  applyTheme(prefs.theme);
  setLanguage(prefs.language);
  for (const b of $$("#tabs [data-tab]")) b.addEventListener("click", () => showTab(b.dataset.tab));
  document.addEventListener("keydown", keys);
  initSessions();
  initChat();
  initDocuments();
  initDrafts();
  initSheets();
  initDetect();
  initModels();
  await initSettings(prefs);
  const { subscribe } = await import("./state.js");
  subscribe(title);
  showTab("chat");
  await listen("model-status", showModel);
  await listen("model-load-progress", showLoadProgress);
  showModel(await call("model_status"));
  await listen("files-dropped", (paths) => openPaths(paths));
  await refreshSessions();
  const files = await call("startup_files");
  if (files.length) {
    await openPaths(files);
    showTab("documents");
  }
  $("#app").dataset.ready = "true";
}

start().catch(showError);
