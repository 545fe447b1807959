#!/usr/bin/python3
"""What LibreOffice computes for the formulas Deskpilot wrote: for each
workbook in the manifest, LibreOffice opens it, recalculates everything
(its own engine, not the values cached in the file) and reports the named
cells of the named sheet, as one JSON object per line: {"file", "cells":
{"B8": {"value": number or text, "formula": ...}}} (a cell whose formula
fails has "error": code instead of "value"), or {"file", "error"}.

An independent check for the write-back tests (Debian's
libreoffice-calc-nogui and python3-uno; run with /usr/bin/python3).
Usage: recalc.py MANIFEST.json, the manifest a list of {"file", "sheet",
"cells": ["B8", ...]} (an empty sheet name: only whether it opens).
"""
import json
import sys

from office import each

# com.sun.star.table.CellContentType and FormulaResult
FORMULA = 3
TEXT_RESULT = 2


def main(manifest):
    entries = {e["file"]: e for e in json.load(open(manifest))}

    def read(office, path):
        doc = office.load(path)
        if doc is None:
            return {"file": path, "error": "LibreOffice cannot open it"}
        try:
            doc.calculateAll()
            want = entries[path]
            if not want["sheet"]:  # only whether it opens
                return {"file": path, "cells": {}}
            if not doc.Sheets.hasByName(want["sheet"]):
                return {"file": path, "error": "no sheet " + want["sheet"]}
            sheet = doc.Sheets.getByName(want["sheet"])
            cells = {}
            for a1 in want["cells"]:
                c = sheet.getCellRangeByName(a1)
                got = {"formula": c.getFormula()}
                if c.getError():
                    got["error"] = c.getError()
                elif c.FormulaResultType2 == TEXT_RESULT:
                    got["value"] = c.getString()
                else:
                    got["value"] = c.getValue()
                cells[a1] = got
            return {"file": path, "cells": cells}
        finally:
            doc.close(True)

    each(list(entries), read)


if __name__ == "__main__":
    main(sys.argv[1])
