// Builds the page into dist/: our own files from src/ as they are, and the
// two libraries from node_modules (installed by `npm ci` from the committed
// lock file). No bundler, no network at run time: the page refuses to build
// if any file would load something from outside the app.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "vendor"), { recursive: true });
cpSync(join(here, "src"), dist, { recursive: true });
const vendor = {
  "marked.esm.js": "node_modules/marked/lib/marked.esm.js",
  "purify.es.mjs": "node_modules/dompurify/dist/purify.es.mjs",
};
for (const [name, from] of Object.entries(vendor)) {
  cpSync(join(here, from), join(dist, "vendor", name));
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}
const remote = /(?:src|href)\s*=\s*["']\s*(?:https?:)?\/\/|@import\s+url\(\s*["']?https?:|from\s+["']https?:/i;
for (const f of files(dist)) {
  if (!/\.(html|css|js|mjs)$/.test(f) || f.includes(`${join("dist", "vendor")}`)) continue;
  if (remote.test(readFileSync(f, "utf8"))) {
    console.error(`ui build: ${f} loads something from the network; everything must ship with the app`);
    process.exit(1);
  }
}
console.log(`ui build: page written to ${dist}`);
