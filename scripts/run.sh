#!/usr/bin/env bash
# Sets up this machine (system packages, the default model), builds the page
# and the Deskpilot window, and starts it. With no display (a server, a
# container) the window runs under Xvfb, and this says so. Extra arguments
# go to the app: files to open, or --model PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/run.sh" "$@"

bash scripts/setup.sh
say "building the page (ui/) from its pinned npm packages"
bash scripts/ui.sh
say "building the Deskpilot window (release; the first build compiles llama.cpp and WebKit bindings and takes a while)"
cargo build --release --locked -p deskpilot-app
target_dir="${CARGO_TARGET_DIR:-target}"
app="$target_dir/release/deskpilot-app"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  say "no display found: starting the window under Xvfb (virtual screen :99); see it with a VNC viewer, or run this on a desktop"
  exec xvfb-run -n 99 -s "-screen 0 1400x900x24" "$app" "$@"
fi
say "starting Deskpilot"
exec "$app" "$@"
