"""A headless LibreOffice reached over UNO, for the office tests: started
with its own profile, started again when it stops on a file.

Debian's libreoffice (writer, calc) and python3-uno; run with the system's
/usr/bin/python3, which has uno.
"""
import json
import os
import shutil
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


class Office:
    """A headless LibreOffice reached over a pipe, with its own profile."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="dp-lo-profile-")
        self.pipe = "dp_lo_%d_%d" % (os.getpid(), int(time.time() * 1000))
        self.proc = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
             "-env:UserInstallation=file://" + self.profile,
             "--accept=pipe,name=%s;urp;" % self.pipe],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe)
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            self.close()
            sys.exit("LibreOffice did not start")
        smgr = ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        self.dispatcher = smgr.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", ctx)

    def load(self, path):
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        return self.desktop.loadComponentFromURL(
            url, "_blank", 0, (prop("Hidden", True), prop("ReadOnly", False)))

    def close(self):
        try:
            self.desktop.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)



def each(files, read):
    """Prints read(office, file) as one JSON line per file; a file
    LibreOffice stops on is reported and LibreOffice started again."""
    office = Office()
    try:
        for f in files:
            try:
                out = read(office, f)
            except Exception as e:  # the bridge died with LibreOffice
                out = {"file": f, "error": "LibreOffice stopped on it: %s" % type(e).__name__}
                office.proc.kill()
                office.close()
                office = Office()
            print(json.dumps(out, ensure_ascii=False), flush=True)
    finally:
        office.close()
