"""A web worker starts without the libraries only a few requests need (issue 9, memory).

fpdf2 (with fontTools, HarfBuzz and Pillow's fonts), pywebpush, zxcvbn's word
lists, openpyxl, xlsxwriter and segno are together about 75 MB of a worker's
memory; they are imported by the request that renders a PDF, sends a push,
checks a new password or reads a sheet. A module-level import added anywhere
on the start-up path would quietly put them back, so this checks a real start.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ON_DEMAND = ("fpdf", "fontTools", "uharfbuzz", "pywebpush", "zxcvbn", "openpyxl",
             "xlsxwriter", "segno")

START = """
import json, sys
from korch_pwa import create_app
app = create_app()
with app.test_request_context():
    app.preprocess_request()
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _started_modules(database_url, code=START):
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120,
                         env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin",
                              "KORCH_ENV": "development"})
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_a_worker_starts_without_the_on_demand_libraries(database_url):
    loaded = _started_modules(database_url)
    assert "korch_pwa" in loaded and "flask" in loaded
    assert loaded.isdisjoint(ON_DEMAND), sorted(loaded & set(ON_DEMAND))


def test_a_pdf_still_loads_its_renderer_when_asked(database_url):
    loaded = _started_modules(database_url, START.replace(
        "print(", "from korch_pwa.pdf import new_thai_pdf\nnew_thai_pdf('t')\nprint("))
    assert {"fpdf", "fontTools", "uharfbuzz"} <= loaded
