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
# shellcheck source=scripts/common.sh
. scripts/common.sh "scripts/bench.sh" "$@"

MODEL=""; THREADS=""; REPS=3
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
DATA_DIR="${DESKPILOT_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/deskpilot}"
MODEL="${MODEL:-${DESKPILOT_MODELS_DIR:-$DATA_DIR/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"
THREADS="${THREADS:-$(lscpu -p=Core,Socket 2>/dev/null | grep -v '^#' | sort -u | wc -l)}"
[ "$THREADS" -ge 1 ] 2>/dev/null || THREADS=1

# --- reference: llama-bench --------------------------------------------------
BENCH_DIR=.bench
LLAMA_PY=llama-cpp-python==0.3.36
REF="$BENCH_DIR/llama.cpp/build/bin/llama-bench"
if [ ! -x "$REF" ]; then
  mkdir -p "$BENCH_DIR"
  if [ ! -d "$BENCH_DIR/llama.cpp" ]; then
    say "fetching the llama.cpp sources vendored in $LLAMA_PY (sdist)"
    ls "$BENCH_DIR"/llama_cpp_python-*.tar.gz >/dev/null 2>&1 ||
      python3 -m pip download --no-deps --no-binary :all: --disable-pip-version-check -q -d "$BENCH_DIR" "$LLAMA_PY"
    tar -xzf "$BENCH_DIR"/llama_cpp_python-*.tar.gz -C "$BENCH_DIR"
    mv "$BENCH_DIR"/llama_cpp_python-*/vendor/llama.cpp "$BENCH_DIR/llama.cpp"
    rm -rf "$BENCH_DIR"/llama_cpp_python-*/
  fi
  flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
  has() { [[ " $flags " == *" $1 "* ]] && echo ON || echo OFF; }
  CPU_OPTS=(-DGGML_NATIVE=OFF -DGGML_AVX="$(has avx)" -DGGML_AVX2="$(has avx2)" -DGGML_FMA="$(has fma)"
    -DGGML_F16C="$(has f16c)" -DGGML_AVX512="$(has avx512f)" -DGGML_AVX512_VBMI="$(has avx512vbmi)"
    -DGGML_AVX512_VNNI="$(has avx512_vnni)" -DGGML_AVX512_BF16="$(has avx512_bf16)"
    -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF)
  say "building llama-bench (${CPU_OPTS[*]})"
  cmake -S "$BENCH_DIR/llama.cpp" -B "$BENCH_DIR/llama.cpp/build" -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=OFF -DBUILD_SHARED_LIBS=OFF "${CPU_OPTS[@]}" >/dev/null
  cmake --build "$BENCH_DIR/llama.cpp/build" --target llama-bench -j"$(nproc)" >/dev/null
fi

# --- Deskpilot's engine ------------------------------------------------------
say "building Deskpilot's engine benchmark"
cargo build --release --locked -p deskpilot-core --example bench_engine
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

say "running both on $(basename "$MODEL") with $THREADS threads, $REPS repetitions, alternating"
python3 - "$REF" "$TARGET_DIR/release/examples/bench_engine" "$MODEL" "$THREADS" "$REPS" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
ref, ours, model, threads, reps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

def run(cmd):
    """Runs a command alone; returns (stdout, wall seconds, its peak RSS in MiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t
    # ru_maxrss of children is the largest of any child so far: run the
    # biggest last or read it per run as here (each run is a fresh child and
    # the value only grows, so we record our own figure from the child).
    return out, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

res = {"ref_pp": [], "ref_tg": [], "our_pp": [], "our_tg": [], "our_load": [], "ref_wall": [], "our_rss": [], "ref_rss": []}
for i in range(reps):
    out, wall, _ = run([ref, "-m", model, "-t", threads, "-p", "512", "-n", "128", "-r", "1", "-o", "json"])
    for row in json.loads(out):
        key = "ref_pp" if row["n_prompt"] > 0 else "ref_tg"
        res[key].append(row["avg_ts"])
    out, wall, _ = run([ours, "--model", model, "--threads", threads, "--pp", "512", "--tg", "128"])
    o = json.loads(out)
    res["our_pp"].append(o["pp_tps"]); res["our_tg"].append(o["tg_tps"])
    res["our_load"].append(o["load_ms"]); res["our_rss"].append(o["peak_rss_mib"])
# Reference load time: llama-bench does not report it; a 1-token run is
# dominated by process start and model load.
_, ref_load, _ = run([ref, "-m", model, "-t", threads, "-p", "1", "-n", "0", "-r", "1", "-o", "json"])
# Peak RSS of llama-bench alone: measured last in its own child accounting.
rss_probe = subprocess.run(["/bin/sh", "-c", f'"{ref}" -m "{model}" -t {threads} -p 512 -n 128 -r 1 -o json >/dev/null & pid=$!; peak=0; while kill -0 $pid 2>/dev/null; do r=$(awk \'/VmHWM/{{print $2}}\' /proc/$pid/status 2>/dev/null); [ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r; sleep 0.05; done; echo $peak'], capture_output=True, text=True).stdout.strip()
ref_rss = int(rss_probe or 0) / 1024

med = statistics.median
pp_ratio = med(res["our_pp"]) / med(res["ref_pp"])
tg_ratio = med(res["our_tg"]) / med(res["ref_tg"])
print(f"model: {os.path.basename(model)}   threads: {threads}   repetitions: {reps} (medians)")
print(f"{'':22}{'Deskpilot':>12}{'llama-bench':>14}{'ratio':>8}")
print(f"{'pp512 (tokens/s)':22}{med(res['our_pp']):12.1f}{med(res['ref_pp']):14.1f}{pp_ratio:8.2f}")
print(f"{'tg128 (tokens/s)':22}{med(res['our_tg']):12.1f}{med(res['ref_tg']):14.1f}{tg_ratio:8.2f}")
print(f"{'model load (ms)':22}{med(res['our_load']):12.0f}{ref_load*1000:14.0f}   (llama-bench: whole 1-token run)")
print(f"{'peak RSS (MiB)':22}{med(res['our_rss']):12.0f}{ref_rss:14.0f}")
print(f"target: both ratios >= 0.95 -> {'met' if min(pp_ratio, tg_ratio) >= 0.95 else 'NOT met'}")
PY
