// Drafts: a template and its fields, a first draft streamed into the
// editor, rewrites of the selection (or the whole text), versions kept,
// export to .docx / .md, copy. What the user types is kept as they type
// (a second after they pause), so a crash or a closed window loses at most
// that second.
import { AppError, call, callSendingFiles, channel, newTask } from "./api.js";
import { $, $$, el, copyText, showError, toast } from "./dom.js";
import { language, t } from "./i18n.js";
import { renderMarkdown, streamingMarkdown } from "./markdown.js";
import { state, changed, subscribe } from "./state.js";
import { refreshSessions } from "./sessions.js";

let templates = [];
let draftId = null;

async function loadTemplates() {
  try {
    templates = await call("list_templates");
    const sel = $("#tpl");
    sel.replaceChildren(...templates.map((tpl) => el("option", { value: tpl.id }, tpl.name)));
    showFields();
  } catch (e) {
    showError(e);
  }
}

function showFields() {
  const tpl = templates.find((x) => x.id === $("#tpl").value);
  $("#tpl-desc").textContent = tpl?.description ?? "";
  $("#tpl-fields").replaceChildren(
    ...(tpl?.fields ?? []).map((f) =>
      el(
        "label",
        {},
        el("span", {}, f.label, f.required ? el("em", { class: "req" }, ` (${t("drafts.required")})`) : null),
        el("textarea", { name: f.key, rows: 2, placeholder: f.default ?? "" }),
      ),
    ),
  );
}

let previewTimer = 0;
function preview() {
  clearTimeout(previewTimer);
  previewTimer = 0;
  renderMarkdown($("#draft-preview"), $("#editor").value);
}

// While the user types, the preview follows once typing pauses: rendering
// a long draft whole takes longer than a keystroke may wait.
function previewSoon() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, 150);
}

// Typing not yet kept: the session it was typed in (null: none yet), set
// by the first keystroke after the last save.
let editSession;
let editTimer = 0;
// Saves run one after another, so a draft made by one is the next's.
let saving = Promise.resolve();
// The draft a save made for a session, for the saves queued behind it.
const made = new Map();

function editSoon() {
  if (editSession === undefined) editSession = state.session?.id ?? null;
  clearTimeout(editTimer);
  editTimer = setTimeout(keepEdits, 1000);
}

// Keeps typing not yet kept, at once, into the version of the current
// editing streak (save_draft with autosave); resolves when every save
// queued so far is done. Text typed with no session yet makes one.
function keepEdits() {
  clearTimeout(editTimer);
  editTimer = 0;
  if (editSession === undefined) return saving;
  const job = { session: editSession, draft: draftId, text: $("#editor").value };
  editSession = undefined;
  saving = saving.then(async () => {
    try {
      if (job.session === null) {
        if (!job.text.trim()) return;
        job.session = await makeSession("Draft");
      }
      job.draft ??= made.get(job.session) ?? null;
      const view = await call("save_draft", { session: job.session, draft: job.draft, text: job.text, autosave: true });
      made.set(job.session, view.draft);
      if (state.session?.id === job.session) {
        draftId ??= view.draft;
        $("#draft-status").textContent = t("drafts.kept", { v: view.version });
        $("#editor").dataset.kept = String(view.version);
        await showVersions();
      }
    } catch (e) {
      showError(e);
    }
  });
  return saving;
}

// The current draft's versions (oldest first), as the list shows them.
let versions = [];

// What made a version ({kind, op, to} from the core), in the page's words.
function originLabel(origin) {
  if (origin.kind === "rewrite") {
    const op = t(`op.${origin.op}`);
    const name = op === `op.${origin.op}` ? origin.op : op;
    return origin.to ? `${name}: ${origin.to}` : name;
  }
  return t(`drafts.origin_${origin.kind}`);
}

// Fills the version list, newest first; an earlier version can be brought
// back from it.
async function showVersions() {
  const sel = $("#draft-version");
  const draft = draftId;
  if (!draft) {
    versions = [];
    sel.replaceChildren();
    sel.disabled = true;
    return;
  }
  try {
    const d = await call("draft_versions", { draft });
    if (draftId !== draft) return; // another draft meanwhile
    versions = d.versions;
    const when = (ms) => new Date(ms).toLocaleString(language(), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
    sel.replaceChildren(
      ...[...versions].reverse().map((v) =>
        el("option", { value: String(v.version) }, t("drafts.version", { v: v.version, what: originLabel(v.origin), when: when(v.created_at) })),
      ),
    );
    sel.disabled = versions.length < 2;
  } catch (e) {
    showError(e);
  }
}

// Brings an earlier version's text back as the newest version: the text
// in the editor is kept first, so nothing is replaced.
async function restoreVersion() {
  const chosen = versions.find((v) => String(v.version) === $("#draft-version").value);
  const newest = versions[versions.length - 1];
  if (!chosen || !draftId || chosen.version === newest?.version) return;
  try {
    await keepEdits();
    const session = await ensureSession("Draft");
    const editor = $("#editor");
    await call("save_draft", { session, draft: draftId, text: editor.value });
    const saved = await call("save_draft", { session, draft: draftId, text: chosen.text });
    editor.value = chosen.text;
    preview();
    $("#draft-status").textContent = t("drafts.restored", { from: chosen.version, v: saved.version });
  } catch (e) {
    showError(e);
  }
  await showVersions();
}

// A session is needed to keep drafts; the first action makes one.
async function ensureSession(title) {
  return state.session ? state.session.id : makeSession(title);
}

// Makes a session; the page shows it unless another one was opened
// meanwhile (text typed with none open keeps to the one made for it).
async function makeSession(title) {
  const s = await call("create_session", { title });
  if (!state.session) {
    state.session = { id: s.id, title: s.title };
    changed({ sessionCreated: s.id });
  }
  refreshSessions();
  return s.id;
}

function running(kind, on) {
  // The model writes into the editor meanwhile; typing would be lost.
  $("#editor").readOnly = on;
  $("#draft-go").disabled = on;
  $("#draft-stop").hidden = !on;
  $$("#rewrite-bar button").forEach((b) => (b.disabled = on));
  $("#draft-version").disabled = on || versions.length < 2;
  $("[data-panel=drafts]").dataset.busy = on ? kind : "";
}

async function generate() {
  const tpl = templates.find((x) => x.id === $("#tpl").value);
  if (!tpl) return;
  const fields = {};
  for (const input of $$("#tpl-fields [name]")) fields[input.name] = input.value;
  await keepEdits();
  const task = newTask("draft");
  const editor = $("#editor");
  let live = null;
  // The finished draft is painted (a paint still waiting is dropped).
  const finishLive = (text) => (live ? live.finish(text) : preview());
  try {
    const session = await ensureSession(`${tpl.name} draft`);
    editor.value = "";
    running("draft", true);
    state.running.set(task, { kind: "draft", stop: () => call("cancel_task", { task }) });
    // The preview follows the draft as it is written, once per frame, its
    // last block only (streamingMarkdown).
    live = streamingMarkdown($("#draft-preview"));
    const onEvent = channel((m) => {
      if (m.event !== "token") return;
      editor.value += m.text;
      live.paintSoon(editor.value);
    });
    const documents = $("#tpl-use-docs").checked ? state.documents.map((d) => d.id) : [];
    const view = await callSendingFiles("draft", { session, template: tpl.id, fields, documents, maxTokens: null, task, onEvent });
    draftId = view.draft;
    editor.value = view.text;
    finishLive(view.text);
    $("#draft-sources").textContent = view.sources.length ? t("drafts.sources", { list: view.sources.map((s) => `${s.file}, ${s.loc}`).join("; ") }) : "";
    $("#draft-status").textContent = t("drafts.saved", { v: view.version });
    await showVersions();
  } catch (e) {
    finishLive(editor.value);
    showError(e);
  } finally {
    state.running.delete(task);
    running("", false);
  }
}

async function rewrite(op) {
  const editor = $("#editor");
  const [a, b] = [editor.selectionStart, editor.selectionEnd];
  const whole = a === b;
  const text = whole ? editor.value : editor.value.slice(a, b);
  if (!text.trim()) {
    showError(new AppError({ code: "empty_text", message: t("drafts.editor") }));
    return;
  }
  const to = $("#translate-to").value.trim() || null;
  const task = newTask("rewrite");
  try {
    running("rewrite", true);
    await keepEdits();
    const session = await ensureSession("Draft");
    state.running.set(task, { kind: "rewrite", stop: () => call("cancel_task", { task }) });
    const onEvent = channel(() => {});
    const before = editor.value;
    // The whole text before the rewrite is kept as a version of its own.
    const view = await call("rewrite", { session, draft: draftId, op, to, text, whole: before, task, onEvent });
    draftId = view.draft;
    editor.value = whole ? view.text : before.slice(0, a) + view.text + before.slice(b);
    preview();
    // The whole editor text after the rewrite is kept as its own version.
    if (!whole) {
      const saved = await call("save_draft", { session, draft: draftId, text: editor.value });
      $("#draft-status").textContent = t("drafts.saved", { v: saved.version });
    } else {
      $("#draft-status").textContent = t("drafts.saved", { v: view.version });
    }
    await showVersions();
  } catch (e) {
    showError(e);
  } finally {
    state.running.delete(task);
    running("", false);
  }
}

async function save() {
  try {
    await keepEdits();
    const session = await ensureSession("Draft");
    const view = await call("save_draft", { session, draft: draftId, text: $("#editor").value });
    draftId = view.draft;
    $("#draft-status").textContent = t("drafts.saved", { v: view.version });
    await showVersions();
  } catch (e) {
    showError(e);
  }
}

async function exportAs(format) {
  try {
    const path = await call("export_draft", { text: $("#editor").value, format });
    if (path) toast(t("drafts.exported", { path }));
  } catch (e) {
    showError(e);
  }
}

export function initDrafts() {
  $("#tpl").addEventListener("change", showFields);
  $("#draft-go").addEventListener("click", generate);
  $("#draft-stop").addEventListener("click", () => {
    for (const r of state.running.values()) if (r.kind === "draft" || r.kind === "rewrite") r.stop();
  });
  for (const b of $$("#rewrite-bar button")) b.addEventListener("click", () => rewrite(b.dataset.op));
  $("#editor").addEventListener("input", () => {
    previewSoon();
    editSoon();
  });
  $("#draft-save").addEventListener("click", save);
  $("#draft-version").addEventListener("change", restoreVersion);
  $("#draft-copy").addEventListener("click", async () => {
    await copyText($("#editor").value);
    toast(t("chat.copied"));
  });
  $("#export-docx").addEventListener("click", () => exportAs("docx"));
  $("#export-md").addEventListener("click", () => exportAs("md"));
  subscribe((what) => {
    if ("session" in what) {
      // Typing not yet kept belongs to the session left: keep it first.
      keepEdits();
      const drafts = what.session?.drafts ?? [];
      const last = drafts[drafts.length - 1];
      draftId = last?.id ?? null;
      showVersions();
      $("#editor").value = last ? last.versions[last.versions.length - 1].text : "";
      $("#draft-status").textContent = "";
      preview();
    }
    if ("language" in what) {
      showFields();
      showVersions();
    }
  });
  loadTemplates();
}
