# Sourced by common.sh: the instruction sets llama.cpp's CPU kernels are
# compiled for. By default, this machine's own, read from /proc/cpuinfo:
# with AVX-512, Q4_K models (most GGUFs people download) process prompts
# about 1.4 times as fast as with llama-cpp-2's AVX2 default, and a CPU
# without AVX2 gets kernels it can run. AMX stays off: its kernels die
# with an illegal instruction on VMs that report it but do not enable it.
# DESKPILOT_CPU=portable keeps llama-cpp-2's default (AVX2), for a binary
# meant to run on other machines. Either way llama.cpp is optimised fully
# (-O3; see LLAMA_LIB_PROFILE below).
#
# llama-cpp-sys-2's build script hands GGML_* variables to CMake, but an
# existing CMake build in Cargo's target folder is not reconfigured when
# they change. So the choice is written to a stamp in the target folder,
# and when it differs, the llama.cpp builds there are removed for Cargo to
# build afresh.

# Prints NAME=ON|OFF for each of ggml's x86 instruction-set options, as
# this CPU supports them (nothing off x86 or without /proc/cpuinfo, where
# ggml's own defaults stand). The reference llama-bench (llama-bench.sh)
# is built with the same options, even when DESKPILOT_CPU=portable.
llama_cpu_native_options() {
  [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ] || return 0
  local flags
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  # ON when the CPU has every one of the named flags.
  onoff() {
    local f
    for f in "$@"; do
      [[ "$flags" == *" $f "* ]] || { echo OFF; return; }
    done
    echo ON
  }
  echo "GGML_SSE42=$(onoff sse4_2)"
  echo "GGML_AVX=$(onoff avx)"
  echo "GGML_AVX2=$(onoff avx2)"
  echo "GGML_BMI2=$(onoff bmi2)"
  echo "GGML_FMA=$(onoff fma)"
  echo "GGML_F16C=$(onoff f16c)"
  echo "GGML_AVX_VNNI=$(onoff avx_vnni)"
  # ggml's AVX512 option means these five together.
  echo "GGML_AVX512=$(onoff avx512f avx512cd avx512vl avx512dq avx512bw)"
  echo "GGML_AVX512_VBMI=$(onoff avx512f avx512vbmi)"
  echo "GGML_AVX512_VNNI=$(onoff avx512f avx512_vnni)"
  echo "GGML_AVX512_BF16=$(onoff avx512f avx512_bf16)"
  echo "GGML_AMX_TILE=OFF"
  echo "GGML_AMX_INT8=OFF"
  echo "GGML_AMX_BF16=OFF"
}
llama_cpu_setup() {
  local mode="${DESKPILOT_CPU:-native}" wanted=portable
  case "$mode" in
    native | portable) ;;
    *)
      printf 'deskpilot: DESKPILOT_CPU must be native or portable, not %s\n' "$mode" >&2
      exit 2
      ;;
  esac
  local options=""
  [ "$mode" = native ] && options=$(llama_cpu_native_options)
  if [ -n "$options" ]; then
    local option
    while IFS= read -r option; do
      export "${option?}"
    done <<<"$options"
    wanted="native:$(env | grep '^GGML_' | sort | tr '\n' ' ')"
  fi
  # llama-cpp-sys-2 compiles llama.cpp as RelWithDebInfo (-O2) whenever
  # Cargo's profile has debug info, as ours has (line tables, for
  # backtraces); -O3 makes flash attention's kernels about twice as fast.
  # .cargo/config.toml says the same for plain cargo commands.
  export LLAMA_LIB_PROFILE="${LLAMA_LIB_PROFILE:-Release}"
  wanted="$wanted profile:$LLAMA_LIB_PROFILE"
  local target="${CARGO_TARGET_DIR:-target}" stamp
  stamp="$target/.deskpilot-llama-cpu"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    if compgen -G "$target/*/build/llama-cpp-sys-2-*" >/dev/null; then
      printf '==> llama.cpp was built for other CPU options here; building it again for: %s\n' "$wanted" >&2
      rm -rf "$target"/*/build/llama-cpp-sys-2-* "$target"/*/.fingerprint/llama-cpp-sys-2-*
    fi
    mkdir -p "$target"
    printf '%s' "$wanted" >"$stamp"
  fi
}
llama_cpu_setup
