#!/usr/bin/env bash
# Benchmarks Deskpilot's engine against llama.cpp's own llama-bench on the
# same model and thread count, and prints ratios Deskpilot / llama-bench for
# prompt processing (512 tokens) and generation (128 tokens), plus model load
# time and peak RSS. The reference llama-bench is built once, into .bench/,
# from the llama.cpp tree vendored in llama-cpp-python's source distribution,
# with the best x86 flags this CPU runs (AMX left out: its kernels die with an
# illegal instruction on some VMs).
#
# Usage: scripts/bench.sh [--model PATH] [--threads N] [--reps N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/bench.sh" "$@"

MODEL=""; THREADS=""; REPS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
# shellcheck source=scripts/lib/bench-defaults.sh
. scripts/lib/bench-defaults.sh

# --- reference: llama-bench --------------------------------------------------
# shellcheck source=scripts/lib/llama-bench.sh
. scripts/lib/llama-bench.sh

# --- Deskpilot's engine ------------------------------------------------------
say "building Deskpilot's engine benchmark"
cargo build --release --locked -p deskpilot-core --example bench_engine
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

say "running both on $(basename "$MODEL") with $THREADS threads, $REPS repetitions, alternating"
python3 - "$REF" "$TARGET_DIR/release/examples/bench_engine" "$MODEL" "$THREADS" "$REPS" <<'PY'
import json, os, statistics, subprocess, sys, time
ref, ours, model, threads, reps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

def peak_rss_mib(cmd):
    """Runs cmd, returns (stdout, wall seconds, peak RSS in MiB read from /proc while it runs)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    status = f"/proc/{p.pid}/status"
    while p.poll() is None:
        try:
            for line in open(status):
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.02)
    out = p.stdout.read()
    if p.returncode != 0:
        sys.exit(f"bench: {cmd[0]} failed with status {p.returncode}")
    return out, time.perf_counter() - t, peak / 1024

def run_ref():
    out, wall, rss = peak_rss_mib([ref, "-m", model, "-t", threads, "-p", "512", "-n", "128", "-r", "1", "-o", "json"])
    rows = json.loads(out)
    pp = next(r["avg_ts"] for r in rows if r["n_prompt"] > 0)
    tg = next(r["avg_ts"] for r in rows if r["n_gen"] > 0)
    return pp, tg, rss

def run_ours():
    out, wall, _ = peak_rss_mib([ours, "--model", model, "--threads", threads, "--pp", "512", "--tg", "128"])
    o = json.loads(out)
    cpu[:] = o.get("cpu", [])
    return o["pp_tps"], o["tg_tps"], o["peak_rss_mib"], o["load_ms"]

cpu = []
r_pp, r_tg, r_rss, o_pp, o_tg, o_rss, o_load, pp_ratio, tg_ratio = ([] for _ in range(9))
for i in range(reps):
    # Alternate which goes first, so drift in the machine's speed cancels out.
    if i % 2 == 0:
        a = run_ref(); b = run_ours()
    else:
        b = run_ours(); a = run_ref()
    r_pp.append(a[0]); r_tg.append(a[1]); r_rss.append(a[2])
    o_pp.append(b[0]); o_tg.append(b[1]); o_rss.append(b[2]); o_load.append(b[3])
    pp_ratio.append(b[0] / a[0]); tg_ratio.append(b[1] / a[1])
# Reference load time: llama-bench does not report it; a run of one prompt
# token is dominated by process start and model load.
ref_load = statistics.median(peak_rss_mib([ref, "-m", model, "-t", threads, "-p", "1", "-n", "0", "-r", "1", "-o", "json"])[1] for _ in range(3))

med = statistics.median
spread = lambda xs: f"{min(xs):.2f}-{max(xs):.2f}"
print(f"model: {os.path.basename(model)}   threads: {threads}   {reps} alternating runs (medians; ratio = median of per-run ratios)")
print(f"Deskpilot's llama.cpp CPU kernels: {' '.join(cpu)}")
print(f"{'':18}{'Deskpilot':>11}{'llama-bench':>13}{'ratio':>8}{'range':>12}")
print(f"{'pp512 (tokens/s)':18}{med(o_pp):11.1f}{med(r_pp):13.1f}{med(pp_ratio):8.2f}{spread(pp_ratio):>12}")
print(f"{'tg128 (tokens/s)':18}{med(o_tg):11.1f}{med(r_tg):13.1f}{med(tg_ratio):8.2f}{spread(tg_ratio):>12}")
print(f"{'model load (ms)':18}{med(o_load):11.0f}{ref_load*1000:13.0f}   (llama-bench: a whole 1-token run)")
print(f"{'peak RSS (MiB)':18}{med(o_rss):11.0f}{med(r_rss):13.0f}")
ok = min(med(pp_ratio), med(tg_ratio)) >= 0.95
print(f"target: both ratios >= 0.95 -> {'met' if ok else 'NOT met'}")
PY
