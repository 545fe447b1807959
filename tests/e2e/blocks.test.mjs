// Where a streaming reply's Markdown may be cut (ui/src/blocks.js): the
// part before a cut must render as it will in the finished text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { settledEnd as settle, TAIL_LIMIT } from "../../ui/src/blocks.js";

const settledEnd = (text, from) => settle(text, from).cut;

test("a paragraph is settled once a blank line and the next block's first line have come", () => {
  assert.equal(settledEnd("First paragraph.", 0), 0);
  assert.equal(settledEnd("First paragraph.\n\n", 0), 0);
  assert.equal(settledEnd("First paragraph.\n\nSecond, still being wri", 0), 0);
  const text = "First paragraph.\n\nSecond.\n";
  assert.equal(settledEnd(text, 0), text.indexOf("Second"));
});

test("a line still being written may turn out to continue a list, so it decides nothing", () => {
  const list = "1. one\n2. two\n\n3";
  assert.equal(settledEnd(list, 0), 0);
  assert.equal(settledEnd(`${list}. three\n`, 0), 0, "the third item joins the list");
  assert.equal(settledEnd(`${list} apples were left.\n`, 0), list.length - 1, "a paragraph after the list");
});

test("the cut is the last boundary, and a later call starts from the earlier cut", () => {
  const text = "One.\n\nTwo.\n\nThree.\n";
  const cut = settledEnd(text, 0);
  assert.equal(cut, text.indexOf("Three"));
  assert.equal(settledEnd(text, cut), cut);
  const more = `${text}\n# Four\n`;
  assert.equal(settledEnd(more, cut), more.indexOf("# Four"));
});

test("a blank line inside a code fence is no boundary until the fence closes", () => {
  const open = "Intro.\n\n```js\nlet a = 1;\n\nlet b = 2;\n";
  assert.equal(settledEnd(open, 0), open.indexOf("```"));
  const closed = `${open}\`\`\`\n\nAfter.\n`;
  assert.equal(settledEnd(closed, 0), closed.indexOf("After"));
  const tildes = "~~~~\n\n```\n\nx\n~~~~\n\nEnd.\n";
  assert.equal(settledEnd(tildes, 0), tildes.indexOf("End"));
});

test("an indented line after a blank line continues the block before it", () => {
  const text = "1. First item\n\n   more of the first item\n\n    indented code\n";
  assert.equal(settledEnd(text, 0), 0);
});

test("the items of one list stay together; a paragraph after the list may be cut", () => {
  const list = "- one\n\n- two\n\n- three\n";
  assert.equal(settledEnd(list, 0), 0);
  const numbered = "1. one\n\n2. two\n\nAfter the list.\n";
  assert.equal(settledEnd(numbered, 0), numbered.indexOf("After"));
  const continued = "1. one\n\n   more of one\n\n2. two\n";
  assert.equal(settledEnd(continued, 0), 0, "an item's second paragraph keeps its list open");
  const afterPara = "Para.\n\n- item\n";
  assert.equal(settledEnd(afterPara, 0), afterPara.indexOf("- item"));
});

test("a long tail with no blank line is cut at its last flush line", () => {
  const line = "A line of a reply that never leaves a blank line between its parts.\n";
  const text = `${line.repeat(Math.ceil(TAIL_LIMIT / line.length) + 2)}tail\n`;
  const { cut, forced } = settle(text, 0);
  assert.equal(cut, text.lastIndexOf("tail"));
  assert.ok(forced);
  assert.equal(settle("One.\n\nTwo.\n", 0).forced, false);
  assert.equal(settledEnd(line.repeat(3), 0), 0);
  const fenced = `\`\`\`\n${line.repeat(Math.ceil(TAIL_LIMIT / line.length) + 2)}`;
  assert.equal(settledEnd(fenced, 0), 0, "never inside an open fence");
});

test("Windows line ends count as blank lines", () => {
  const text = "One.\r\n\r\nTwo.\r\n";
  assert.equal(settledEnd(text, 0), text.indexOf("Two"));
});

test("blocks kept from a stream render as the whole text does, whatever their order", async () => {
  const { marked } = await import("../../ui/node_modules/marked/lib/marked.esm.js");
  marked.setOptions({ gfm: true, breaks: true });
  const blocks = [
    "# A heading",
    "A paragraph with **bold**, *emphasis* and `code`.\nA second line of it.",
    "- one\n- two\n\n- three, loose",
    "1. first\n2. second\n\n   still the second item\n\n3. third",
    "```js\nlet a = 1;\n\nlet b = 2;\n```",
    "> a quote\n> on two lines",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "    indented code",
    "* star item\n\n  its second paragraph",
    "---",
    "10) tenth\n11) eleventh",
  ];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let round = 0; round < 30; round++) {
    let text = "";
    for (let i = 0; i < 25; i++) text += `${blocks[next() % blocks.length]}\n\n`;
    let shown = 0;
    let kept = "";
    for (let at = 0; at < text.length; ) {
      at = Math.min(text.length, at + 1 + (next() % 7));
      const { cut } = settle(text.slice(0, at), shown);
      if (cut > shown) {
        kept += marked.parse(text.slice(shown, cut));
        shown = cut;
      }
      if (text.slice(0, at).endsWith("\n\n")) {
        assert.equal(kept + marked.parse(text.slice(shown, at)), marked.parse(text.slice(0, at)), `round ${round}, at ${at}`);
      }
    }
  }
});
