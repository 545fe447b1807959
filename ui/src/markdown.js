// Model and document text as Markdown, sanitized: a document (or a model
// repeating one) cannot put script, handlers, frames or remote content in
// the page. CSP blocks them too; this keeps the DOM clean.
import { marked } from "./vendor/marked.esm.js";
import DOMPurify from "./vendor/purify.es.mjs";
import { settledEnd } from "./blocks.js";

marked.setOptions({ gfm: true, breaks: true });

const config = {
  ALLOWED_TAGS: ["p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "a", "span"],
  ALLOWED_ATTR: ["href", "title", "class"],
  ALLOW_DATA_ATTR: false,
};

// Links open nothing: the page never navigates away or fetches.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.removeAttribute("href");
    node.classList.add("link");
  }
});

export function renderMarkdown(el, text) {
  el.innerHTML = DOMPurify.sanitize(marked.parse(text ?? ""), config);
}

const fragment = (md) => DOMPurify.sanitize(marked.parse(md), { ...config, RETURN_DOM_FRAGMENT: true });

// Renders into `el` a text that grows at its end (a streaming reply, a
// draft being written), in time that does not grow with its length: the
// blocks before the last cut (blocks.js) are rendered once and kept, and
// only the rest is rendered again on each update. `update` with a text
// that does not extend the last one starts over. `finish` renders the
// finished text: its last block only, unless a cut was forced inside a
// very long block, when the whole text is rendered again (renderMarkdown).
// `paintSoon` updates on the next frame, at most once a frame, and calls
// `onPaint` after; `finish` drops a paint still waiting.
export function streamingMarkdown(el, onPaint = () => {}) {
  let shown = ""; // the text of the kept blocks
  let kept = 0; // el's child nodes that hold them
  let forced = false;
  let frame = 0;
  let latest = "";
  el.replaceChildren();
  const view = {
    paintSoon(text) {
      latest = text;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        view.update(latest);
        onPaint();
      });
    },
    update(text) {
      if (!text.startsWith(shown)) {
        shown = "";
        kept = 0;
        forced = false;
        el.replaceChildren();
      }
      while (el.childNodes.length > kept) el.lastChild.remove();
      const next = settledEnd(text, shown.length);
      if (next.cut > shown.length) {
        const done = fragment(text.slice(shown.length, next.cut));
        kept += done.childNodes.length;
        el.append(done);
        shown = text.slice(0, next.cut);
        forced ||= next.forced;
      }
      el.append(fragment(text.slice(shown.length)));
    },
    finish(text) {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      if (forced || !text.startsWith(shown)) renderMarkdown(el, text);
      else view.update(text);
    },
  };
  return view;
}

// SVG made by the core's chart code, sanitized as SVG.
export function renderSvg(el, svg) {
  el.innerHTML = DOMPurify.sanitize(svg ?? "", { USE_PROFILES: { svg: true, svgFilters: false } });
}
