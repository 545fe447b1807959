# Sourced by run.sh, test.sh and bench.sh (from the checkout's root).
#
# Under `sudo` by a normal user, only the system packages are installed as
# root; the build, the models and the app then run as the user who typed
# sudo, with their own Rust toolchain and data folder, so nothing in the
# checkout or the home folder ends up owned by root.
if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  bash scripts/setup.sh --packages-only
  printf '==> continuing as %s\n' "$SUDO_USER" >&2
  # sudo's secure PATH drops ~/.cargo/bin; -i gives the user's login PATH.
  exec sudo -u "$SUDO_USER" -i -- bash -c 'cd "$1" && shift && exec bash "$@"' _ "$PWD" "$@"
fi
# sudo's secure PATH (and some login setups) leave out rustup's folder.
if ! command -v cargo >/dev/null && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi
say() { printf '==> %s\n' "$*" >&2; }
# shellcheck source=scripts/lib/llama-cpu.sh
. scripts/lib/llama-cpu.sh
# shellcheck source=scripts/lib/data-dir.sh
. scripts/lib/data-dir.sh
