#!/usr/bin/env bash
# The faithfulness report: about 100 real documents of seven kinds (BBC
# news and Wikipedia paragraphs from ../shared/detect-eval, the corpus's
# .docx files with text, Chinese ones included, and tests/faithfulness/docs:
# Rust language team minutes, platform terms, Chinese Wikipedia paragraphs
# from CMRC 2018; sources and licences in its SOURCES.md) summarized by the
# model, and each asked one question, with the support check off and on;
# tests/faithfulness/judge.py reads every point and answer sentence with a
# second, stricter matcher and prints the share of points with a detail
# their cited passages lack, before and after, and the share of supported
# points the check dropped.
#
# Usage: scripts/eval-faithfulness.sh [--model PATH] [--out FILE] [--max-words N]
#   --max-words: leave out .docx files longer than N words (default 20000;
#   a long file takes most of an hour on two cores)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/eval-faithfulness.sh" "$@"

MODEL=""
OUT=""
MAX_WORDS=20000
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --max-words) MAX_WORDS="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "eval-faithfulness: unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
# shellcheck source=scripts/lib/bench-defaults.sh
. scripts/lib/bench-defaults.sh
OUT="${OUT:-$(mktemp --suffix=.jsonl)}"
say "building the evaluation (release)"
cargo build --release --locked -p deskpilot-core --example faithfulness_eval
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
"$TARGET_DIR/release/examples/faithfulness_eval" --model "$MODEL" --out "$OUT" \
  --max-words "$MAX_WORDS"
say "points written to $OUT"
python3 tests/faithfulness/judge.py "$OUT"
say "the same, reading ordinary English sentence openers as no names"
python3 tests/faithfulness/judge.py --english-openers "$OUT"
