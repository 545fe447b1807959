#!/usr/bin/env bash
# Builds the window's page into ui/dist from ui/src and the npm packages
# pinned by ui/package-lock.json (no CDN; nothing is fetched at run time).
set -euo pipefail
cd "$(dirname "$0")/../ui"
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "ui: Node.js and npm are needed to build the page (apt install nodejs npm)" >&2; exit 1; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node build.mjs
