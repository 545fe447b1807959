"""Opens each workbook named with openpyxl (formulas, and again with the
cached values) and prints one JSON line per file: {"file", "sheets",
"formulas"} or {"file", "error"}. Run with the PYTHONPATH that has
openpyxl (scripts/lib/sheets-data.sh's SHEETS_PY)."""
import json
import sys

import openpyxl

for path in sys.argv[1:]:
    try:
        wb = openpyxl.load_workbook(path)
        # The cells there are (iter_rows would make every empty cell of a
        # sheet whose last cell is far away).
        formulas = sum(
            1 for ws in wb.worksheets for c in getattr(ws, "_cells", {}).values()
            if c.data_type == "f")
        cached = openpyxl.load_workbook(path, data_only=True)
        out = {"file": path, "sheets": wb.sheetnames, "formulas": formulas,
               "cached_sheets": cached.sheetnames}
    except Exception as e:
        out = {"file": path, "error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out, ensure_ascii=False), flush=True)
