"""Import of a register from XLSX (all or nothing) and the logged export."""

from io import BytesIO

from openpyxl import Workbook, load_workbook
from tests.register_data import PDF_BYTES
from sqlalchemy import func, select

from korch_pwa.committees.models import (AppointmentOrder, Committee, CommitteeMember,
                                         ExportLog)
from korch_pwa.domain.register_import import COLUMNS
from korch_pwa.extensions import db

HEADER = [h for _, h, _, _ in COLUMNS]


def xlsx(rows, header=HEADER):
    """Return an XLSX file object with ``header`` and ``rows``."""
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def good_row(code="520102", first="สมศักดิ์", phone="0812345678", date="15/1/2569"):
    """Return one valid row of the template."""
    return [code, "5/2569", date, "", "", "นาย", first, "ใจดี", "กรรมการ", "กลุ่มอาชีพ", phone]


def counts(app):
    """Return the number of committees, orders and members."""
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (Committee, AppointmentOrder, CommitteeMember))


def upload(client, data, name="register.xlsx"):
    """Post a file to the import page."""
    return client.post("/register/import", data={"file": (data, name)},
                       content_type="multipart/form-data")


def test_template_has_thai_headers(client, auth, world):
    """The template opens in openpyxl with the Thai headers in row 1."""
    auth.login("district_x")
    response = client.get("/register/import/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(response.data))
    first = [c.value for c in book.worksheets[0][1]]
    assert first == HEADER and "ชื่อ" in first and "โทรศัพท์" in first
    assert book.worksheets[0].max_row == 1  # the example sits on the second sheet


def test_clean_file_is_imported(client, auth, register, app):
    """Each area of the file gets a new term with its members."""
    auth.login("district_x")
    before = counts(app)
    response = upload(client, xlsx([good_row(), good_row(first="สมหญิง", phone=""),
                                    good_row("520101", "ประเสริฐ")]))
    assert response.status_code == 302
    assert counts(app) == (before[0] + 1, before[1] + 2, before[2] + 3)
    page = client.get("/register/520102").get_data(as_text=True)
    assert "นายสมศักดิ์ ใจดี" in page and "5/2569" in page
    # 520101's old term moved to its history.
    assert "1/2569" in client.get("/register/520101/history").get_data(as_text=True)


def test_bad_file_changes_nothing_and_lists_rows(client, auth, register, app):
    """One bad row stops the whole file; every error is listed with row and column."""
    auth.login("district_x")
    before = counts(app)
    response = upload(client, xlsx([
        good_row(), good_row("999999"), good_row("520201"), good_row(first=""),
        good_row(first="ก", phone="12345"), good_row(first="ข", date="31/2/2569")]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert counts(app) == before
    assert "ยังไม่ได้นำเข้าข้อมูลใด ๆ" in page
    assert "ไม่พบรหัสพื้นที่ 999999" in page
    assert "รหัสพื้นที่ 520201 อยู่นอกพื้นที่ที่ท่านแก้ไขทะเบียนได้" in page
    assert "<td>5</td><td>ชื่อ</td><td>ต้องกรอกช่องนี้</td>" in page
    assert "<td>6</td><td>โทรศัพท์</td>" in page
    assert ("<td>7</td><td>วันที่คำสั่ง (วัน/เดือน/ปี พ.ศ.)</td>"
            "<td>ไม่มีวันที่นี้ในปฏิทิน</td>") in page
    assert "พบข้อผิดพลาด 5 รายการ" in page


def test_not_an_xlsx_is_refused(client, auth, world, app):
    """A PDF, or a zip that is not a workbook, is refused with a Thai message."""
    auth.login("district_x")
    for data in (PDF_BYTES, b"PK\x03\x04garbage"):
        response = upload(client, BytesIO(data))
        assert response.status_code == 422
        assert "ไม่ใช่ไฟล์ Excel" in response.get_data(as_text=True)
    response = client.post("/register/import", data={})
    assert response.status_code == 422 and "กรุณาเลือกไฟล์" in response.get_data(as_text=True)
    assert counts(app) == (0, 0, 0)


def test_import_respects_edit_levels(client, auth, world, app):
    """A province officer cannot import subdistrict registers; a member cannot import."""
    auth.login("province")
    response = upload(client, xlsx([good_row()]))
    assert response.status_code == 422 and "อยู่นอกพื้นที่" in response.get_data(as_text=True)
    auth.logout()
    auth.login("member_a")
    assert upload(client, xlsx([good_row("520101")])).status_code == 403
    assert counts(app) == (0, 0, 0)


def test_export_has_the_register_and_is_logged(client, auth, register, app):
    """The area's register comes out in the template layout and the export is logged."""
    auth.login("district_x")
    response = client.get("/register/export.xlsx?area=5201")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert ["520101", "1/2569", "15/1/2569", None, None, "นาง", "สมใจ", "ทดสอบ", "ประธาน",
            "กลุ่มออมทรัพย์", "081-234-5678"] in rows
    assert len(rows) == 3 and not any("อื่น" in str(r) for r in rows)
    with app.app_context():
        log = db.session.scalar(select(ExportLog))
        assert (log.area_code, log.what) == ("5201", "register_xlsx")
    # What was exported imports back: same check, refused only as already recorded.
    response = upload(client, BytesIO(response.data))
    assert "คำสั่งนี้มีอยู่ในทะเบียนแล้ว" in response.get_data(as_text=True)


def test_export_out_of_area_is_404_and_not_logged(client, auth, register, app):
    """Another district's register cannot be exported, and nothing is logged."""
    auth.login("district_x")
    assert client.get("/register/export.xlsx?area=5202").status_code == 404
    auth.logout()
    auth.login("department")
    assert client.get("/register/export.xlsx").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExportLog)) == 0


def test_too_large_import_is_refused(client, auth, world, app):
    """An upload over 5 MB is refused before it is opened."""
    auth.login("district_x")
    response = upload(client, BytesIO(b"PK\x03\x04" + b"0" * (5 * 1024 * 1024)))
    assert response.status_code == 413
    assert "ไฟล์ใหญ่เกิน 5 MB" in response.get_data(as_text=True)
    assert counts(app) == (0, 0, 0)
