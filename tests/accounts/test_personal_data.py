"""PDPA: who saw the register is logged, and a person sees what is held about them."""

import re

from sqlalchemy import select

from korch_pwa.committees.models import ExportLog
from korch_pwa.extensions import db
from tests.accounts.test_member_accounts import committee, pdf_text
from tests.accounts.test_people_views import NEW_PASSWORD, activate


def accesses(app):
    with app.app_context():
        return [(r.user.username, r.area_code, r.what) for r in db.session.scalars(
            select(ExportLog).order_by(ExportLog.id)).unique()]


def member_account(client, auth, app, code="520101"):
    """Make the register's members accounts; log the chairwoman in with her slip's code."""
    ids = committee(app, code)
    auth.login("district_x" if code.startswith("5201") else "district_y")
    slips = pdf_text(client.post(f"/people/register/{code}/slips",
                                 data={"member": str(ids["members"][0])}).data)
    username = re.search(rf"({code}-[0-9]+)", slips).group(1)
    typed = re.search(r"รหัสเปิดใช้งาน: ([0-9 ]{9})", slips).group(1).replace(" ", "")
    auth.logout()
    assert activate(client, username, typed).status_code == 302
    return username


def test_opening_a_register_with_phones_is_logged_once_a_day(app, client, auth, world):
    committee(app, "520101")
    auth.login("district_x")
    for _ in range(3):
        assert client.get("/register/520101").status_code == 200
    assert client.get("/register/export.xlsx?area=520101").status_code == 200
    assert accesses(app) == [("district_x", "520101", "register_view"),
                             ("district_x", "520101", "register_xlsx")]
    page = client.get("/people/log/exports").get_data(as_text=True)
    assert "เปิดดูทะเบียนกรรมการซึ่งมีเบอร์โทรศัพท์" in page
    assert "ส่งออกทะเบียนกรรมการ (Excel)" in page


def test_a_register_without_phones_is_not_an_access(app, client, auth, world):
    committee(app, "520101", members=(("นาย", "ไม่มี", "เบอร์", "ประธาน", "", ""),))
    auth.login("district_x")
    assert client.get("/register/520101").status_code == 200
    assert accesses(app) == []


def test_a_member_sees_their_data_who_saw_it_and_can_take_a_copy(app, client, auth, world):
    username = member_account(client, auth, app)
    auth.logout()
    auth.login("province")
    client.get("/register/520101")
    auth.logout()
    auth.login(username, NEW_PASSWORD)
    assert "/account/data" in client.get("/account").get_data(as_text=True)
    page = client.get("/account/data").get_data(as_text=True)
    assert "081-234-5678" in page and "กลุ่มออมทรัพย์" in page
    assert "พิมพ์ใบแจ้งบัญชีผู้ใช้ของกรรมการ" in page  # district_x printed her slip
    assert "เปิดดูทะเบียนกรรมการซึ่งมีเบอร์โทรศัพท์" in page and "คุณ province" in page
    assert "สร้างบัญชี" in page and "ตั้งรหัสผ่านครั้งแรก" in page
    copy = client.get("/account/data.json")
    assert copy.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in copy.headers["Content-Disposition"]
    data = copy.get_json()
    assert data["account"]["username"] == username and data["account"]["areas"] == ["520101"]
    assert [e["phone"] for e in data["register"]] == ["0812345678"]
    assert {(a["by"], a["what"]) for a in data["register_accesses"]} == {
        ("คุณ district_x", "account_slips"), ("คุณ province", "register_view")}
    assert {e["action"] for e in data["account_events"]} >= {"created", "code_issued",
                                                             "password_set"}


def test_members_never_see_other_peoples_phones(app, client, auth, world):
    committee(app, "520101", members=(("นาง", "อื่น", "คนอื่น", "ประธาน", "", "0899999999"),))
    mine = member_account(client, auth, app, "520201")
    auth.login(mine, NEW_PASSWORD)
    for url in ("/register/520101", "/register/520201", "/register/export.xlsx?area=520201",
                "/people/register/520201", "/people/log/exports"):
        assert client.get(url).status_code in (403, 404), url
    for url in ("/", "/account", "/account/data", "/account/data.json"):
        assert "0899999999" not in client.get(url).get_data(as_text=True).replace("-", "")
    data = client.get("/account/data.json").get_json()
    # Her own entry only; the accesses of 520101's register are not hers to see.
    assert [e["area_code"] for e in data["register"]] == ["520201"]
    assert all(a["area_code"] in ("52", "5202", "520201") for a in data["register_accesses"])


def test_a_person_outside_the_register_sees_their_account_only(client, auth, world):
    auth.login("district_x")
    page = client.get("/account/data").get_data(as_text=True)
    assert "ไม่มีรายการในทะเบียนที่ผูกกับบัญชีนี้" in page
    assert client.get("/account/data.json").get_json()["register"] == []
    auth.logout()
    assert client.get("/account/data").status_code == 302
    assert client.get("/account/data.json").status_code in (302, 401)
