#!/usr/bin/python3
"""What LibreOffice makes of Word files with tracked changes: for each file
named, its text with every change rejected and with every change accepted,
as one JSON object per line ({"file", "rejected", "accepted"}, or
{"file", "error"} when LibreOffice cannot open it or stops on it; it is
then started again for the next file).

An independent reader for the edit tests (Debian's libreoffice-writer-nogui
and python3-uno; run with the system's /usr/bin/python3, which has uno).
Usage: revisions.py FILE.docx...
"""
import sys

from office import each


def read(office, path):
    out = {"file": path}
    for how, command in (("rejected", ".uno:RejectAllTrackedChanges"),
                         ("accepted", ".uno:AcceptAllTrackedChanges")):
        doc = office.load(path)
        if doc is None:
            return {"file": path, "error": "LibreOffice cannot open it"}
        frame = doc.getCurrentController().getFrame()
        office.dispatcher.executeDispatch(frame, command, "", 0, ())
        out[how] = doc.getText().getString()
        doc.close(True)
    return out


if __name__ == "__main__":
    each(sys.argv[1:], read)
