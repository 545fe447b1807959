// Spreadsheets: a virtual grid (only visible rows are in the page, rows
// fetched in pages, so 200,000 rows scroll smoothly), profile cards, the
// question box, and the answer with its working, highlighted cells and
// chart. Every number shown is computed by the app from the cells.
import { call, callSendingFiles, newTask } from "./api.js";
import { $, $$, el, fmt, showError } from "./dom.js";
import { t } from "./i18n.js";
import { renderSvg } from "./markdown.js";
import { state, subscribe } from "./state.js";
import { appendExchange } from "./chat.js";

const ROW_H = 26;
const COL_W = 128;
const PAGE = 200;

let current = null; // {doc, view, sheet}
let pages = new Map(); // page index -> RowsPage
let highlight = []; // [{sheet, r0, c0, r1, c1}]

function colName(c) {
  let s = "";
  c += 1;
  while (c > 0) {
    const m = (c - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    c = Math.floor((c - 1) / 26);
  }
  return s;
}

function parseA1(a1) {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(a1.trim());
  if (!m) return null;
  let c = 0;
  for (const ch of m[1]) c = c * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[2]) - 1, c - 1];
}

// "Sheet1!A3:F40" or "'My sheet'!B2" -> a rectangle.
export function parseRange(range) {
  const bang = range.lastIndexOf("!");
  const sheet = bang >= 0 ? range.slice(0, bang).replace(/^'(.*)'$/, "$1").replace(/''/g, "'") : null;
  const [a, b] = range.slice(bang + 1).split(":");
  const p = parseA1(a);
  const q = b ? parseA1(b) : p;
  if (!p || !q) return null;
  return { sheet, r0: Math.min(p[0], q[0]), c0: Math.min(p[1], q[1]), r1: Math.max(p[0], q[0]), c1: Math.max(p[1], q[1]) };
}

function sheetDocs() {
  return state.documents.filter((d) => d.sheets);
}

function sheetSize() {
  return current.view.sheets.find((s) => s.name === current.sheet) ?? { rows: 0, columns: 0 };
}

async function page(i) {
  if (pages.has(i)) return pages.get(i);
  const p = call("sheet_rows", { session: current.doc.session, document: current.doc.id, sheet: current.sheet, start: i * PAGE, count: PAGE });
  pages.set(i, p);
  try {
    const got = await p;
    pages.set(i, got);
    return got;
  } catch (e) {
    pages.delete(i);
    throw e;
  }
}

function isHighlighted(r, c) {
  return highlight.some((h) => (!h.sheet || h.sheet === current.sheet) && r >= h.r0 && r <= h.r1 && c >= h.c0 && c <= h.c1);
}

let drawQueued = false;
function queueDraw() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    draw();
  });
}

async function draw() {
  const grid = $("#grid");
  if (!current) return;
  const { rows, columns } = sheetSize();
  const body = grid.querySelector(".grid-body");
  const first = Math.max(0, Math.floor(grid.scrollTop / ROW_H) - 5);
  const count = Math.ceil(grid.clientHeight / ROW_H) + 10;
  const last = Math.min(rows, first + count);
  const needed = new Set();
  for (let r = first; r < last; r++) needed.add(Math.floor(r / PAGE));
  const got = new Map();
  for (const i of needed) {
    const p = pages.get(i);
    if (p && !(p instanceof Promise)) got.set(i, p);
    else page(i).then(queueDraw, showError);
  }
  const frag = document.createDocumentFragment();
  for (let r = first; r < last; r++) {
    const pg = got.get(Math.floor(r / PAGE));
    const cells = pg ? pg.rows[r - pg.start] ?? [] : [];
    const formulas = pg ? new Set(pg.formulas.filter(([fr]) => fr === r).map(([, fc]) => fc)) : new Set();
    const row = el("div", { class: "grid-row", style: null, dataset: { row: r } });
    row.style.top = `${(r + 1) * ROW_H}px`;
    row.append(el("div", { class: "rownum" }, String(r + 1)));
    for (let c = 0; c < columns; c++) {
      const cls = ["cell"];
      if (isHighlighted(r, c)) cls.push("hl");
      if (formulas.has(c)) cls.push("formula");
      const v = cells[c] ?? "";
      row.append(el("div", { class: cls.join(" "), title: formulas.has(c) ? `${v} · ${t("sheets.formula")}` : v || null }, v));
    }
    frag.append(row);
  }
  body.replaceChildren(frag);
}

function buildGrid() {
  const grid = $("#grid");
  const { rows, columns } = sheetSize();
  const header = el("div", { class: "grid-row header" }, el("div", { class: "rownum" }, ""), ...Array.from({ length: columns }, (_, c) => el("div", { class: "cell" }, colName(c))));
  header.style.width = `${48 + columns * COL_W}px`;
  const spacer = el("div", { class: "grid-spacer" });
  spacer.style.height = `${(rows + 1) * ROW_H}px`;
  spacer.style.width = `${48 + columns * COL_W}px`;
  grid.replaceChildren(spacer, header, el("div", { class: "grid-body" }));
  grid.dataset.rows = rows;
  grid.scrollTop = 0;
  pages = new Map();
  queueDraw();
}

function showSheet(name) {
  current.sheet = name;
  $$("#sheet-tabs button").forEach((b) => b.classList.toggle("active", b.dataset.sheet === name));
  buildGrid();
}

function fact(label, value) {
  return value === null || value === undefined ? null : el("div", { class: "fact" }, el("span", {}, label), el("strong", {}, value));
}

function profileCards(view) {
  return view.profile.tables.map((tp, index) =>
    el(
      "div",
      { class: "table-card" },
      el("h3", {}, tp.title || tp.range),
      el("p", { class: "muted" }, `${tp.range} · ${t("sheets.rows_cols", { rows: tp.rows, cols: tp.columns.length })}`),
      ...tp.issues.map((i) => el("p", { class: "warn" }, i)),
      el(
        "div",
        { class: "col-cards" },
        ...tp.columns.map((c) => {
          const chart = el("div", { class: "chart" });
          return el(
            "div",
            { class: "col-card" },
            el("h4", {}, c.name, el("small", { class: "muted" }, ` ${c.kind}`)),
            fact("n", fmt(c.count, 0)),
            c.missing ? fact("∅", t("sheets.missing", { n: c.missing })) : null,
            fact("Σ", c.sum != null ? fmt(c.sum, 2) : null),
            fact("x̄", c.mean != null ? fmt(c.mean, 2) : null),
            fact("min", c.min != null ? fmt(c.min, 2) : null),
            fact("max", c.max != null ? fmt(c.max, 2) : null),
            c.date_range ? fact("⟷", `${c.date_range[0]} – ${c.date_range[1]}`) : null,
            c.top?.length ? fact("top", c.top.slice(0, 3).map(([v, n]) => `${v} (${n})`).join(", ")) : null,
            c.formula_cells ? fact("ƒ", `${c.formula_cells} · ${t("sheets.formula")}`) : null,
            el("button", {
              class: "small",
              onclick: async () => {
                try {
                  const svg = await call("column_chart", { session: current.doc.session, document: current.doc.id, table: index, column: c.name });
                  if (svg) renderSvg(chart, svg);
                } catch (e) {
                  showError(e);
                }
              },
            }, t("sheets.chart")),
            chart,
          );
        }),
      ),
    ),
  );
}

async function openDoc(doc) {
  try {
    const view = await call("sheet_view", { session: doc.session, document: doc.id });
    current = { doc, view, sheet: view.sheets[0]?.name };
    highlight = [];
    $("#sheet-tabs").replaceChildren(...view.sheets.map((s) => el("button", { dataset: { sheet: s.name }, onclick: () => showSheet(s.name) }, s.name)));
    $("#profile").replaceChildren(...profileCards(view));
    $("#sheet-answer").replaceChildren();
    if (current.sheet) showSheet(current.sheet);
  } catch (e) {
    showError(e);
  }
}

function refreshList() {
  const docs = sheetDocs();
  $("#sheet-empty").hidden = docs.length > 0;
  $("#sheet-ui").hidden = docs.length === 0;
  const sel = $("#sheet-doc");
  sel.replaceChildren(...docs.map((d) => el("option", { value: d.id }, d.name)));
  if (!docs.length) {
    current = null;
    return;
  }
  const keep = docs.find((d) => d.id === current?.doc.id) ?? docs[docs.length - 1];
  sel.value = keep.id;
  if (current?.doc.id !== keep.id) openDoc(keep);
}

function jumpTo(h) {
  if (h.sheet && h.sheet !== current.sheet && current.view.sheets.some((s) => s.name === h.sheet)) showSheet(h.sheet);
  $("#grid").scrollTop = Math.max(0, (h.r0 - 2) * ROW_H);
  $("#grid").scrollLeft = Math.max(0, (h.c0 - 1) * COL_W);
  queueDraw();
}

async function ask(question) {
  if (!current) return;
  const box = $("#sheet-answer");
  box.dataset.state = "running";
  box.replaceChildren(el("div", { class: "spinner" }));
  const task = newTask("sheet");
  state.running.set(task, { kind: "sheet", stop: () => call("cancel_task", { task }) });
  try {
    const res = await callSendingFiles("ask_sheet", { session: current.doc.session, document: current.doc.id, question, task });
    if (!res.answer) {
      // Not read whole: what was understood, the words that were not, and
      // the likely readings to click.
      const r = res.reading;
      const pick = (alt) => {
        $("#sheet-q").value = alt.question;
        ask(alt.question);
      };
      box.replaceChildren(
        el("p", { class: "warn" }, t("sheets.not_answered")),
        el("p", {}, el("strong", {}, `${t("sheets.read_as")}: `), r.understood),
        r.unmatched.length
          ? el("p", {}, el("strong", {}, `${t("sheets.unmatched")}: `), ...r.unmatched.map((w) => el("span", { class: "unmatched" }, w)))
          : el("p", { class: "muted" }, t("sheets.plan_left_out")),
        r.alternatives.length
          ? el("div", { class: "readings" }, el("strong", {}, `${t("sheets.readings")}: `), ...r.alternatives.map((a) => el("button", { class: "reading", title: a.understood, onclick: () => pick(a) }, a.question)))
          : el("p", { class: "muted" }, t("sheets.rephrase")),
      );
      box.dataset.state = "declined";
      box.dataset.unmatched = JSON.stringify(r.unmatched);
      delete box.dataset.value;
      appendExchange(question, res.declined);
      return;
    }
    const a = res.answer;
    highlight = a.cells.map(parseRange).filter(Boolean);
    const chart = el("div", { class: "chart" });
    if (res.chart) renderSvg(chart, res.chart);
    box.replaceChildren(
      el("p", { class: "sentence" }, a.sentence),
      el("p", {}, el("strong", {}, `${t("sheets.computed")}: `), a.working),
      el("p", {}, el("strong", {}, `${t("sheets.cells")}: `), ...a.cells.map((c) => el("button", { class: "cite", onclick: () => { const h = parseRange(c); if (h) jumpTo(h); } }, c))),
      ...a.notes.map((n) => el("p", { class: "muted" }, n)),
      el("p", { class: "muted" }, res.planned_by === "model" ? t("sheets.planned_model") : t("sheets.planned_phrase")),
      chart,
      writeBack(current.doc, res.table_index, a.plan, question),
    );
    box.dataset.state = "done";
    box.dataset.value = JSON.stringify(a.outcome);
    if (highlight[0]) jumpTo(highlight[0]);
    queueDraw();
    appendExchange(question, a.sentence);
  } catch (e) {
    box.replaceChildren(el("p", { class: "warn" }, e.message));
    box.dataset.state = "failed";
    if (e.code !== "not_understood") showError(e);
  } finally {
    state.running.delete(task);
  }
}

/// The button that writes the answer to a copy of the workbook (its
/// sheets untouched, one sheet added with the result as live formulas),
/// and what was written.
function writeBack(doc, table, plan, question) {
  const status = el("span", { class: "muted", id: "write-back-status" });
  const button = el("button", { id: "write-back", title: t("sheets.write_back_title") }, t("sheets.write_back"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "";
    try {
      const w = await call("write_back_analysis", { session: doc.session, document: doc.id, table, plan, question });
      status.textContent = t("sheets.written_back", { name: w.name, sheet: w.sheet, formulas: w.formulas })
        + (w.as_values.length ? ` ${t("sheets.written_values", { n: w.as_values.length })}` : "");
      status.dataset.out = w.out;
    } catch (e) {
      status.textContent = e.message;
      button.disabled = false;
      showError(e);
    }
  });
  return el("p", { class: "row" }, button, " ", status);
}

export function initSheets() {
  $("#grid").addEventListener("scroll", queueDraw, { passive: true });
  window.addEventListener("resize", queueDraw);
  $("#sheet-doc").addEventListener("change", (e) => {
    const doc = sheetDocs().find((d) => String(d.id) === e.target.value);
    if (doc) openDoc(doc);
  });
  $("#sheet-ask").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = $("#sheet-q").value.trim();
    if (q) ask(q);
  });
  subscribe((what) => {
    if ("session" in what || "documents" in what) refreshList();
    if ("tab" in what && what.tab === "sheets") queueDraw();
  });
}
