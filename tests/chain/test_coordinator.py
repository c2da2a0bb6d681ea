"""A province names its coordinator; its officers see whom to call."""

from types import SimpleNamespace

from sqlalchemy import func, select

from korch_pwa.chain.models import ProvinceCoordinator
from korch_pwa.chain.services import province_of
from korch_pwa.extensions import db


def coordinators(app):
    with app.app_context():
        rows = db.session.execute(select(ProvinceCoordinator.province_code,
                                         ProvinceCoordinator.name,
                                         ProvinceCoordinator.phone)).all()
        db.session.remove()
    return rows


def test_a_person_s_province_is_the_one_all_their_areas_are_in():
    def person(role, *codes):
        return SimpleNamespace(role=role, scope_codes=list(codes))
    assert province_of(person("district_officer", "5201")) == "52"
    assert province_of(person("subdistrict_officer", "520101", "520203")) == "52"
    assert province_of(person("province_officer", "52")) == "52"
    assert province_of(person("district_officer", "5201", "3401")) is None  # two provinces
    assert province_of(person("department")) is None


def test_the_province_names_its_coordinator_and_its_officers_see_it(app, client, auth, world):
    auth.login("province")
    page = client.get("/rounds/").get_data(as_text=True)
    assert "ระบุผู้ประสานงานของจังหวัด" in page
    form = client.get("/province/coordinator").get_data(as_text=True)
    assert 'maxlength="120"' in form
    response = client.post("/province/coordinator", data={
        "name": "นางสาวพรทิพย์ ใจดี", "position": "นักวิชาการพัฒนาชุมชน",
        "phone": "๐๘๑-๒๓๔-๕๖๗๘"})
    assert response.status_code == 302
    assert coordinators(app) == [("52", "นางสาวพรทิพย์ ใจดี", "0812345678")]
    auth.logout()
    for username in ("district_x", "district_y", "tambon"):
        auth.login(username)
        for url in ("/rounds/", "/dashboard/"):
            page = client.get(url).get_data(as_text=True)
            assert "นางสาวพรทิพย์ ใจดี" in page and 'href="tel:0812345678"' in page, (username, url)
            assert "081-234-5678" in page and "/province/coordinator" not in page
        auth.logout()
    auth.login("member_a")
    assert "นางสาวพรทิพย์" not in client.get(f"/assessment/520101/{world['round']}").text
    auth.logout()
    auth.login("department")
    assert "นางสาวพรทิพย์" not in client.get("/rounds/").get_data(as_text=True)


def test_saving_again_changes_the_one_coordinator(app, client, auth, world):
    auth.login("province")
    for name, phone in (("นายหนึ่ง ทดสอบ", "0812345678"), ("นายสอง ทดสอบ", "054-123456")):
        assert client.post("/province/coordinator", data={
            "name": name, "position": "", "phone": phone}).status_code == 302
    assert coordinators(app) == [("52", "นายสอง ทดสอบ", "054123456")]
    assert "นายสอง ทดสอบ" in client.get("/province/coordinator").get_data(as_text=True)


def test_a_wrong_phone_is_refused_in_thai_and_what_was_typed_stays(app, client, auth, world):
    auth.login("province")
    response = client.post("/province/coordinator", data={
        "name": "นางสาวพรทิพย์ ใจดี", "position": "", "phone": "12345"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "เบอร์โทรศัพท์ไม่ถูกต้อง" in page
    assert "นางสาวพรทิพย์ ใจดี" in page and 'value="12345"' in page
    blank = client.post("/province/coordinator", data={"name": "  ", "phone": ""})
    assert blank.status_code == 422 and "กรุณากรอกชื่อผู้ประสานงาน" in blank.text
    assert "กรุณากรอกเบอร์โทรศัพท์" in blank.text
    assert coordinators(app) == []


def test_only_a_province_officer_names_the_coordinator(app, client, auth, world):
    for username in ("district_x", "tambon", "member_a", "department"):
        auth.login(username)
        assert client.get("/province/coordinator").status_code == 403, username
        assert client.post("/province/coordinator", data={
            "name": "x", "phone": "0812345678"}).status_code == 403, username
        auth.logout()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProvinceCoordinator)) == 0
        db.session.remove()
