#!/usr/bin/env bash
# Benchmarks the AI-text detector's scoring of 1,000 tokens (log-probability,
# rank and Fast-DetectGPT statistics for every token) against llama-bench's
# prompt processing of 1,000 tokens on the same model and thread count, and
# prints the ratio of times (target: at most 1.2). Runs alternate so drift in
# the machine's speed cancels out.
#
# Usage: scripts/bench-detect.sh [--model PATH] [--threads N] [--reps N] [--tokens N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/bench-detect.sh" "$@"

MODEL=""; THREADS=""; REPS=5; TOKENS=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --tokens) TOKENS="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "bench-detect: unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
# shellcheck source=scripts/lib/bench-defaults.sh
. scripts/lib/bench-defaults.sh

# shellcheck source=scripts/lib/llama-bench.sh
. scripts/lib/llama-bench.sh

say "building the detector benchmark"
cargo build --release --locked -p deskpilot-core --example bench_detect
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

say "scoring $TOKENS tokens vs llama-bench pp$TOKENS on $(basename "$MODEL"), $THREADS threads, $REPS alternating runs"
python3 - "$REF" "$TARGET_DIR/release/examples/bench_detect" "$MODEL" "$THREADS" "$REPS" "$TOKENS" <<'PY'
import json, os, statistics, subprocess, sys
ref, ours, model, threads, reps, tokens = sys.argv[1:7]
reps = int(reps)

def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if p.returncode != 0:
        sys.exit(f"bench-detect: {cmd[0]} failed with status {p.returncode}")
    return p.stdout

def run_ref():
    rows = json.loads(run([ref, "-m", model, "-t", threads, "-p", tokens, "-n", "0", "-r", "3", "-o", "json"]))
    return next(r["avg_ts"] for r in rows if r["n_prompt"] > 0)

def run_ours():
    return json.loads(run([ours, "--model", model, "--threads", threads, "--tokens", tokens]))

ref_tps, our_tps, ratio, engine_pp, stats_share, verdict_share = [], [], [], [], [], []
for i in range(reps):
    if i % 2 == 0:
        a = run_ref(); b = run_ours()
    else:
        b = run_ours(); a = run_ref()
    ref_tps.append(a); our_tps.append(b["tps"]); ratio.append(a / b["tps"])
    engine_pp.append(b["engine_pp_tps"]); stats_share.append(b["stats_ms"] / b["ms"])
    verdict_share.append(b["verdict_ms"] / b["ms"])
med = statistics.median
print(f"model: {os.path.basename(model)}   threads: {threads}   {reps} alternating runs (medians)")
print(f"{'':36}{'tokens/s':>10}")
print(f"{'llama-bench pp' + tokens:36}{med(ref_tps):10.1f}")
print(f"{'Deskpilot engine, prompt of ' + tokens:36}{med(engine_pp):10.1f}")
print(f"{'Deskpilot scoring ' + tokens:36}{med(our_tps):10.1f}")
print(f"statistics over the vocabulary: {100 * med(stats_share):.1f}% of scoring time")
print(f"scoring / engine prompt processing: {med(engine_pp) / med(our_tps):.2f} (logits at every position)")
print(f"the verdict from the scores (sentences left out in turn included): {100 * med(verdict_share):.1f}% of scoring time")
r = med(ratio)
print(f"time ratio (Deskpilot scoring / llama-bench): {r:.2f} (range {min(ratio):.2f}-{max(ratio):.2f})")
print(f"target: at most 1.2 -> {'met' if r <= 1.2 else 'NOT met'}")
PY
