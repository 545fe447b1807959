// Model and document text as Markdown, sanitized: a document (or a model
// repeating one) cannot put script, handlers, frames or remote content in
// the page. CSP blocks them too; this keeps the DOM clean.
import { marked } from "./vendor/marked.esm.js";
import DOMPurify from "./vendor/purify.es.mjs";

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

// SVG made by the core's chart code, sanitized as SVG.
export function renderSvg(el, svg) {
  el.innerHTML = DOMPurify.sanitize(svg ?? "", { USE_PROFILES: { svg: true, svgFilters: false } });
}
