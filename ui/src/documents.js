// Opened files: their extracted structure, summaries with progress, cancel
// and clickable citations that scroll to the passage, and questions.
import { AppError, call, callSendingFiles, channel, newTask } from "./api.js";
import { $, $$, el, fmt, showError, toast } from "./dom.js";
import { t } from "./i18n.js";
import { renderMarkdown } from "./markdown.js";
import { state, changed, subscribe } from "./state.js";
import { refreshSessions } from "./sessions.js";
import { appendExchange } from "./chat.js";

let shown = null; // id of the document in the panel

export async function pickAndOpen() {
  try {
    const paths = await call("pick_files");
    await openPaths(paths);
  } catch (e) {
    showError(e);
  }
}

export async function openPaths(paths) {
  const opened = [];
  for (const path of paths) {
    try {
      const doc = await call("open_file", { session: state.session?.id ?? null, path });
      if (!state.session || state.session.id !== doc.session) {
        state.session = { id: doc.session, title: doc.name };
        state.documents = [];
        changed({ sessionCreated: doc.session });
      }
      state.documents = state.documents.filter((d) => d.id !== doc.id).concat(doc);
      opened.push(doc);
      toast(t("docs.opened", { name: doc.name }));
    } catch (e) {
      showError(e);
    }
  }
  if (opened.length) {
    refreshSessions();
    const last = opened[opened.length - 1];
    changed({ documents: state.documents, opened: last });
  }
  return opened;
}

function blockNode(b) {
  const attrs = { class: `block ${b.kind}`, dataset: { loc: b.loc } };
  switch (b.kind) {
    case "heading":
      return el(`h${Math.min(6, (b.level ?? 1) + 1)}`, attrs, b.text);
    case "list_item":
      return el("p", { ...attrs, class: `${attrs.class} li` }, `• ${b.text}`);
    case "table":
      return el("pre", attrs, b.text);
    case "page":
    case "slide":
      return el("section", attrs, el("div", { class: "loc" }, b.loc), el("div", { class: "text" }, b.text));
    default:
      return el("p", attrs, b.text);
  }
}

function showDocument(doc) {
  shown = doc?.id ?? null;
  $("#doc-empty").hidden = !!doc;
  const body = $("#doc-body");
  if (!doc) {
    body.replaceChildren();
    $("#edit-box").hidden = true;
    return;
  }
  const head = el("div", { class: "doc-head" }, el("h2", {}, doc.title || doc.name), el("span", { class: "muted" }, `${doc.format} · ${doc.path}`));
  const warn = doc.warnings.length ? el("p", { class: "warn" }, t("docs.warnings", { list: doc.warnings.join("; ") })) : null;
  const blocks = doc.sheets
    ? [el("p", { class: "muted" }, doc.sheets.join(", "))]
    : doc.blocks.map(blockNode);
  body.replaceChildren(head, ...(warn ? [warn] : []), ...blocks);
  body.dataset.doc = doc.id;
  $("#edit-box").hidden = doc.format !== "docx";
  renderChips();
}

export function renderChips() {
  const box = $("#open-docs");
  box.replaceChildren(
    ...state.documents.map((d) =>
      el("button", { class: `doc-chip ${d.id === shown ? "active" : ""}`, dataset: { id: d.id }, title: d.path, onclick: () => showDocument(d) }, d.name),
    ),
  );
}

// Scrolls the panel to the block a citation names and flashes it: `at`,
// the first block's own location (citations stored before it existed name
// their first block at the start of `loc`).
export function goTo(file, loc, at) {
  const doc = state.documents.find((d) => d.name === file) ?? state.documents.find((d) => d.id === shown) ?? state.documents[0];
  if (!doc) return;
  document.querySelector('[data-tab="documents"]').click();
  if (doc.id !== shown) showDocument(doc);
  const first = (at || loc.split(" … ")[0]).trim();
  const target = $$("#doc-body [data-loc]").find((n) => n.dataset.loc === first) ?? $$("#doc-body [data-loc]").find((n) => n.dataset.loc.startsWith(first));
  if (!target) return;
  $$("#doc-body .flash").forEach((n) => n.classList.remove("flash"));
  target.classList.add("flash");
  target.scrollIntoView({ block: "center" });
  $("#doc-body").dataset.cited = first;
}

function citeButton(s, many) {
  const label = many ? `${s.file}, ${s.loc}` : s.loc;
  return el("button", { class: "cite", dataset: { file: s.file, loc: s.loc, at: s.at ?? "" }, onclick: () => goTo(s.file, s.loc, s.at) }, `[${label}]`);
}

function progressText(p) {
  const what = p.stage === "read" ? t("progress.read") : t(p.stage === "map" ? "progress.map" : "progress.reduce", { step: p.step, steps: p.steps });
  const time = p.eta_ms != null
    ? t("progress.eta", { elapsed: fmt(p.elapsed_ms / 1000, 0), eta: fmt(p.eta_ms / 1000, 0) })
    : t("progress.elapsed", { elapsed: fmt(p.elapsed_ms / 1000, 0) });
  return `${what} · ${time}`;
}

async function summarize() {
  if (!state.session || !state.documents.length) {
    showError(new AppError({ code: "no_documents", message: t("docs.empty") }));
    return;
  }
  const task = newTask("summary");
  const list = $("#sum-points-list");
  const stream = $("#sum-stream");
  const bar = $("#sum-progress");
  const status = $("#sum-status");
  list.replaceChildren();
  stream.textContent = "";
  bar.hidden = false;
  bar.value = 0;
  $("#summarize").disabled = true;
  $("#sum-cancel").hidden = false;
  const panel = $("[data-panel=documents]");
  panel.dataset.summary = "running";
  state.running.set(task, { kind: "summary", stop: () => call("cancel_task", { task }) });
  const onEvent = channel((m) => {
    if (m.event === "progress") {
      bar.value = m.steps ? m.step / m.steps : 0;
      status.textContent = progressText(m);
    } else if (m.event === "token") {
      stream.textContent += m.text;
      stream.dataset.tokens = String(Number(stream.dataset.tokens ?? 0) + 1);
    }
  });
  try {
    const pointsRaw = $("#sum-points").value;
    const view = await callSendingFiles("summarize", {
      session: state.session.id,
      documents: state.documents.map((d) => d.id),
      style: $("#sum-style").value,
      points: pointsRaw ? Number(pointsRaw) : null,
      language: $("#sum-lang").value.trim() || null,
      task,
      onEvent,
    });
    const s = view.summary;
    const many = new Set(s.points.flatMap((p) => p.sources.map((x) => x.file))).size > 1;
    list.replaceChildren(
      ...s.points.map((p) => el("li", {}, el("span", { class: "point" }, p.text), " ", ...p.sources.map((x) => citeButton(x, many)))),
    );
    stream.textContent = "";
    const notes = [s.complete ? t("sum.done", { n: s.points.length, chunks: s.chunks, passes: s.passes }) : t("sum.stopped")];
    if (s.stats.dropped_points || s.stats.invalid_citations) {
      notes.push(t("sum.corrected", { dropped: s.stats.dropped_points, invalid: s.stats.invalid_citations }));
    }
    const u = s.stats.unsupported;
    if (u && u.sentences.length) {
      notes.push(t("sum.unsupported", { trimmed: u.trimmed, rewritten: u.rewritten, dropped: u.dropped }));
    }
    status.textContent = notes.join(" · ");
    bar.value = 1;
    appendExchange(`Summarize ${state.documents.map((d) => d.name).join(", ")}`, view.text);
    panel.dataset.summary = s.complete ? "done" : "stopped";
  } catch (e) {
    panel.dataset.summary = "failed";
    status.textContent = "";
    showError(e);
  } finally {
    state.running.delete(task);
    $("#summarize").disabled = false;
    $("#sum-cancel").hidden = true;
    bar.hidden = true;
    refreshSessions();
  }
}

async function ask(question) {
  if (!state.session || !state.documents.length) {
    showError(new AppError({ code: "no_documents", message: t("docs.empty") }));
    return;
  }
  const task = newTask("ask");
  const box = $("#ask-answer");
  box.dataset.state = "running";
  box.replaceChildren(el("div", { class: "spinner" }));
  state.running.set(task, { kind: "ask", stop: () => call("cancel_task", { task }) });
  try {
    const view = await callSendingFiles("ask_files", { session: state.session.id, documents: state.documents.map((d) => d.id), question, task });
    const a = view.answer;
    const text = el("div", { class: "markdown" });
    renderMarkdown(text, a.found ? a.text : t("docs.not_found"));
    const many = new Set(a.sources.map((s) => s.file)).size > 1;
    const ranked = a.passages.length ? [el("p", { class: "muted ranking" }, t(a.retrieval === "hybrid" ? "docs.ranked_hybrid" : "docs.ranked_keywords"))] : [];
    box.replaceChildren(text, ...(a.sources.length ? [el("div", { class: "sources" }, `${t("docs.sources")}: `, ...a.sources.map((s) => citeButton(s, many)))] : []), ...ranked);
    box.dataset.state = a.found ? "found" : "not_found";
    appendExchange(question, a.text);
  } catch (e) {
    box.replaceChildren();
    box.dataset.state = "failed";
    showError(e);
  } finally {
    state.running.delete(task);
  }
}

// Edits the shown Word document into a copy with tracked changes.
async function editDocument() {
  const doc = state.documents.find((d) => d.id === shown);
  if (!state.session || !doc) return;
  const task = newTask("edit");
  const bar = $("#edit-progress");
  const status = $("#edit-status");
  const list = $("#edit-result");
  const box = $("#edit-box");
  list.replaceChildren();
  status.textContent = "";
  bar.hidden = false;
  bar.value = 0;
  $("#edit-run").disabled = true;
  $("#edit-cancel").hidden = false;
  box.dataset.state = "running";
  state.running.set(task, { kind: "edit", stop: () => call("cancel_task", { task }) });
  const onEvent = channel((m) => {
    if (m.event === "progress" && m.done < m.total) {
      bar.value = m.total ? m.done / m.total : 0;
      status.textContent = t("edit.progress", { loc: m.loc ?? t("edit.paragraph"), n: m.done + 1, total: m.total });
    }
  });
  try {
    const op = $("#edit-op").value;
    const view = await callSendingFiles("edit_document", {
      session: state.session.id,
      id: doc.id,
      op,
      to: op === "translate" ? $("#edit-to").value.trim() || null : null,
      place: $("#edit-place").value.trim() || null,
      comments: $("#edit-comments").checked,
      task,
      onEvent,
    });
    const r = view.report;
    if (r.cancelled) {
      status.textContent = t("edit.stopped");
      box.dataset.state = "stopped";
    } else {
      status.textContent = t("edit.done", { name: view.name, changed: view.paragraphs_changed, unchanged: r.unchanged, left: r.skipped.length });
      box.dataset.state = "done";
      box.dataset.out = view.out;
    }
    list.replaceChildren(
      ...r.changed.map((c) => el("li", { class: "changed" }, el("div", { class: "muted" }, t("edit.changed", { loc: c.loc ?? t("edit.paragraph") })), el("del", {}, c.before), " ", el("ins", {}, c.after))),
      ...r.skipped.map((s) => el("li", { class: "left muted" }, t("edit.left", { loc: s.loc ?? t("edit.paragraph"), why: s.why }))),
    );
  } catch (e) {
    box.dataset.state = "failed";
    status.textContent = "";
    showError(e);
  } finally {
    state.running.delete(task);
    $("#edit-run").disabled = false;
    $("#edit-cancel").hidden = true;
    bar.hidden = true;
    refreshSessions();
  }
}

export function initDocuments() {
  $("#edit-run").addEventListener("click", editDocument);
  $("#edit-cancel").addEventListener("click", () => {
    for (const [id, r] of state.running) if (r.kind === "edit") r.stop(id);
  });
  $("#edit-op").addEventListener("change", () => {
    $("#edit-to-label").hidden = $("#edit-op").value !== "translate";
  });
  $("#attach").addEventListener("click", pickAndOpen);
  $("#summarize").addEventListener("click", summarize);
  $("#sum-cancel").addEventListener("click", () => {
    for (const [id, r] of state.running) if (r.kind === "summary") r.stop(id);
  });
  $("#ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = $("#ask-q").value.trim();
    if (q) ask(q);
  });
  subscribe((what) => {
    if ("session" in what) {
      $("#sum-points-list").replaceChildren();
      $("#sum-status").textContent = "";
      $("#ask-answer").replaceChildren();
      showDocument(state.documents[0] ?? null);
      renderChips();
    }
    if ("opened" in what) {
      showDocument(what.opened);
    }
  });
}
