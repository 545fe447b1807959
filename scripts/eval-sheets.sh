#!/usr/bin/env bash
# The spreadsheet question set's accuracy report: 84 questions about real
# data from PyPI packages (penguins, Seattle weather, stock prices, cars,
# Iowa electricity) in .xlsx, .xls, .ods and .csv workbooks, answered with
# the default model and compared with pandas' answers. Prints, per
# operation, how many the phrase reader alone, the model's plans alone and
# Deskpilot get exactly right. The same set gates `cargo test`.
#
# Usage: scripts/eval-sheets.sh [--model PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/common.sh
. scripts/common.sh "scripts/eval-sheets.sh" "$@"

MODEL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "eval-sheets: unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
# shellcheck source=scripts/bench-defaults.sh
. scripts/bench-defaults.sh
# shellcheck source=scripts/sheets-data.sh
. scripts/sheets-data.sh

say "building the evaluation (release)"
cargo build --release --locked -p deskpilot-core --example sheets_eval
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
DESKPILOT_SHEETS_EVAL="$SHEETS_EVAL_DIR" "$TARGET_DIR/release/examples/sheets_eval" --model "$MODEL"
