"""Time the register's import check, import and export on a generated Lampang register.

Run: .venv/bin/python bench/register_bench.py  (SQLite in /tmp; BENCH_DATABASE_URL for PostgreSQL; it drops every table there)
Generates 20 members for every real subdistrict and district of Lampang (geothai).
"""

import os
import sys
import time
from datetime import date
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402

from korch_pwa import create_app  # noqa: E402
from korch_pwa.domain.register_import import COLUMNS, validate_rows  # noqa: E402
from korch_pwa.extensions import db  # noqa: E402

PER_COMMITTEE = 20


def rows_for(codes):
    """Return template rows: PER_COMMITTEE fictional members for each area code."""
    return [[code, f"{n % 90 + 1}/2569", "15/1/2569", "", "", "นาย", f"ชื่อ{i}", f"สกุล{code}",
             "กรรมการ", "กลุ่มออมทรัพย์", f"081{i:07d}"[:10]]
            for n, code in enumerate(codes) for i in range(PER_COMMITTEE)]


def xlsx(rows):
    """Return an XLSX file of ``rows`` under the template's headers."""
    book = Workbook()
    book.active.append([h for _, h, _, _ in COLUMNS])
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def timed(label, func):
    """Run ``func`` and print how long it took."""
    start = time.perf_counter()
    result = func()
    print(f"{label}: {time.perf_counter() - start:.3f} s")
    return result


def main():
    """Set up Lampang, then time the pure check, the HTTP import and the export."""
    os.environ["KORCH_ENV"] = "testing"
    url = os.environ.get("BENCH_DATABASE_URL") or "sqlite:////tmp/korch-register-bench.sqlite"
    from config import _database_url
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"] = url  # this process only, for the URL's normal form
        url = _database_url()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TODAY": date(2026, 11, 20)})
    from korch_pwa.demo import ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.org.services import load_geography, subdistricts_under
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_geography(province_codes={"52"})
        ensure_user("bench_district", "x", "", Role.DISTRICT_OFFICER, ["5201"], "pw-123456")
        db.session.commit()
        subs = [a.code for a in subdistricts_under("52")]
        district_codes = ["5201"] + [a.code for a in subdistricts_under("5201")]
    province_rows = rows_for(subs)
    known = set(subs)
    timed(f"pure check of {len(province_rows)} rows ({len(subs)} subdistricts)",
          lambda: validate_rows([h for _, h, _, _ in COLUMNS], province_rows, known, known))
    data = xlsx(rows_for(district_codes))
    client = app.test_client()
    client.post("/login", data={"username": "bench_district", "password": "pw-123456"})
    response = timed(f"HTTP import of district 5201 ({len(district_codes) * PER_COMMITTEE} rows,"
                     f" {len(data)} bytes)",
                     lambda: client.post("/register/import", data={
                         "file": (BytesIO(data), "r.xlsx")}, content_type="multipart/form-data"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    for attempt in ("first", "second"):
        response = timed(f"HTTP register list of district 5201 ({attempt} call)",
                         lambda: client.get("/register/"))
        assert response.status_code == 200
    response = timed("HTTP export of district 5201", lambda: client.get(
        "/register/export.xlsx?area=5201"))
    assert response.status_code == 200
    response = timed("HTTP re-import of the export (refused, all rows reported)",
                     lambda: client.post("/register/import", data={
                         "file": (BytesIO(response.data), "r.xlsx")},
                         content_type="multipart/form-data"))
    assert response.status_code == 422


if __name__ == "__main__":
    main()
