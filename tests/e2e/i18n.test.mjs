// The interface's words: every key the page uses exists in English and in
// Simplified Chinese, and no Chinese entry is left in English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { keys } from "../../ui/src/i18n.js";

const src = join(fileURLToPath(import.meta.url), "../../../ui/src");

function usedKeys() {
  const used = new Set();
  const html = readFileSync(join(src, "index.html"), "utf8");
  for (const m of html.matchAll(/data-i18n(?:-placeholder|-title)?="([^"]+)"/g)) used.add(m[1]);
  for (const f of readdirSync(src).filter((f) => f.endsWith(".js") && f !== "i18n.js")) {
    const js = readFileSync(join(src, f), "utf8");
    for (const m of js.matchAll(/\bt\(\s*"([a-z_]+\.[a-z_.]+)"/g)) used.add(m[1]);
  }
  return used;
}

test("every key the page uses has an English and a Chinese entry", () => {
  const en = new Set(keys.en);
  const zh = new Set(keys.zh);
  const used = usedKeys();
  assert.ok(used.size > 100, `found ${used.size} keys`);
  for (const k of used) {
    assert.ok(en.has(k), `${k} has no English entry`);
    assert.ok(zh.has(k), `${k} has no Chinese entry`);
  }
  for (const k of en) assert.ok(zh.has(k), `${k} has no Chinese entry`);
});
