"""Issue 7 item 6: a hostile XLSX is refused, fast, before openpyxl unpacks it."""

import time
from io import BytesIO

import pytest
from sqlalchemy import func, select

from korch_pwa.committees.models import AppointmentOrder, Committee, CommitteeMember
from korch_pwa.domain import xlsx_guard as guard
from korch_pwa.extensions import db
from tests import xlsx_files as X


def counts(app):
    """Return the number of committees, orders and members."""
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (Committee, AppointmentOrder, CommitteeMember))


def upload(client, data, name="register.xlsx"):
    """Post a file to the import page; return (response, seconds)."""
    start = time.perf_counter()
    response = client.post("/register/import", data={"file": (BytesIO(data), name)},
                           content_type="multipart/form-data")
    return response, time.perf_counter() - start


BOMBS = {
    "inline_string_50mb": (X.inline_string_bomb, "เมื่อคลายออกแล้วใหญ่เกิน 20 MB"),
    "declared_4gb": (X.declared_huge_zip, "เมื่อคลายออกแล้วใหญ่เกิน 20 MB"),
    "lying_sizes": (X.lying_size_bomb, "ไม่ใช่ไฟล์ Excel"),
    "10000_entries": (X.many_entries_zip, "มีส่วนประกอบภายในมากผิดปกติ (เกิน 200 ส่วน)"),
    "not_a_zip": (lambda: X.NOT_ZIP, "ไม่ใช่ไฟล์ Excel"),
    "too_many_rows": (lambda: X.normal_xlsx([X.good_row(first=f"ก{i}") for i in range(5001)]),
                      "ไฟล์มีเกิน 5,000 แถว"),
    "too_many_columns": (lambda: X.normal_xlsx([X.good_row() + [""] * 19 + ["x"]]),
                         "แผ่นงานแรกมีข้อมูลเกิน 30 คอลัมน์"),
    "cell_too_long": (lambda: X.normal_xlsx([X.good_row()[:9] + ["ก" * 1001, ""]]),
                      "ช่องในแถวที่ 2 ยาวเกิน 1,000 ตัวอักษร"),
    "rows_too_far": (lambda: X.normal_xlsx([X.good_row()] + [[None]] * 20000
                                           + [X.good_row(first="ข")]),
                     "มีข้อมูลอยู่เลยแถวที่ 20,000"),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_bomb_is_refused_fast_with_a_thai_message(client, auth, world, app, name):
    build, message = BOMBS[name]
    data = build()
    assert len(data) < 5 * 1024 * 1024  # under the upload limit: the guard has to act
    auth.login("district_x")
    response, seconds = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message.replace(",", "") in page.replace(",", "")
    assert "พบข้อผิดพลาด" not in page  # a file-level refusal, not a list of rows
    assert seconds < 2
    assert counts(app) == (0, 0, 0)


def test_refusal_is_translated(client, auth, world):
    auth.login("district_x")
    client.post("/lang/en")
    response, _ = upload(client, X.inline_string_bomb())
    assert response.status_code == 422
    assert "Unpacked, this file is larger than 20 MB" in response.get_data(as_text=True)


def test_normal_import_still_works(client, auth, world, app):
    auth.login("district_x")
    rows = [X.good_row(first=f"ชื่อ{i}") for i in range(400)]
    response, _ = upload(client, X.normal_xlsx(rows))
    assert response.status_code == 302
    assert counts(app) == (1, 1, 400)


def test_limits_are_named_in_one_place():
    assert (guard.MAX_ENTRIES, guard.MAX_UNPACKED_BYTES, guard.MAX_RATIO) == (200, 20 * 2**20, 100)
    assert (guard.MAX_DATA_ROWS, guard.MAX_COLUMNS, guard.MAX_CELL_CHARS) == (5001, 30, 1000)
