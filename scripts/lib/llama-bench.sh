# Sourced by the bench scripts: builds llama.cpp's own llama-bench once,
# into .bench/, from the llama.cpp tree vendored in llama-cpp-python's
# source distribution, with the instruction sets this CPU runs as
# llama-cpu.sh reads them (AMX left out). Sets REF.
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
  # The same instruction sets as Deskpilot's own build (llama-cpu.sh,
  # sourced by common.sh), whatever DESKPILOT_CPU says; off x86, ggml's
  # native detection.
  mapfile -t CPU_OPTS < <(llama_cpu_native_options)
  if [ "${#CPU_OPTS[@]}" -gt 0 ]; then
    CPU_OPTS=(-DGGML_NATIVE=OFF "${CPU_OPTS[@]/#/-D}")
  else
    CPU_OPTS=(-DGGML_NATIVE=ON)
  fi
  say "building llama-bench (${CPU_OPTS[*]})"
  cmake -S "$BENCH_DIR/llama.cpp" -B "$BENCH_DIR/llama.cpp/build" -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=OFF -DBUILD_SHARED_LIBS=OFF "${CPU_OPTS[@]}" >/dev/null
  cmake --build "$BENCH_DIR/llama.cpp/build" --target llama-bench -j"$(nproc)" >/dev/null
fi

