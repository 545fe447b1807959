# Sourced by setup.sh --test: builds llama.cpp's own llama-server once, from
# the llama.cpp tree vendored in llama-cpp-python's source distribution,
# into the data folder (so every checkout and CI run reuses it). The remote
# backend's tests talk to it over loopback. Portable flags (no -march=native).
# Sets LLAMA_SERVER.
LLAMA_PY=llama-cpp-python==0.3.36
TOOLS_DIR="$DATA_DIR/tools"
LLAMA_SERVER="$TOOLS_DIR/llama-server"
if [ -x "$LLAMA_SERVER" ]; then
  say "llama-server already built ($LLAMA_SERVER)"
else
  src="$TOOLS_DIR/llama.cpp"
  mkdir -p "$TOOLS_DIR"
  if [ ! -d "$src" ]; then
    say "fetching the llama.cpp sources vendored in $LLAMA_PY (sdist)"
    tmp=$(mktemp -d)
    python3 -m pip download --no-deps --no-binary :all: --disable-pip-version-check -q -d "$tmp" "$LLAMA_PY" \
      || die "pip could not download $LLAMA_PY"
    tar -xzf "$tmp"/llama_cpp_python-*.tar.gz -C "$tmp"
    mv "$tmp"/llama_cpp_python-*/vendor/llama.cpp "$src"
    rm -rf "$tmp"
  fi
  say "building llama-server for the remote-backend tests (a few minutes, once)"
  cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=ON -DBUILD_SHARED_LIBS=OFF >/dev/null || die "cmake could not configure llama.cpp"
  cmake --build "$src/build" --target llama-server -j"$(nproc)" >/dev/null || die "llama-server did not build"
  cp "$src/build/bin/llama-server" "$LLAMA_SERVER"
  rm -rf "$src"
fi
