"""Officer accounts in bulk from XLSX: the template, all-or-nothing, slips, audit."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from korch_pwa.accounts.models import AccountCode, AuditEvent
from korch_pwa.auth.models import User
from korch_pwa.domain.officer_import import COLUMNS
from korch_pwa.extensions import db
from tests import xlsx_files as X
from tests.accounts.test_member_accounts import pdf_text
from tests.accounts.test_people_views import activate

HEADER = [h for _, h, _, _ in COLUMNS]


def sheet(rows):
    return X.normal_xlsx(rows, header=HEADER)


def upload(client, data, name="officers.xlsx"):
    return client.post("/people/import", data={"file": (BytesIO(data), name)},
                       content_type="multipart/form-data")


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (User, AccountCode))


def test_the_template_offers_only_the_roles_the_officer_may_give(client, auth, world):
    auth.login("province")
    response = client.get("/people/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    first = book.worksheets[0]
    assert [c.value for c in first[1]] == HEADER
    (rule,) = first.data_validations.dataValidation
    assert rule.formula1 == '"พัฒนาการอำเภอ / เจ้าหน้าที่อำเภอ,พัฒนากรประจำตำบล"'
    assert "กรรมการ ศอช.ต. ไม่ต้องกรอกที่นี่" in " ".join(
        str(r[0].value) for r in book["วิธีกรอก"].iter_rows())


def test_a_province_makes_its_district_officers_and_gets_their_slips(app, client, auth, world):
    auth.login("province")
    page = client.get("/people").get_data(as_text=True)
    assert "/people/import" in page
    response = upload(client, sheet([
        ["นางสาวอร ดี", "พัฒนาการอำเภอ", "พัฒนาการอำเภอ / เจ้าหน้าที่อำเภอ", "5201", ""],
        ["นายบุญ มา", "นักวิชาการ", "พัฒนากรประจำตำบล", "520101 520102", "bun.ma"]]))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response.data)
    assert "นางสาวอร ดี" in text and "5201-01" in text and "bun.ma" in text
    assert "อ.เมืองลำปาง จ.ลำปาง" in text
    codes = re.findall(r"รหัสเปิดใช้งาน: ([0-9]{4}) ([0-9]{4})", text)
    assert len(codes) == 2
    with app.app_context():
        made = {u.username: (u.role, u.scope_codes, u.password_hash) for u in db.session.scalars(
            select(User).where(User.username.in_(["5201-01", "bun.ma"]))).unique()}
        created = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "created")).unique().all()
        assert {e.details["from_file_row"] for e in created} == {2, 3}
        assert {e.actor.username for e in created} == {"province"}
    assert made == {"5201-01": ("district_officer", ["5201"], "!"),
                    "bun.ma": ("subdistrict_officer", ["520101", "520102"], "!")}
    auth.logout()
    assert activate(client, "bun.ma", "".join(codes[1])).status_code == 302


def test_one_bad_row_makes_no_account_and_every_problem_is_listed(app, client, auth, world):
    before = counts(app)
    auth.login("province")
    response = upload(client, sheet([
        ["นางสาวอร ดี", "", "district_officer", "5201", ""],
        ["นายบุญ มา", "", "province_officer", "52", ""],
        ["นายชัย ยอด", "", "district_officer", "5301", "district_x"]]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "พบข้อผิดพลาด 3 รายการ" in page
    assert "ท่านให้บทบาทนี้ไม่ได้" in page and "ไม่พบรหัสพื้นที่ 5301" in page
    assert "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว" in page
    assert counts(app) == before


def test_the_department_imports_province_officers_in_english_too(app, client, auth, world):
    auth.login("department")
    client.post("/lang/en")
    response = upload(client, sheet([["Ms Orn Dee", "", "Provincial officer", "52", ""],
                                     ["Mr Bun Ma", "", "provincial officer", "5201", ""]]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "This role takes 2-digit area codes" in page
    response = upload(client, sheet([["Ms Orn Dee", "", "Provincial officer", "52", ""]]))
    assert response.status_code == 200 and response.mimetype == "application/pdf"


@pytest.mark.parametrize("who", ["member_a", "tambon"])
def test_people_who_manage_nobody_cannot_import(client, auth, world, who):
    auth.login(who)
    assert client.get("/people/import").status_code == 403
    assert client.get("/people/import/template.xlsx").status_code == 403
    assert upload(client, sheet([["ก ข", "", "district_officer", "5201", ""]])
                  ).status_code == 403


def test_a_district_imports_subdistrict_officers_only_inside_its_district(
        app, client, auth, world):
    auth.login("district_x")
    response = upload(client, sheet([["ก ข", "", "พัฒนากรประจำตำบล", "520201", ""]]))
    assert response.status_code == 422
    assert "รหัสพื้นที่ 520201 อยู่นอกพื้นที่ของท่าน" in response.get_data(as_text=True)
    assert upload(client, sheet([["ก ข", "", "พัฒนากรประจำตำบล", "520101", ""]])
                  ).status_code == 200


def test_a_file_that_is_not_xlsx_or_is_a_bomb_is_refused(app, client, auth, world):
    before = counts(app)
    auth.login("province")
    response = upload(client, b"name,role\nx,y\n", "officers.csv")
    assert response.status_code == 422
    assert "ไม่ใช่ไฟล์ Excel" in response.get_data(as_text=True)
    response = upload(client, X.inline_string_bomb())
    assert response.status_code == 422
    assert "เมื่อคลายออกแล้วใหญ่เกิน 20 MB" in response.get_data(as_text=True)
    assert counts(app) == before
