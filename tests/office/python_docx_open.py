"""Opens each Word file named with python-docx and prints one JSON line per
file: {"file", "paragraphs"} or {"file", "error"}. Run with the PYTHONPATH
that has python-docx (scripts/setup.sh --test's test-python folder)."""
import json
import sys

import docx

for path in sys.argv[1:]:
    try:
        d = docx.Document(path)
        out = {"file": path, "paragraphs": len(d.paragraphs)}
    except Exception as e:
        out = {"file": path, "error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out, ensure_ascii=False), flush=True)
