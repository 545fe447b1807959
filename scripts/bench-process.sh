#!/usr/bin/env bash
# What the model's own process costs: prompt and generation speed and
# cancel latency through the model process, against the in-process engine
# (the reference) on the same model and threads, in alternating runs.
# Prints the ratios (target: speed within 2%, i.e. ratios of 0.98 or more;
# 15 pairs by default: single runs on a 2-core VM vary by about 15%).
#
# Usage: scripts/bench-process.sh [--model PATH] [--threads N] [--reps N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/bench-process.sh" "$@"

MODEL=""; THREADS=""; REPS=15
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "bench-process: unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
# shellcheck source=scripts/lib/bench-defaults.sh
. scripts/lib/bench-defaults.sh

say "building the model-process benchmark"
cargo build --release --locked -p deskpilot-core --example bench_model_process
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

say "in-process vs model process on $(basename "$MODEL"), $THREADS threads, $REPS alternating runs"
"$TARGET_DIR/release/examples/bench_model_process" --model "$MODEL" --threads "$THREADS" --reps "$REPS" --tg 256
