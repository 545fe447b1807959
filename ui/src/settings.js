// Model and settings: the model in use (and where text goes), another GGUF
// file, an optional remote server (its key kept in the OS keyring), engine
// and sampling settings, theme and language, data folder, keyboard
// shortcuts.
import { call } from "./api.js";
import { $, el, bytes, fmt, showError, toast } from "./dom.js";
import { t, setLanguage } from "./i18n.js";
import { state, changed, subscribe } from "./state.js";

let info = null;

export function showModel(status) {
  state.model = status;
  changed({ model: status });
  const chip = $("#model-chip");
  chip.dataset.state = status.state;
  const dest = $("#destination");
  if (status.state === "ready") {
    const m = status.model;
    chip.textContent = t("model.ready", { name: m.info.display_name || m.info.name });
    chip.title = `${m.info.path}`;
    dest.dataset.remote = status.remote ? "true" : "false";
    dest.textContent = status.remote ? t("dest.remote", { url: status.remote }) : t("dest.local");
    dest.title = status.remote ? t("dest.remote_hint") : t("dest.local_hint");
  } else if (status.state === "loading") {
    chip.textContent = t("model.loading");
    chip.title = status.path;
    dest.dataset.remote = "false";
    dest.textContent = t("dest.local");
    dest.title = t("dest.local_hint");
  } else {
    chip.textContent = t("model.failed");
    chip.title = status.message;
  }
  const dl = $("#model-info");
  if (status.state === "ready") {
    const m = status.model;
    const rows = [
      ["info.name", m.info.display_name || m.info.name],
      ["info.file", m.info.path],
      ["info.size", bytes(m.info.file_size)],
      ["info.architecture", m.info.architecture],
      ["info.parameters", m.info.parameters ? `${fmt(m.info.parameters / 1e6, 0)} M` : "–"],
      ["info.quantization", m.info.quantization],
      ["info.context", `${m.n_ctx} / ${m.info.context_length ?? "?"}`],
      ["info.template", t(`template.${m.template.source}`, { name: m.template.name ?? "" })],
    ];
    dl.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, t(k)), el("dd", {}, String(v ?? "–"))]));
  } else {
    dl.replaceChildren(el("dt", {}, t(status.state === "loading" ? "model.loading" : "model.failed")), el("dd", {}, status.message ?? status.path ?? ""));
  }
}

// The chip counts up while the model loads.
export function showLoadProgress(percent) {
  if (state.model?.state !== "loading") return;
  const chip = $("#model-chip");
  chip.textContent = `${t("model.loading")} ${percent}%`;
  chip.dataset.progress = String(percent);
}

const numeric = ["threads", "n_gpu_layers", "n_ctx"];
const sampling = ["temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed"];

async function loadSettings() {
  try {
    const s = await call("get_settings");
    const form = $("#settings-form");
    for (const k of numeric) form.elements[k].value = s[k] ?? "";
    for (const k of sampling) form.elements[k].value = s.sampling[k] ?? "";
    form.dataset.loaded = JSON.stringify(s);
    form.elements.threads.placeholder = info ? String(info.default_threads) : "";
  } catch (e) {
    showError(e);
  }
}

async function saveSettings(e) {
  e.preventDefault();
  const form = $("#settings-form");
  const old = JSON.parse(form.dataset.loaded || "{}");
  const num = (v) => (v === "" ? null : Number(v));
  const settings = { model: old.model ?? null, sampling: { ...(old.sampling ?? {}) } };
  for (const k of numeric) settings[k] = num(form.elements[k].value);
  for (const k of sampling) settings.sampling[k] = num(form.elements[k].value);
  for (const k of ["temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens"]) {
    if (settings.sampling[k] === null) settings.sampling[k] = old.sampling?.[k];
  }
  try {
    await call("save_settings", { settings });
    $("#settings-status").textContent = t("settings.saved_next_load");
    loadSettings();
  } catch (err) {
    showError(err);
  }
}

// The remote server card: what is saved, where its key is, and whether
// this run was launched with a server of its own.
async function loadRemote() {
  try {
    const r = await call("remote_settings");
    const form = $("#remote-form");
    form.elements.url.value = r.saved?.url ?? "";
    form.elements.model.value = r.saved?.model ?? "";
    form.elements.n_ctx.value = r.saved?.n_ctx ?? "";
    form.elements.key.value = "";
    form.dataset.saved = r.saved ? "true" : "false";
    $("#remote-key-state").textContent = r.saved
      ? r.key
        ? t("remote.key_stored", { where: t(`remote.where_${r.key}`) })
        : t("remote.key_none")
      : "";
    const launch = $("#remote-launch");
    launch.hidden = !r.launched_with;
    launch.textContent = r.launched_with ? t("remote.launched", { url: r.launched_with }) : "";
    $("#forget-key").hidden = !r.key || r.key === "environment";
  } catch (e) {
    showError(e);
  }
}

async function useRemote(e) {
  e.preventDefault();
  const form = $("#remote-form");
  const value = (name) => form.elements[name].value.trim();
  const remote = {
    url: value("url"),
    model: value("model") || null,
    n_ctx: value("n_ctx") === "" ? null : Number(value("n_ctx")),
    key: form.elements.key.value || null,
  };
  try {
    const status = await call("use_remote", { form: remote });
    toast(t("remote.now_remote", { url: status.remote ?? remote.url }));
  } catch (err) {
    showError(err);
  }
  loadRemote();
}

async function useLocal() {
  try {
    await call("use_local");
    toast(t("remote.now_local"));
  } catch (err) {
    showError(err);
  }
  loadRemote();
}

async function forgetKey() {
  try {
    await call("forget_remote_key", { url: $("#remote-form").elements.url.value.trim() });
    toast(t("remote.key_forgotten"));
  } catch (err) {
    showError(err);
  }
  loadRemote();
}

const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

// data-mode is what the page draws: the chosen theme, or the system's.
export function applyTheme(theme) {
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.dataset.mode = theme === "system" ? (systemDark.matches ? "dark" : "light") : theme;
}

systemDark.addEventListener("change", () => applyTheme(document.documentElement.dataset.theme ?? "system"));

async function savePrefs() {
  const prefs = { theme: $("#theme").value, language: $("#language").value };
  applyTheme(prefs.theme);
  setLanguage(prefs.language);
  changed({ language: prefs.language });
  try {
    await call("set_prefs", { prefs });
  } catch (e) {
    showError(e);
  }
}

function shortcuts() {
  const keys = [
    ["Enter", "keys.send"],
    ["Esc", "keys.stop"],
    ["Ctrl+O", "keys.open"],
    ["Ctrl+K", "keys.search"],
    ["Ctrl+N", "keys.new"],
    ["Ctrl+1 … Ctrl+7", "keys.tabs"],
  ];
  $("#shortcuts").replaceChildren(...keys.flatMap(([k, d]) => [el("dt", {}, el("kbd", {}, k)), el("dd", {}, t(d))]));
}

function dataInfo() {
  if (!info) return;
  $("#data-info").replaceChildren(
    el("dt", {}, t("info.data_dir")), el("dd", {}, info.data_dir),
    el("dt", {}, t("info.db")), el("dd", {}, info.db),
    el("dt", {}, t("info.version")), el("dd", {}, info.version),
  );
}

export async function initSettings(prefs) {
  info = await call("app_info");
  $("#theme").value = prefs.theme;
  $("#language").value = prefs.language;
  $("#theme").addEventListener("change", savePrefs);
  $("#language").addEventListener("change", savePrefs);
  $("#settings-form").addEventListener("submit", saveSettings);
  $("#remote-form").addEventListener("submit", useRemote);
  $("#use-local").addEventListener("click", useLocal);
  $("#forget-key").addEventListener("click", forgetKey);
  $("#pick-model").addEventListener("click", async () => {
    try {
      const status = await call("pick_model");
      if (status) toast(t("model.ready", { name: status.model?.info?.display_name || status.model?.info?.name || "" }));
    } catch (e) {
      showError(e);
    }
  });
  shortcuts();
  dataInfo();
  loadSettings();
  loadRemote();
  subscribe((what) => {
    if ("language" in what) {
      shortcuts();
      dataInfo();
      loadRemote();
      if (state.model) showModel(state.model);
    }
  });
}
