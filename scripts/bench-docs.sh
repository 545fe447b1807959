#!/usr/bin/env bash
# Benchmarks document extraction against Python's mature readers, in one
# run over the corpus files that both sides open: python-docx for .docx,
# pandas.read_excel for .xlsx, .xls and .ods. Prints seconds and the ratio
# (Python time / Deskpilot time). Targets: 10x python-docx, 5x pandas.
#
# Usage: scripts/bench-docs.sh [--reps N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/bench-docs.sh" "$@"

REPS=3
[ "${1:-}" = "--reps" ] && REPS="$2"
CORPUS="${DESKPILOT_CORPUS:-$(cd .. && pwd)/shared/corpus}"
[ -f "$CORPUS/MANIFEST.tsv" ] || { echo "bench-docs: no corpus at $CORPUS (set DESKPILOT_CORPUS)" >&2; exit 2; }

VENV=.bench/pyreaders
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with python-docx, pandas, openpyxl, xlrd, odfpy"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check python-docx pandas openpyxl xlrd odfpy
fi

say "building the extraction benchmark (without the model engine)"
cargo build --release --locked -p deskpilot-core --no-default-features --example bench_docs
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

"$VENV/bin/python" - "$CORPUS" "$TARGET_DIR/release/examples/bench_docs" "$REPS" <<'PY'
import json, subprocess, sys, time, warnings
warnings.filterwarnings("ignore")
corpus, ours, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
import docx, pandas as pd

def python_docx(p):
    d = docx.Document(p)
    n = sum(len(x.text) for x in d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                n += len(c.text)
    return n

def pandas_excel(p):
    sheets = pd.read_excel(p, sheet_name=None, header=None)
    return sum(df.size for df in sheets.values())

groups = {"docx": ("python-docx", python_docx, 10), "xlsx": ("pandas", pandas_excel, 5),
          "xls": ("pandas", pandas_excel, 5), "ods": ("pandas", pandas_excel, 5)}
# Only files Python's readers are known to open (BASELINE.tsv): the corpus
# also holds bombs that would take Python down.
import resource
resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
rows = [l.split("\t") for l in open(f"{corpus}/BASELINE.tsv").read().splitlines()[1:]]
files = [r[0] for r in rows if r[2] == "yes" and r[0].split("/")[0] in groups]
out = subprocess.run([ours, "--reps", str(reps)], input="\n".join(f"{corpus}/{f}" for f in files),
                     capture_output=True, text=True, check=True).stdout
mine = {json.loads(l)["path"][len(corpus) + 1:]: json.loads(l) for l in out.splitlines()}
totals = {}
for f in files:
    fmt = f.split("/")[0]
    name, fn, _ = groups[fmt]
    best, ok = float("inf"), True
    for _ in range(reps):
        t = time.perf_counter()
        try:
            fn(f"{corpus}/{f}")
        except Exception:
            ok = False
            break
        best = min(best, time.perf_counter() - t)
    if ok and mine[f]["ok"]:
        t = totals.setdefault(fmt, [0, 0.0, 0.0])
        t[0] += 1; t[1] += best; t[2] += mine[f]["seconds"]
print(f"{'format':8}{'files':>7}{'reader':>14}{'Python s':>11}{'Deskpilot s':>13}{'ratio':>8}{'target':>8}")
for fmt, (n, py, us) in totals.items():
    name, _, target = groups[fmt]
    ratio = py / us if us else float("inf")
    print(f"{fmt:8}{n:>7}{name:>14}{py:>11.3f}{us:>13.3f}{ratio:>7.1f}x{target:>7}x {'met' if ratio >= target else 'NOT met'}")
PY
