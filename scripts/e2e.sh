#!/usr/bin/env bash
# The window's end-to-end tests: builds the release app, starts it under
# Xvfb (when no display is present) through tauri-driver and
# WebKitWebDriver, and drives it with the default model. Screenshots of
# each step go to $E2E_SHOTS (default: target/e2e-shots). With --bench it
# runs the window's benchmark instead (scripts/bench-window.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/e2e.sh" "$@"

DRIVER="$DATA_DIR/tools/bin/tauri-driver"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
shots="${E2E_SHOTS:-$PWD/target/e2e-shots}"
[ -x "$DRIVER" ] || { echo "e2e: $DRIVER missing: run scripts/setup.sh --test" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "e2e: WebKitWebDriver missing: run scripts/setup.sh --test" >&2; exit 1; }

if [ -z "${DISPLAY:-}" ] && [ -z "${E2E_UNDER_XVFB:-}" ]; then
  say "no display: running the window under Xvfb"
  export E2E_UNDER_XVFB=1
  exec xvfb-run -a -s "-screen 0 1400x900x24" bash "$0" "$@"
fi

say "building the page and the window (release)"
bash scripts/ui.sh
cargo build --release --locked -p deskpilot-app -p deskpilot-cli
if [ "${1:-}" = --bench ]; then
  # The memory figure's reference: a bare WebKitGTK window.
  cargo build --release --locked -p deskpilot-app --example bare_webview
fi

work="$(mktemp -d)"
driver_pid=""
cleanup() {
  # SIGTERM, never SIGKILL: killed hard, tauri-driver orphans
  # WebKitWebDriver on its port and the next run cannot start a session.
  if [ -n "$driver_pid" ]; then kill -TERM "$driver_pid" 2>/dev/null || true; wait "$driver_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A real Word file, written by python-docx (installed by setup --test).
PYTHONPATH="$DATA_DIR/test-python" python3 - "$work/council-report.docx" <<'PY'
import sys, docx
d = docx.Document()
d.add_heading("Council report: spring programme", 1)
d.add_heading("Budget", 2)
d.add_paragraph("The council approved a budget of 4.2 million pounds for road repairs in the north district. Work starts in April and should end before the winter.")
d.add_heading("Schools", 2)
d.add_paragraph("Three primary schools will get new science laboratories before the autumn term begins. The laboratories cost 900,000 pounds in all.")
d.add_heading("Libraries", 2)
d.add_paragraph("The central library will open on Sundays from May, staffed by two new librarians and volunteers from the reading club.")
d.save(sys.argv[1])
PY

(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

mkdir -p "$work/data" "$work/models" "$shots"
# The window gets a models folder of its own (links to the test models), so
# what the Models page downloads and removes stays in it; downloads come
# from a local server that behaves like Hugging Face (started by the test).
ln -s "$MODELS_DIR"/*.gguf "$work/models/"
HUB_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export HUB_PORT
say "starting tauri-driver (WebKitWebDriver underneath)"
DESKPILOT_DATA_DIR="$work/data" DESKPILOT_MODELS_DIR="$work/models" DESKPILOT_DB="$work/data/deskpilot.sqlite3" \
  HF_ENDPOINT="http://127.0.0.1:$HUB_PORT" HF_TOKEN="" \
  "$DRIVER" --port 4444 --native-port 4445 >"$work/driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 1 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null; then break; fi
  sleep 0.1
done

status=0
if [ "${1:-}" = --bench ]; then
  say "measuring the window (launch, memory, painting while streaming)"
  python3 - "$work/ledger-200000.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,region,amount,date\n")
    for i in range(200_000):
        f.write(f"{i},{('North','South','East','West')[i % 4]},{i % 1000}.{i % 100:02},2024-{i % 12 + 1:02}-{i % 28 + 1:02}\n")
PY
  APP="$target/release/deskpilot-app" BARE_WEBVIEW="$target/release/examples/bare_webview" \
    BIGCSV="$work/ledger-200000.csv" node tests/e2e/bench.mjs || status=$?
else
  say "driving the window (default model)"
  # A copy of the sample: the window writes its analysis beside it.
  cp assets/samples/sales.xlsx "$work/sales.xlsx"
  APP="$target/release/deskpilot-app" CLI="$target/release/deskpilot" \
    DOCX="$work/council-report.docx" SHEET="$work/sales.xlsx" SHOTS="$shots" \
    SMOL="$MODELS_DIR/SmolLM2-135M-Instruct.Q4_1.gguf" \
    node --test --test-concurrency=1 --test-timeout=600000 ${E2E_ONLY:+--test-name-pattern="$E2E_ONLY"} tests/e2e/i18n.test.mjs tests/e2e/blocks.test.mjs tests/e2e/window.test.mjs || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "e2e: tauri-driver's log:" >&2
  tail -n 40 "$work/driver.log" >&2 || true
fi
say "screenshots in $shots"
exit "$status"
