# Sourced by the bench scripts: builds llama.cpp's own llama-bench once,
# into .bench/, from the llama.cpp tree vendored in llama-cpp-python's
# source distribution, with the best x86 flags this CPU runs (AMX left out:
# its kernels die with an illegal instruction on some VMs). Sets REF.
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

