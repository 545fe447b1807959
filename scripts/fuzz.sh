#!/usr/bin/env bash
# Fuzzes every document reader for a while (default 60 s each), seeded with
# the files of ../shared/corpus. Crashes land in fuzz/artifacts/<target>/;
# each one found becomes a file in crates/core/tests/documents/regressions/
# that the test suite reads on every run.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/fuzz.sh" "$@"

SECS="${1:-60}"; shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(docx xlsx xls xlsb ods csv pdf pptx md html txt)
CORPUS="${DESKPILOT_CORPUS:-$(cd .. && pwd)/shared/corpus}"

command -v cargo-fuzz >/dev/null || { say "installing cargo-fuzz"; cargo install cargo-fuzz --locked; }
# cargo fuzz needs nightly flags (sanitizers); the stable toolchain accepts
# them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
crashed=()
for t in "${TARGETS[@]}"; do
  seeds="fuzz/corpus/$t"
  mkdir -p "$seeds"
  case "$t" in md|txt|html) dir=csv ;; *) dir="$t" ;; esac
  if [ -d "$CORPUS/$dir" ]; then
    find "$CORPUS/$dir" -type f -size -1024k -exec cp -n {} "$seeds/" \; 2>/dev/null || true
  fi
  say "fuzzing $t for $SECS s"
  if ! (cd fuzz && cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=20 -max_len=1048576); then
    crashed+=("$t")
  fi
done
if [ ${#crashed[@]} -gt 0 ]; then
  say "crashes in: ${crashed[*]} (inputs in fuzz/artifacts/); copy each into crates/core/tests/documents/regressions/ with the reader's extension"
  exit 1
fi
say "no crashes found"
