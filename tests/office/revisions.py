#!/usr/bin/python3
"""What LibreOffice makes of Word files with tracked changes: for each file
named, its text with every change rejected and with every change accepted,
as one JSON object per line ({"file", "rejected", "accepted"}, or
{"file", "error"} when LibreOffice cannot open it).

An independent reader for the edit tests (Debian's libreoffice-writer-nogui
and python3-uno; run with the system's /usr/bin/python3, which has uno).
Usage: revisions.py FILE.docx...
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(files):
    profile = tempfile.mkdtemp(prefix="dp-lo-profile-")
    pipe = "dp_lo_%d" % os.getpid()
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         "-env:UserInstallation=file://" + profile,
         "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            sys.exit("revisions.py: LibreOffice did not start")
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", ctx)
        for f in files:
            out = {"file": f}
            for how, command in (("rejected", ".uno:RejectAllTrackedChanges"),
                                 ("accepted", ".uno:AcceptAllTrackedChanges")):
                url = uno.systemPathToFileUrl(os.path.abspath(f))
                doc = desktop.loadComponentFromURL(
                    url, "_blank", 0, (prop("Hidden", True), prop("ReadOnly", False)))
                if doc is None:
                    out["error"] = "LibreOffice cannot open it"
                    break
                frame = doc.getCurrentController().getFrame()
                dispatcher.executeDispatch(frame, command, "", 0, ())
                out[how] = doc.getText().getString()
                doc.close(True)
            print(json.dumps(out, ensure_ascii=False), flush=True)
        desktop.terminate()
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv[1:])
