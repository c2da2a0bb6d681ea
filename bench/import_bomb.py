"""Time and weigh the refusal of hostile XLSX uploads against a normal import.

Run: .venv/bin/python bench/import_bomb.py
Builds each file (tests/xlsx_files.py), then for each starts a fresh Python
that reads it the way the import route does (spreadsheets.read_rows, then
validate_rows for a file that passes) and reports its wall time and peak RSS
(VmHWM of that child, and the RSS it had before reading, after its imports).
Target: a bomb refused in under 1 s and under 100 MB.

Why not getrusage's ru_maxrss: Linux keeps it across fork and exec, so a
child started by this parent (which holds the bombs in memory) would report
the parent's peak. /proc/self/status VmHWM belongs to the child's own address
space; writing 5 to /proc/self/clear_refs resets it after the imports, so the
peak measured is the reading's. ru_maxrss is the fallback off Linux.
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _status_mb(field):
    """Return a /proc/self/status memory field in MB, or None off Linux."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak():
    """Reset VmHWM to the current RSS (Linux >= 4.0); ignore where unsupported."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def _rss_mb():
    """Return this process's current RSS in MB."""
    return _status_mb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_mb():
    """Return this process's peak RSS in MB (since the last reset)."""
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path):
    """Read ``path`` like the import route; print JSON of time, RSS and outcome."""
    from korch_pwa.committees import spreadsheets
    from korch_pwa.domain.register_import import cell_text, header_map, validate_rows
    from korch_pwa.errors import ServiceError

    data = Path(path).read_bytes()
    _reset_peak()
    before = _rss_mb()
    start = time.perf_counter()
    try:
        header, rows = spreadsheets.read_rows(data)
        index = header_map(header).get("area_code")
        codes = {cell_text(r[index]) for r in rows if index is not None and index < len(r)}
        result = validate_rows(header, rows, codes, codes)
        outcome = f"read {len(rows)} rows, {len(result.errors)} errors"
    except ServiceError as exc:
        outcome = f"refused: {exc.code}"
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), "before_mb": before,
                      "outcome": outcome}))


def cases():
    """Return (name, bytes) of the baseline and the bombs."""
    from tests import xlsx_files as X

    normal = [X.good_row(first=f"ชื่อ{i}", code=f"5201{i % 16 + 1:02d}") for i in range(400)]
    return [
        ("baseline: normal 400 rows", X.normal_xlsx(normal)),
        ("inline string 50 MB", X.inline_string_bomb()),
        ("inline string 50 MB, sizes lie", X.lying_size_bomb()),
        ("entry declares 4 GB", X.declared_huge_zip()),
        ("10,000 entries", X.many_entries_zip()),
        ("not a zip (.xlsx name)", X.NOT_ZIP),
        ("5,001 data rows", X.normal_xlsx([X.good_row(first=f"ก{i}") for i in range(5001)])),
        ("cell of 1,001 chars", X.normal_xlsx([X.good_row()[:9] + ["ก" * 1001, ""]])),
    ]


def main():
    """Run every case in its own child process and print the table."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, data in cases():
            path = Path(folder) / "upload.xlsx"
            path.write_bytes(data)
            start = time.perf_counter()
            out = subprocess.run([sys.executable, __file__, "--child", str(path)],
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            row.update(name=name, size_kb=len(data) / 1024,
                       process_s=time.perf_counter() - start)
            results.append(row)
    base = results[0]
    base_work = max(base["peak_mb"] - base["before_mb"], 0.1)
    print(f"{'case':34} {'upload':>9} {'read s':>8} {'x base':>7} {'peak MB':>8} "
          f"{'+MB':>6} {'x base':>7}  outcome")
    ok = True
    for r in results:
        extra = r["peak_mb"] - r["before_mb"]
        print(f"{r['name']:34} {r['size_kb']:>7.0f}KB {r['seconds']:>8.4f} "
              f"{r['seconds'] / base['seconds']:>7.2f} {r['peak_mb']:>8.1f} {extra:>6.1f} "
              f"{extra / base_work:>7.2f}  {r['outcome']}")
        if r is not base:
            ok = ok and r["seconds"] < 1 and r["peak_mb"] < 100 and "refused" in r["outcome"]
    print("read s: time to read/refuse inside the child; peak MB: the child's peak RSS "
          "(interpreter and imports included); +MB: peak minus RSS before reading.")
    print("target (every bomb refused, < 1 s, < 100 MB peak):", "met" if ok else "NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        sys.exit(main())
