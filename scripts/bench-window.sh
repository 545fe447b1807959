#!/usr/bin/env bash
# The window's benchmark: launch to interactive, idle memory besides the
# model, and painting while tokens stream, each printed with its ratio to
# a named reference (the target, or the same page idle). Same setup as the
# end-to-end tests (scripts/e2e.sh --bench).
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/e2e.sh --bench
