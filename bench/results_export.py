"""Time and memory of the results downloads, up to the whole country.

Generates every province (as bench/country_dashboards.py does: about 7,256
subdistricts, 13,800 assessments, 317,000 answers), then downloads, as the
department, each table (one row per subdistrict x round x indicator, and one
per subdistrict x round) as CSV and XLSX, for one province and for the whole
country, through the Flask test client without buffering the body.

Each download runs in a fresh process (so that memory freed by one cannot
hide the next one's): it prints the time, the bytes, and how much the
process's peak resident memory (Linux VmHWM) grew above what it held once
logged in. Constant memory means the country's growth is about the
province's, though it has 25 times the rows.

Baseline, in the same run: reading the country's answers straight from the
database with one SELECT (no areas, no formatting) and writing them with
csv.writer to nowhere; the ratio says what the export adds to that.

    .venv/bin/python bench/results_export.py            # SQLite in /tmp
    .venv/bin/python bench/results_export.py --keep     # reuse the data
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_results \\
        .venv/bin/python bench/results_export.py

The database is a SCRATCH database: every table in it is dropped first.
"""

import argparse
import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.country_dashboards import BIG, ensure_officers, login, prepare_country  # noqa: E402
from bench.province_report import FY, make_app  # noqa: E402


def memory_kib(field):
    """Return a VmRSS/VmHWM figure of this process, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def parse_args():
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default="/tmp/korch-country.sqlite",
                        help="SQLite file used when BENCH_DATABASE_URL is not set")
    parser.add_argument("--keep", action="store_true",
                        help="reuse the data already in the database (no generation)")
    parser.add_argument("--batch", type=int, help="subdistricts read at a time (default: "
                        "korch_pwa.results.export_data.BATCH)")
    parser.add_argument("--download", help=argparse.SUPPRESS)  # one download, in a child
    return parser.parse_args()


def download(client, url):
    """Return (seconds, bytes, peak growth KiB, body head) of GET ``url``, streamed."""
    before = memory_kib("VmRSS")
    start = time.perf_counter()
    response = client.get(url, buffered=False)
    assert response.status_code == 200, (url, response.status_code)
    size, head = 0, b""
    for chunk in response.response:
        if len(head) < 4096:
            head += chunk[:4096]
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - start
    return seconds, size, memory_kib("VmHWM") - before, head


def baseline(db):
    """Return seconds to read every answer with one SELECT and write it as CSV to nowhere."""
    from korch_pwa.assessment.models import Answer

    start = time.perf_counter()
    sink = io.StringIO()
    writer = csv.writer(sink)
    with db.engine.connect() as conn:
        result = conn.execution_options(yield_per=5000).execute(
            select(Answer.assessment_id, Answer.indicator_code, Answer.score, Answer.note))
        for rows in result.partitions():
            writer.writerows(rows)
            sink.seek(0)
            sink.truncate()
    return time.perf_counter() - start


def child(args):
    """Download one URL in this fresh process; print the figures as JSON."""
    app = make_app(args, fresh=False)
    if args.batch:
        from korch_pwa.results import export_data
        export_data.BATCH = args.batch
    client = login(app, "bench_department")
    seconds, size, grew, head = download(client, args.download)
    print(json.dumps({"seconds": seconds, "bytes": size, "grew": grew,
                      "bom": head.startswith(b"\xef\xbb\xbf")}))


def in_child(args, url):
    """Return the figures of downloading ``url`` in a fresh process."""
    command = [sys.executable, __file__, "--keep", "--sqlite", args.sqlite, "--download", url]
    if args.batch:
        command += ["--batch", str(args.batch)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    """Generate (unless --keep), then download and measure."""
    args = parse_args()
    if args.download:
        return child(args)
    app = make_app(args, fresh=not args.keep)
    from korch_pwa.assessment.models import Answer, Assessment
    from korch_pwa.extensions import db
    from korch_pwa.org.models import Area

    with app.app_context():
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
        if not args.keep:
            prepare_country(db)
        counts = {name: db.session.scalar(select(func.count()).select_from(model).where(*where))
                  for name, model, where in (
                      ("subdistricts", Area, (Area.level == "subdistrict",)),
                      (f"subdistricts of {BIG}", Area, (Area.level == "subdistrict",
                                                        Area.code.startswith(BIG))),
                      ("assessments", Assessment, ()), ("answers", Answer, ()))}
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        ensure_officers(db)
        base = min(baseline(db) for _ in range(2))
        db.session.remove()
    print(f"baseline: one SELECT of all {counts['answers']:,} answers written as CSV to "
          f"nowhere: {base:.2f} s")

    print(f"\n{'area':<9} {'download':<18} {'seconds':>8} {'x base':>7} {'MB':>7} "
          f"{'peak +MiB':>10}")
    growth = {}
    for area, label in ((BIG, f"province {BIG}"), ("", "country")):
        for table in ("summary", "indicators"):
            for fmt in ("csv", "xlsx"):
                url = f"/dashboard/results/export/{table}.{fmt}?fy={FY}&area={area}"
                got = in_child(args, url)
                seconds, size, grew = got["seconds"], got["bytes"], got["grew"]
                assert got["bom"] or fmt == "xlsx", url
                growth[(label, table, fmt)] = grew
                print(f"{label:<9} {table + '.' + fmt:<18} {seconds:8.2f} {seconds / base:7.1f} "
                      f"{size / 1e6:7.1f} {grew / 1024:10.1f}", flush=True)
    worst = max(growth[("country", t, f)] / max(growth[(f"province {BIG}", t, f)], 1)
                for t in ("summary", "indicators") for f in ("csv", "xlsx"))
    print(f"\nconstant memory: the country's peak growth is at most {worst:.2f}x the "
          f"province's, for {counts['subdistricts'] / counts[f'subdistricts of {BIG}']:.0f}x the "
          f"rows")
    print("memory follows the batch (subdistricts read at a time), not the area: "
          "indicators.csv")
    from korch_pwa.results.export_data import BATCH
    for batch in (50, BATCH, 4 * BATCH):
        for area, label in ((BIG, f"province {BIG}"), ("", "country")):
            got = in_child(argparse.Namespace(sqlite=args.sqlite, batch=batch),
                           f"/dashboard/results/export/indicators.csv?fy={FY}&area={area}")
            print(f"  batch {batch:>4} {label:<12} {got['seconds']:6.2f} s  peak "
                  f"+{got['grew'] / 1024:.1f} MiB", flush=True)


if __name__ == "__main__":
    main()
