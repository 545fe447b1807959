#!/usr/bin/env bash
# Sets up this machine (system packages, both test models, the WebDriver
# tools) and runs every check: formatting, clippy with warnings as errors,
# all tests (which use the real models), and the real window end to end.
# Run from anywhere; works as root or through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/test.sh" "$@"

bash scripts/setup.sh --test
say "building the window's page (ui/) from its pinned npm packages"
bash scripts/ui.sh

# One optimised build serves the tests, the app and the benchmark: llama.cpp
# is compiled once, not once per profile.
say "checking formatting (cargo fmt)"
cargo fmt --all -- --check
say "linting (cargo clippy, warnings are errors)"
cargo clippy --release --workspace --all-targets --locked -- -D warnings
say "building and running all tests (cargo test --release)"
cargo test --release --workspace --locked
say "end-to-end tests of the real window (Xvfb, tauri-driver, default model)"
bash scripts/e2e.sh
say "all checks passed"
