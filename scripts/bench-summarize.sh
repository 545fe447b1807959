#!/usr/bin/env bash
# Benchmarks summarizing a document of about 50,000 tokens against the time
# llama.cpp's own llama-bench needs for the same prompt and generated tokens
# in calls of the same size: overhead ratio = Deskpilot's total time /
# (calls x (prompt tokens per call / llama-bench pp rate + generated tokens
# per call / llama-bench tg rate)). Target: at most 1.25. Also prints the
# time to the first summary text on a one-pass file.
#
# Usage: scripts/bench-summarize.sh [--model PATH] [--threads N] [--tokens N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/bench-summarize.sh" "$@"
MODEL=""; THREADS=""; TOKENS=50000
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --tokens) TOKENS="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench-summarize: unknown option $1" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
# shellcheck source=scripts/lib/bench-defaults.sh
. scripts/lib/bench-defaults.sh
# shellcheck source=scripts/lib/llama-bench.sh
. scripts/lib/llama-bench.sh

# This VM's speed drifts by 10-20% over minutes: the reference runs just
# before (from the second run on, when the call shape is known) and just
# after Deskpilot, and the rates are averaged over time per token.
reference() {
  # pp and tg apart (tg from an empty context), and pg: the prompt, then
  # generation after it, as each summary call does.
  "$REF" -m "$MODEL" -t "$THREADS" -p "$PP" -n "$TG" -pg "$PP,$TG" -r 2 -o json 2>/dev/null
}
shape() {
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); c=d["model_calls"]; print(c, round(d["prompt_tokens"]/c), round(d["generated_tokens"]/c))' "$1"
}
cargo build --release --locked -q -p deskpilot-core --example bench_summarize
# The call shape (prompt and generated tokens of the average call) comes
# from Deskpilot's run; the run before this one left it in .bench/.
SHAPE_FILE="$BENCH_DIR/summarize-$(basename "$MODEL")-$TOKENS.json"
BEFORE="[]"
if [ -f "$SHAPE_FILE" ]; then
  read -r CALLS PP TG < <(shape "$(cat "$SHAPE_FILE")")
  say "reference before: llama-bench -p $PP -n $TG -pg $PP,$TG (the average call of the last run)"
  BEFORE=$(reference)
fi
say "summarizing about $TOKENS tokens with Deskpilot ($THREADS threads)"
OURS=$("${CARGO_TARGET_DIR:-target}/release/examples/bench_summarize" --model "$MODEL" --threads "$THREADS" --tokens "$TOKENS")
echo "$OURS"
echo "$OURS" > "$SHAPE_FILE"
read -r CALLS PP TG < <(shape "$OURS")
say "reference after: llama-bench -p $PP -n $TG -pg $PP,$TG (the average call)"
AFTER=$(reference)
REFJSON=$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1]) + json.loads(sys.argv[2])))' "$BEFORE" "$AFTER")
python3 - "$OURS" "$REFJSON" <<'PY'
import json, sys
ours = json.loads(sys.argv[1]); ref = json.loads(sys.argv[2])
runs = {}
for r in ref:
    kind = "pg" if r["n_prompt"] > 0 and r["n_gen"] > 0 else ("pp" if r["n_prompt"] > 0 else "tg")
    runs.setdefault(kind, []).append(r["avg_ts"])
# Time-weighted: the mean of the two runs' times per token.
rate = {k: len(v) / sum(1 / x for x in v) for k, v in runs.items()}
print("reference runs, tokens/s: " + "; ".join(f"{k} " + " / ".join(f"{x:.0f}" for x in v) for k, v in runs.items()))
calls = ours["model_calls"]
pp = ours["prompt_tokens"] / calls; tg = ours["generated_tokens"] / calls
ref_ms = calls * (pp / rate["pp"] + tg / rate["tg"]) * 1000
print(f"document: {ours['document_tokens']} tokens, {ours['chunks']} parts, {ours['passes']} passes, {calls} calls")
print(f"Deskpilot: {ours['total_ms']/1000:.1f} s   llama-bench for the same tokens: {ref_ms/1000:.1f} s "
      f"(pp {rate['pp']:.0f} t/s, tg {rate['tg']:.0f} t/s)")
pg_ms = calls * (pp + tg) / rate["pg"] * 1000
print(f"overhead ratio: {ours['total_ms']/ref_ms:.2f} against pp + tg, "
      f"{ours['total_ms']/pg_ms:.2f} against pg ({pg_ms/1000:.1f} s) (target <= 1.25)")
op = ours["one_pass"]
print(f"one-pass file ({op['prompt_tokens']} prompt tokens): first summary text after {op['first_text_ms']:.0f} ms, done in {op['total_ms']:.0f} ms")
PY
