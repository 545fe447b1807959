#!/usr/bin/env bash
# The spreadsheet question sets' reports: the first set (116 questions
# about penguins, weather, stocks, cars, electricity) and the analyst set
# (758 questions over 42 public tables nobody here had used, 164 in
# Chinese, a frozen third as test split), each with the default model and
# with the model turned off. Prints, per split, right answers, declined
# questions (the reply says what was read and asks) and wrong answers
# given as answers. The test split is counted, never listed.
#
# Usage: scripts/eval-sheets.sh [--model PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/eval-sheets.sh" "$@"

MODEL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "eval-sheets: unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
# shellcheck source=scripts/lib/bench-defaults.sh
. scripts/lib/bench-defaults.sh
# shellcheck source=scripts/lib/sheets-data.sh
. scripts/lib/sheets-data.sh

say "building the evaluation (release)"
cargo build --release --locked -p deskpilot-core --example sheets_analyst
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
for set in first analyst; do
  for mode in "--model $MODEL" "--no-model"; do
    say "question set: $set, $mode"
    # shellcheck disable=SC2086
    SHEETS_SET="$set" DESKPILOT_SHEETS_EVAL="$SHEETS_EVAL_DIR" \
      "$TARGET_DIR/release/examples/sheets_analyst" $mode
  done
done
