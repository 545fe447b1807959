// Chat: streaming Markdown replies, copy, regenerate, stop (Esc), token
// speed and context use. Replies are painted at most once per frame, and
// only their last block is rendered again (streamingMarkdown), so input
// never waits on rendering however long the reply grows.
import { call, channel, newTask } from "./api.js";
import { $, el, copyText, fmt, showError, toast } from "./dom.js";
import { t } from "./i18n.js";
import { renderMarkdown, streamingMarkdown } from "./markdown.js";
import { state, changed, subscribe } from "./state.js";
import { refreshSessions } from "./sessions.js";

const messages = () => $("#messages");

function statusLabel(status) {
  return { cancelled: t("chat.stopped"), failed: t("chat.failed"), interrupted: t("chat.interrupted") }[status] ?? "";
}

function bubble(msg) {
  const body = el("div", { class: "markdown body" });
  const node = el(
    "article",
    { class: `msg ${msg.role}`, dataset: { role: msg.role, id: msg.id ?? "", status: msg.status ?? "complete", streaming: "false" } },
    el("header", {}, el("span", { class: "who" }, msg.role === "user" ? t("chat.you") : t("chat.assistant")), el("span", { class: "badge" }, statusLabel(msg.status))),
    body,
  );
  node.text = msg.text ?? "";
  if (msg.role === "user") body.textContent = node.text;
  else renderMarkdown(body, node.text);
  const actions = el("footer", { class: "actions" });
  actions.append(
    el("button", {
      class: "copy",
      onclick: async (e) => {
        await copyText(node.text);
        e.target.textContent = t("chat.copied");
        setTimeout(() => (e.target.textContent = t("chat.copy")), 1200);
      },
    }, t("chat.copy")),
  );
  if (msg.role === "assistant") {
    actions.append(el("button", { class: "regenerate", onclick: () => regenerate(node) }, t("chat.regenerate")));
  }
  node.append(actions);
  return node;
}

function setBusy(busy) {
  $("#send").disabled = busy;
  $("#stop").disabled = !busy;
}

// Paints the streaming reply at most once a frame (streamingMarkdown),
// following it down while the user is at the bottom.
function painter(node) {
  return streamingMarkdown(node.querySelector(".body"), () => {
    const box = messages();
    if (box.scrollHeight - box.scrollTop - box.clientHeight < 160) box.scrollTop = box.scrollHeight;
  });
}

async function stream(node, start) {
  const task = newTask("chat");
  node.dataset.streaming = "true";
  node.dataset.status = "partial";
  node.text = "";
  const painting = painter(node);
  state.running.set(task, { kind: "chat", stop: () => call("cancel_task", { task }) });
  setBusy(true);
  $("#empty-chat").hidden = true;
  const onEvent = channel((m) => {
    if (m.event === "started") {
      node.dataset.id = m.reply;
      if (!state.session || state.session.id !== m.session) {
        state.session = { id: m.session, title: state.session?.title ?? "" };
        refreshSessions();
        changed({ sessionCreated: m.session });
      }
    } else if (m.event === "prompt") {
      $("#ctx-meter").value = m.n_ctx ? Math.min(1, m.total / m.n_ctx) : 0;
      if (m.trimmed) toast(t("chat.trimmed", { n: m.trimmed }));
    } else if (m.event === "token") {
      node.text += m.text;
      painting.paintSoon(node.text);
    }
  });
  try {
    const done = await start(task, onEvent);
    node.text = done.text;
    painting.finish(node.text);
    node.dataset.status = done.status;
    node.querySelector(".badge").textContent = statusLabel(done.status);
    const c = done.completion;
    const tps = c.generate_ms > 0 ? (c.generated_tokens / c.generate_ms) * 1000 : 0;
    const used = c.prompt_tokens + c.generated_tokens;
    $("#chat-stats").textContent = t("chat.stats", { tps: fmt(tps, 1), tokens: c.generated_tokens, used, ctx: done.n_ctx });
    $("#ctx-meter").value = done.n_ctx ? Math.min(1, used / done.n_ctx) : 0;
  } catch (e) {
    painting.finish(node.text);
    node.dataset.status = "failed";
    node.querySelector(".badge").textContent = statusLabel("failed");
    showError(e);
  } finally {
    node.dataset.streaming = "false";
    state.running.delete(task);
    setBusy(state.running.size > 0 && [...state.running.values()].some((r) => r.kind === "chat"));
    refreshSessions();
  }
}

export async function send(text) {
  text = text.trim();
  if (!text) return;
  const box = messages();
  box.append(bubble({ role: "user", text }));
  const reply = bubble({ role: "assistant", text: "", status: "partial" });
  box.append(reply);
  box.scrollTop = box.scrollHeight;
  await stream(reply, (task, onEvent) => call("send_message", { session: state.session?.id ?? null, text, task, onEvent }));
}

async function regenerate(node) {
  const replaced = Number(node.dataset.id);
  if (!state.session || !replaced || node.dataset.streaming === "true") return;
  await stream(node, (task, onEvent) => call("regenerate", { session: state.session.id, replaced, task, onEvent }));
}

export function stopAll() {
  for (const r of state.running.values()) r.stop();
}

export function initChat() {
  const prompt = $("#prompt");
  $("#composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = prompt.value;
    prompt.value = "";
    send(text);
  });
  prompt.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("#composer").requestSubmit();
    }
  });
  $("#stop").addEventListener("click", stopAll);
  subscribe((what) => {
    if ("session" in what) {
      const view = what.session;
      const box = messages();
      box.replaceChildren(...(view ? view.messages.filter((m) => m.role !== "system").map(bubble) : []));
      $("#empty-chat").hidden = box.children.length > 0;
      $("#chat-stats").textContent = "";
      $("#ctx-meter").value = 0;
    }
    if ("language" in what) {
      for (const n of messages().children) {
        n.querySelector(".who").textContent = n.dataset.role === "user" ? t("chat.you") : t("chat.assistant");
        n.querySelector(".badge").textContent = statusLabel(n.dataset.status);
        n.querySelector(".copy").textContent = t("chat.copy");
        n.querySelector(".regenerate")?.replaceChildren(t("chat.regenerate"));
      }
    }
  });
}

// A reply added by another view (a summary, an answer) shows in the chat.
export function appendExchange(userText, replyText) {
  const box = messages();
  box.append(bubble({ role: "user", text: userText }), bubble({ role: "assistant", text: replyText }));
  $("#empty-chat").hidden = true;
}
