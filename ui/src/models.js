// The Models page: the models this computer has (use, remove), downloads
// with a bar (speed, time left; pause, resume, cancel), a download by
// Hugging Face address, and the catalog marked fits / tight / too large
// for the memory free now. Also the first-run hint in the chat panel when
// the default model is in use and the computer can hold a bigger one.
import { call, listen } from "./api.js";
import { $, el, bytes, fmt, showError, toast } from "./dom.js";
import { t } from "./i18n.js";
import { state, subscribe } from "./state.js";

let view = null;
// file name -> the last progress event, for downloads running now.
const running = new Map();

function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function progressText(p) {
  if (p.stage === "resuming") return t("models.resuming", { done: bytes(p.done) });
  if (p.stage === "verifying") return t("models.verifying");
  if (p.stage === "retrying") return t("models.retrying", { done: bytes(p.done), attempt: p.attempt + 1 });
  const pct = p.total ? `${Math.floor((p.done * 100) / p.total)}%` : "";
  const of = p.total ? t("models.of", { done: bytes(p.done), total: bytes(p.total) }) : bytes(p.done);
  const left = p.seconds_left !== null && p.seconds_left !== undefined ? t("models.left", { time: duration(p.seconds_left) }) : "";
  return [pct, of, `${bytes(p.bytes_per_sec)}/s`, left].filter(Boolean).join(" · ");
}

async function refresh() {
  try {
    view = await call("models_overview");
  } catch (e) {
    showError(e);
    return;
  }
  render();
  hint();
}

async function pull(what, fileName) {
  running.set(fileName, null);
  renderDownloads();
  try {
    const r = await call("models_pull", { what });
    toast(r.already_here ? t("models.already", { name: r.file_name }) : t("models.saved", { name: r.file_name }));
  } catch (e) {
    if (e.code === "paused") toast(t("models.paused_toast"));
    else if (e.code !== "cancelled") showError(e);
  } finally {
    running.delete(fileName);
  }
  refresh();
}

function downloadRow(fileName, p, partialBytes) {
  const live = running.has(fileName);
  const bar = el("progress", { max: String(p?.total ?? 1), value: String(p?.done ?? 0) });
  const text = live ? (p ? progressText(p) : t("models.starting")) : t("models.paused", { done: bytes(partialBytes ?? 0) });
  const buttons = live
    ? [
        el("button", { dataset: { act: "pause" }, onclick: () => call("models_pause", { fileName }).catch(showError) }, t("models.pause")),
        el("button", { class: "danger", dataset: { act: "cancel" }, onclick: () => call("models_cancel", { fileName }).catch(showError) }, t("common.cancel")),
      ]
    : [
        el("button", { class: "primary", dataset: { act: "resume" }, onclick: () => resume(fileName) }, t("models.resume")),
        el("button", { class: "danger", dataset: { act: "cancel" }, onclick: () => call("models_cancel", { fileName }).then(refresh).catch(showError) }, t("common.cancel")),
      ];
  return el("li", { class: "download", dataset: { file: fileName, state: live ? "running" : "paused" } },
    el("strong", {}, fileName), bar, el("span", { class: "muted download-text" }, text), el("span", { class: "row" }, buttons));
}

// A paused download resumes from the catalog entry or address it came from.
function resume(fileName) {
  const entry = view?.catalog.find((c) => c.file_name === fileName);
  const remembered = localStorage.getItem(`download:${fileName}`);
  const what = entry?.id ?? remembered;
  if (!what) {
    toast(t("models.resume_unknown", { name: fileName }), "error");
    return;
  }
  pull(what, fileName);
}

function renderDownloads() {
  const list = $("#downloads");
  const rows = [];
  for (const [name, p] of running) rows.push(downloadRow(p?.file ?? name, p));
  for (const part of view?.partial ?? []) {
    if (!running.has(part.file_name) && !part.running) rows.push(downloadRow(part.file_name, null, part.bytes));
  }
  list.replaceChildren(...rows);
  $("#downloads-title").hidden = rows.length === 0;
}

function render() {
  if (!view) return;
  $("#models-memory").textContent = (view.available_bytes
    ? t("models.memory", { free: bytes(view.available_bytes), dir: view.models_dir, endpoint: view.endpoint })
    : t("models.memory_unknown", { dir: view.models_dir, endpoint: view.endpoint }))
    + (view.gpu ? ` ${t("models.gpu", { name: view.gpu.name, free: bytes(view.gpu.free) })}` : "");
  $("#installed").replaceChildren(
    ...view.installed.map((m) => {
      const name = m.info?.display_name ?? m.path.split("/").pop();
      const from = m.pulled_from ? t("models.from", { repo: m.pulled_from.repo }) : m.found_as ? `${m.source}: ${m.found_as}` : m.source;
      const facts = m.info ? `${m.info.architecture} · ${m.info.quantization} · ${bytes(m.info.file_size)}` : t("models.unreadable", { why: m.error ?? "" });
      return el("tr", { dataset: { path: m.path, selected: String(m.selected) } },
        el("td", {}, el("strong", {}, name), m.selected ? el("span", { class: "chip" }, t("models.in_use")) : null),
        el("td", { class: "muted" }, facts),
        el("td", { class: "muted", title: m.path }, from),
        el("td", {}, el("span", { class: "row" },
          m.selected || !m.info ? null : el("button", { dataset: { act: "use" }, onclick: () => use(m.path) }, t("models.use")),
          m.removable && !m.selected ? el("button", { class: "danger", dataset: { act: "remove" }, onclick: () => remove(m.path, name) }, t("models.remove")) : null)));
    }));
  $("#catalog").replaceChildren(
    ...view.catalog.map((c) => {
      const fit = c.fit ? el("span", { class: "fit", dataset: { fit: c.fit.fit } }, t(`fit.${c.fit.fit}`), c.fit.context ? ` · ${fmt(c.fit.context / 1024, 0)}K` : "", c.fit.on_gpu ? " · GPU" : "") : "–";
      const busy = running.has(c.file_name);
      return el("tr", { dataset: { id: c.id, best: String(c.id === view.best_fit) } },
        el("td", {}, el("strong", {}, c.name), c.id === view.best_fit ? el("span", { class: "chip" }, t("models.best")) : null,
          el("div", { class: "muted" }, `${c.good_at.join(", ")} · ${c.languages.join(", ")} · ${c.licence}`)),
        el("td", {}, `${c.parameters_b} B · ${c.quantization}`),
        el("td", {}, bytes(c.estimated_bytes)),
        el("td", {}, fit),
        el("td", {}, c.installed
          ? el("span", { class: "muted" }, t("models.installed"))
          : el("button", { class: "primary", disabled: busy, dataset: { act: "download" }, onclick: () => pull(c.id, c.file_name) }, t("models.download"))));
    }));
  renderDownloads();
}

async function use(path) {
  try {
    const status = await call("models_use", { path });
    toast(t("model.ready", { name: status.model?.info?.display_name ?? "" }));
  } catch (e) {
    showError(e);
  }
  refresh();
}

async function remove(path, name) {
  if (!window.confirm(t("models.remove_confirm", { name }))) return;
  try {
    await call("models_rm", { path });
    toast(t("models.removed", { name }));
  } catch (e) {
    showError(e);
  }
  refresh();
}

// The first-run hint: the default model is in use and a bigger one fits.
function hint() {
  const box = $("#model-hint");
  const best = view?.catalog.find((c) => c.id === view.best_fit);
  const inUse = state.model?.state === "ready" && !state.model.remote ? state.model.model.info : null;
  const small = inUse && inUse.parameters && inUse.parameters < 1e9;
  const show = Boolean(best && small && best.parameters_b * 1e9 > inUse.parameters * 2 && localStorage.getItem("hint:models") !== "dismissed");
  box.hidden = !show;
  if (!show) return;
  $("#model-hint-text").textContent = t("models.hint", { name: best.name, size: bytes(best.estimated_bytes) });
}

export function initModels() {
  $("#pull-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const what = $("#pull-what").value.trim();
    if (!what) return;
    const fileName = what.split("?")[0].split("/").pop();
    localStorage.setItem(`download:${fileName}`, what);
    $("#pull-what").value = "";
    pull(what, fileName);
  });
  $("#model-hint-open").addEventListener("click", () => document.querySelector('#tabs [data-tab="models"]').click());
  $("#model-hint-dismiss").addEventListener("click", () => {
    localStorage.setItem("hint:models", "dismissed");
    $("#model-hint").hidden = true;
  });
  listen("model-download", (e) => {
    const p = { ...e.progress, file: e.file_name };
    running.set(e.file_name, p);
    const row = document.querySelector(`#downloads li[data-file="${CSS.escape(e.file_name)}"]`);
    if (row) {
      const bar = row.querySelector("progress");
      bar.setAttribute("max", String(p.total ?? 1));
      bar.setAttribute("value", String(p.done));
      row.querySelector(".download-text").textContent = progressText(p);
    } else {
      renderDownloads();
    }
  });
  subscribe((what) => {
    if ("tab" in what && state.tab === "models") refresh();
    if ("language" in what) render();
    // A model loaded or switched: the hint and the "in use" mark follow.
    if ("model" in what) {
      if (view && state.tab === "models") refresh();
      else if (view) hint();
    }
  });
  refresh();
}
