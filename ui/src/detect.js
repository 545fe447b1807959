// The AI-text detector: five levels (or too short), sentence highlighting
// by probability, the sentences that weighed most underlined, and the note
// that it is a hint, not proof.
import { call, newTask } from "./api.js";
import { $, el, fmt, showError } from "./dom.js";
import { t } from "./i18n.js";
import { state, subscribe } from "./state.js";
import { openPaths } from "./documents.js";

let last = null;

function render() {
  const box = $("#detect-result");
  if (!last) {
    box.replaceChildren();
    return;
  }
  const { text, verdict: v } = last;
  const sentences = el("p", { class: "sentences" });
  let at = 0;
  const enc = new TextEncoder();
  const bytes = enc.encode(text);
  const dec = new TextDecoder();
  for (const s of v.sentences) {
    if (s.start > at) sentences.append(dec.decode(bytes.slice(at, s.start)));
    const p = s.ai_probability;
    const title = [p == null ? "" : `${fmt(p * 100, 0)}%`];
    if (s.drove) {
      title.push(t(`detect.strength.${s.strength}`));
      // The weight is in log-odds: the probability with the sentence left
      // out is the verdict's log-odds less the weight, back through the logistic.
      const logit = Math.log(v.ai_probability / (1 - v.ai_probability));
      title.push(t("detect.without", { p: `${fmt(100 / (1 + Math.exp(s.weight - logit)), 0)}%` }));
    }
    const span = el("span", { class: "sent", title: title.filter(Boolean).join(" · ") }, dec.decode(bytes.slice(s.start, s.end)));
    if (p != null) span.dataset.band = p >= 0.9 ? "high" : p >= 0.45 ? "mid" : "low";
    if (s.drove) span.dataset.drove = "1";
    sentences.append(span);
    at = s.end;
  }
  if (at < bytes.length) sentences.append(dec.decode(bytes.slice(at)));
  box.replaceChildren(
    el("div", { class: "level", dataset: { level: v.level } }, t(`level.${v.level}`)),
    v.ai_probability != null ? el("p", {}, t("detect.probability", { p: `${fmt(v.ai_probability * 100, 0)}%` })) : null,
    el("p", { class: "muted" }, t("detect.metrics", { ppl: fmt(v.perplexity, 1), burst: fmt(v.burstiness, 2), rank: fmt(v.log_rank, 2), disc: fmt(v.discrepancy, 2), tokens: v.tokens })),
    el("p", { class: "muted scored-by" }, t("detect.scored_by", { model: v.model })),
    el("p", { class: "note" }, v.note),
    v.sentences.some((s) => s.drove) ? el("p", { class: "muted drove-legend" }, t(v.ai_probability >= 0.5 ? "detect.drove_machine" : "detect.drove_human")) : null,
    sentences,
  );
  box.dataset.level = v.level;
}

async function judge(args) {
  const task = newTask("detect");
  $("#detect-go").disabled = true;
  $("#detect-stop").hidden = false;
  const box = $("#detect-result");
  box.dataset.level = "";
  box.replaceChildren(el("div", { class: "spinner" }));
  state.running.set(task, { kind: "detect", stop: () => call("cancel_task", { task }) });
  try {
    await choosing;
    last = await call("detect", { ...args, task });
    render();
  } catch (e) {
    last = null;
    box.replaceChildren();
    if (e.code !== "cancelled") showError(e);
  } finally {
    state.running.delete(task);
    $("#detect-go").disabled = false;
    $("#detect-stop").hidden = true;
  }
}

// The detector's model: the chat model, or one chosen for the detector
// alone (saved in the settings). Offered afresh each time the tab opens,
// so that a model just downloaded is there.
let models = null;

function renderModels() {
  const select = $("#detect-model");
  if (!models) return;
  const chat = el("option", { value: "" }, models.chat ? t("detect.model_chat_named", { name: models.chat }) : t("detect.model_chat"));
  const rows = models.models.map((m) =>
    el("option", { value: m.path }, m.calibrated ? m.name : t("detect.model_uncalibrated", { name: m.name })),
  );
  select.replaceChildren(chat, ...rows);
  select.value = models.chosen ?? "";
}

// Picks made while the menu is being fetched: the fetched menu must not
// put back the choice from before them.
let picks = 0;

// While the menu is fetched it carries data-loading, so that what it shows
// is known to be the saved choice only once the attribute is gone.
let loads = 0;

async function loadModels() {
  const before = picks;
  const select = $("#detect-model");
  loads += 1;
  select.dataset.loading = "true";
  try {
    const fetched = await call("detect_models");
    if (picks !== before) fetched.chosen = select.value || null;
    models = fetched;
    renderModels();
  } catch (e) {
    showError(e);
  } finally {
    loads -= 1;
    if (loads === 0) delete select.dataset.loading;
  }
}

// A judgement asked for right after a change of model waits for the
// change to be saved, so it is scored by the model the menu shows.
let choosing = Promise.resolve();

function chooseModel() {
  picks += 1;
  const path = $("#detect-model").value || null;
  choosing = call("set_detect_model", { path }).then(
    () => {
      models.chosen = path;
    },
    (e) => {
      showError(e);
      renderModels();
    },
  );
}

export function initDetect() {
  $("#detect-model").addEventListener("change", chooseModel);
  $("#detect-go").addEventListener("click", () => judge({ text: $("#detect-text").value, session: null, document: null }));
  $("#detect-file").addEventListener("click", async () => {
    try {
      const paths = await call("pick_files");
      const [doc] = await openPaths(paths.slice(0, 1));
      if (doc) {
        document.querySelector('[data-tab="detect"]').click();
        judge({ text: null, session: doc.session, document: doc.id });
      }
    } catch (e) {
      showError(e);
    }
  });
  $("#detect-stop").addEventListener("click", () => {
    for (const r of state.running.values()) if (r.kind === "detect") r.stop();
  });
  subscribe((what) => {
    if ("language" in what) {
      render();
      renderModels();
    }
    if (what.tab === "detect") loadModels();
  });
}
