#!/usr/bin/env bash
# Sets up this machine (system packages, the default model), builds Deskpilot
# and starts it. Until the desktop window lands this is the interactive
# terminal chat. Extra arguments go to `deskpilot chat`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/common.sh
. scripts/common.sh "scripts/run.sh" "$@"

bash scripts/setup.sh
say "building deskpilot (release; the first build compiles llama.cpp and takes a while)"
cargo build --release --locked -p deskpilot-cli
target_dir="${CARGO_TARGET_DIR:-target}"
say "starting deskpilot chat"
exec "$target_dir/release/deskpilot" chat "$@"
