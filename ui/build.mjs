// Builds the page into dist/: our own files from src/ as they are, and the
// two libraries from node_modules (installed by `npm ci` from the committed
// lock file). No bundler, no network at run time: the page refuses to build
// if any file would load something from outside the app.
//
// Files whose bytes are unchanged are left alone (their times too): the
// window's build script watches dist/, and rewriting it unchanged would
// recompile the window on every build.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

// What dist/ must hold: path relative to dist/ -> bytes.
const page = new Map();
for (const f of files(join(here, "src"))) page.set(relative(join(here, "src"), f), readFileSync(f));
const vendor = {
  "marked.esm.js": "node_modules/marked/lib/marked.esm.js",
  "purify.es.mjs": "node_modules/dompurify/dist/purify.es.mjs",
};
for (const [name, from] of Object.entries(vendor)) page.set(join("vendor", name), readFileSync(join(here, from)));

const remote = /(?:src|href)\s*=\s*["']\s*(?:https?:)?\/\/|@import\s+url\(\s*["']?https?:|from\s+["']https?:/i;
for (const [name, bytes] of page) {
  if (!/\.(html|css|js|mjs)$/.test(name) || name.startsWith("vendor")) continue;
  if (remote.test(bytes.toString("utf8"))) {
    console.error(`ui build: ${join("src", name)} loads something from the network; everything must ship with the app`);
    process.exit(1);
  }
}

mkdirSync(dist, { recursive: true });
for (const f of [...files(dist)]) {
  if (!page.has(relative(dist, f))) rmSync(f);
}
// Folders left empty by removed files go too.
function pruneEmpty(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      pruneEmpty(p);
      if (readdirSync(p).length === 0) rmSync(p, { recursive: true });
    }
  }
}
pruneEmpty(dist);
let written = 0;
for (const [name, bytes] of page) {
  const to = join(dist, name);
  if (existsSync(to) && readFileSync(to).equals(bytes)) continue;
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, bytes);
  written += 1;
}
console.log(`ui build: page written to ${dist} (${written} of ${page.size} files changed)`);
