#!/usr/bin/env bash
# Benchmarks a 200,000-row workbook end to end against pandas, in one
# script: open the .xlsx, profile it and answer a grouped question
# ("total revenue by region"), Deskpilot (code only, no model) beside
# pandas (read_excel + describe + groupby), each run in its own process,
# runs alternating. Prints the best times, the ratio pandas / Deskpilot
# (target: above 1, faster than pandas), both answers (they must agree),
# and the memory the analysis took (peak resident set less the resident
# set before reading) against the decoded cell data (target: within 2x).
# Decoded cell data is measured on pandas' frame of the same cells, in
# Arrow's layout: 8 bytes per number or date, a text's UTF-8 bytes plus
# a 4-byte offset. The workbook (dates, regions, products, currency) is
# generated once with a fixed seed into the data folder.
#
# Usage: scripts/bench-sheets.sh [--reps N] [--rows N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh "scripts/bench-sheets.sh" "$@"

REPS=3; ROWS=200000
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS="$2"; shift 2 ;;
    --rows) ROWS="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench-sheets: unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh --packages-only
# shellcheck source=scripts/lib/sheets-data.sh
. scripts/lib/sheets-data.sh

BOOK="$DATA_DIR/bench/sales-$ROWS.xlsx"
if [ ! -f "$BOOK" ]; then
  say "writing a $ROWS-row workbook (once) to $BOOK"
  mkdir -p "$(dirname "$BOOK")"
  PYTHONPATH="$SHEETS_PY" python3 - "$BOOK" "$ROWS" <<'PY'
import datetime as dt, random, sys
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
path, rows = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20261201)
regions = ["North", "South", "East", "West", "Central", "Coast", "Mountain", "Islands"]
products = [f"Product {c}" for c in "ABCDEFGHIJKLMNOPQRST"]
prices = {p: round(rnd.uniform(4, 250), 2) for p in products}
wb = Workbook(write_only=True)
ws = wb.create_sheet("Sales")
ws.append(["Sales ledger, 2023-2024"])
ws.append([])
ws.append(["Order ID", "Date", "Region", "Product", "Channel", "Units", "Unit price", "Revenue"])
start = dt.date(2023, 1, 1)
for i in range(rows):
    p = rnd.choice(products)
    units = rnd.randint(1, 40)
    date = WriteOnlyCell(ws, value=start + dt.timedelta(days=rnd.randrange(731)))
    date.number_format = "yyyy-mm-dd"
    price = WriteOnlyCell(ws, value=prices[p]); price.number_format = '"$"#,##0.00'
    rev = WriteOnlyCell(ws, value=round(units * prices[p], 2)); rev.number_format = '"$"#,##0.00'
    ws.append([f"SO-{i + 1:07d}", date, rnd.choice(regions), p,
               rnd.choice(["Online", "Retail", "Partner"]), units, price, rev])
wb.save(path)
PY
fi

say "building the benchmark (release, without the model engine)"
cargo build --release --locked -p deskpilot-core --no-default-features --example bench_sheets
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

PYTHONPATH="$SHEETS_PY" python3 - "$BOOK" "$TARGET_DIR/release/examples/bench_sheets" "$REPS" <<'PY'
import json, subprocess, sys
book, bench, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
question = "total revenue by region"
PANDAS = r'''
import json, resource, sys, time
import pandas as pd
def data_bytes(df):
    """The cells decoded, in Arrow's layout: 8 bytes per number or date,
    a text's UTF-8 bytes plus its 4-byte offset; empty cells cost nothing."""
    total = 0
    for name in df.columns:
        col = df[name].dropna()
        if col.dtype == object:
            total += sum(len(str(v).encode()) + 4 for v in col)
        else:
            total += 8 * len(col)
    return total
t0 = time.perf_counter()
df = pd.read_excel(sys.argv[1], skiprows=2)
t1 = time.perf_counter()
prof = df.describe(include="all")
t2 = time.perf_counter()
g = df.groupby("Region")["Revenue"].sum()
t3 = time.perf_counter()
print(json.dumps({"rows": len(df), "read_s": t1 - t0, "profile_s": t2 - t1, "answer_s": t3 - t2,
  "total_s": t3 - t0, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
  "frame_bytes": int(df.memory_usage(deep=True).sum()), "data_bytes": data_bytes(df),
  "value": {k: float(v) for k, v in g.items()}}))
'''
def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"bench-sheets: {cmd[0]} failed: {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])
ours, theirs = [], []
for i in range(reps):
    ours.append(run([bench, book, question]))
    theirs.append(run([sys.executable, "-c", PANDAS, book]))
    print(f"run {i + 1}/{reps}: Deskpilot {ours[-1]['total_s']:.2f} s, pandas {theirs[-1]['total_s']:.2f} s", file=sys.stderr)
best = lambda runs, k: min(r[k] for r in runs)
o, p = ours[0], theirs[0]
agree = o["value"].keys() == p["value"].keys() and all(abs(o["value"][k] - p["value"][k]) < 0.005 for k in p["value"])
print(f"workbook: {book} ({o['rows']:,} data rows; pandas read {p['rows']:,})")
print(f"question: {question!r}; answers agree: {'yes' if agree else 'NO'}")
print()
print("| stage | Deskpilot | pandas |")
print("|---|---|---|")
print(f"| open (read the file) | {best(ours, 'read_s'):.2f} s | {best(theirs, 'read_s'):.2f} s (read_excel) |")
print(f"| find tables, type columns | {best(ours, 'tables_s'):.2f} s | (in read_excel) |")
print(f"| profile | {best(ours, 'profile_s'):.2f} s | {best(theirs, 'profile_s'):.2f} s (describe) |")
print(f"| grouped answer | {best(ours, 'answer_s') * 1000:.0f} ms | {best(theirs, 'answer_s') * 1000:.0f} ms (groupby) |")
ratio = best(theirs, 'total_s') / best(ours, 'total_s')
print(f"| **end to end** | **{best(ours, 'total_s'):.2f} s** | **{best(theirs, 'total_s'):.2f} s** |")
print()
print(f"speed: pandas / Deskpilot = {ratio:.2f}x (target: above 1)")
mb = lambda b: b / 1024 / 1024
used = min(r["peak_rss"] - r["start_rss"] for r in ours)
data = p["data_bytes"]
print(f"memory: Deskpilot's analysis took {mb(used):.1f} MB (peak {mb(min(r['peak_rss'] for r in ours)):.1f} MB, "
      f"{mb(o['start_rss']):.1f} MB before reading); the decoded cell data is {mb(data):.1f} MB; "
      f"ratio {used / data:.2f}x (target: within 2x)")
print(f"  held once read: grid {mb(o['grid_bytes']):.1f} MB, typed columns {mb(o['column_bytes']):.1f} MB; "
      f"pandas peak {mb(min(r['peak_rss'] for r in theirs)):.0f} MB, its DataFrame {mb(p['frame_bytes']):.0f} MB")
PY
