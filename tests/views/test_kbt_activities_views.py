"""ก.บ.ต. orders with their qualified persons, and Strong Subdistrict activities."""

from io import BytesIO

from tests.register_data import PDF_BYTES
from sqlalchemy import func, select

from korch_pwa.committees.models import CommitteeMember, StrongSubdistrictActivity
from korch_pwa.extensions import db


def kbt_members(app):
    """Return (name, position, korch_member_id) on ก.บ.ต. orders."""
    with app.app_context():
        return sorted((m.first_name, m.position, m.korch_member_id)
                      for m in db.session.scalars(select(CommitteeMember))
                      if m.order.committee.kind == "kbt")


def test_kbt_order_and_qualified_persons(client, auth, register, app):
    """Record a ก.บ.ต. order, then seat and unseat ศอช.ต. members on it."""
    auth.login("district_x")
    assert "ยังไม่มีคำสั่งแต่งตั้ง ก.บ.ต." in client.get("/register/520101/kbt").get_data(
        as_text=True)
    response = client.post("/register/520101/kbt/new", data={
        "number": "ก.บ.ต. 3/2569", "order_date": "1/3/2569",
        "file": (BytesIO(PDF_BYTES), "kbt.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    first, second = register["mine"]["members"]
    page = client.get("/register/520101/kbt").get_data(as_text=True)
    assert "ก.บ.ต. 3/2569" in page and "นางสมใจ ทดสอบ" in page and "ดูไฟล์คำสั่ง" in page
    client.post("/register/520101/kbt", data={"korch_member": [str(first), str(second)]})
    assert kbt_members(app) == [("บุญมา", "ผู้ทรงคุณวุฒิ", second),
                                ("สมใจ", "ผู้ทรงคุณวุฒิ", first)]
    client.post("/register/520101/kbt", data={"korch_member": [str(first)]})
    assert kbt_members(app) == [("สมใจ", "ผู้ทรงคุณวุฒิ", first)]
    assert 'value="%d" checked' % first in client.get("/register/520101/kbt").get_data(
        as_text=True)


def test_kbt_refuses_other_subdistricts_members(client, auth, register, app):
    """Only the subdistrict's own current ศอช.ต. members may be seated."""
    auth.login("district_x")
    client.post("/register/520101/kbt/new", data={"number": "1", "order_date": "1/3/2569"})
    other = register["other"]["members"][0]
    response = client.post("/register/520101/kbt", data={"korch_member": [str(other)]})
    assert response.status_code == 422
    assert "เลือกได้เฉพาะกรรมการ ศอช.ต." in response.get_data(as_text=True)
    assert kbt_members(app) == []


def test_kbt_area_and_level_checks(client, auth, register, app):
    """ก.บ.ต. exists per subdistrict only; other districts 404; province and members refused."""
    auth.login("district_x")
    assert client.get("/register/5201/kbt").status_code == 404
    assert client.get("/register/520201/kbt").status_code == 404
    assert client.post("/register/520201/kbt/new", data={
        "number": "1", "order_date": "1/3/2569"}).status_code == 404
    assert client.post("/register/520101/kbt", data={}).status_code == 404  # no order yet
    bad = client.post("/register/520101/kbt/new", data={"number": "1", "order_date": "x"})
    assert bad.status_code == 422 and "วัน/เดือน/ปี พ.ศ." in bad.get_data(as_text=True)
    auth.logout()
    auth.login("province")
    assert client.get("/register/520101/kbt").status_code == 200
    assert client.post("/register/520101/kbt/new", data={
        "number": "1", "order_date": "1/3/2569"}).status_code == 403
    auth.logout()
    auth.login("member_a")
    assert client.get("/register/520101/kbt").status_code == 403
    assert kbt_members(app) == []


def activity_count(app):
    """Return the number of activities."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StrongSubdistrictActivity))


def test_activities_list_add_edit_delete(client, auth, world, app):
    """An officer keeps the subdistrict's activities per fiscal year."""
    auth.login("tambon")
    assert client.get("/register/520101/activities/new").status_code == 200
    response = client.post("/register/520101/activities/new", data={
        "fiscal_year": "2570", "title": "ตลาดชุมชนพอเพียง", "in_plan": "y"})
    assert response.status_code == 302
    client.post("/register/520101/activities/new", data={
        "fiscal_year": "2569", "title": "ธนาคารขยะ"})
    page = client.get("/register/520101/activities?fy=2570").get_data(as_text=True)
    assert "ตลาดชุมชนพอเพียง" in page and "อยู่ในแผนพัฒนาตำบล" in page
    assert "ธนาคารขยะ" not in page
    with app.app_context():
        activity_id = db.session.scalar(select(StrongSubdistrictActivity.id).where(
            StrongSubdistrictActivity.fiscal_year == 2570))
    assert client.get(f"/register/activities/{activity_id}/edit").status_code == 200
    client.post(f"/register/activities/{activity_id}/edit", data={
        "fiscal_year": "2570", "title": "ตลาดชุมชน"})
    with app.app_context():
        activity = db.session.get(StrongSubdistrictActivity, activity_id)
        assert (activity.title, activity.in_plan) == ("ตลาดชุมชน", False)
    assert client.post(f"/register/activities/{activity_id}/delete").status_code == 302
    assert activity_count(app) == 1


def test_bad_activity_is_refused_and_kept(client, auth, world, app):
    """No title or a C.E. year is refused; what was typed stays."""
    auth.login("district_x")
    response = client.post("/register/520101/activities/new", data={
        "fiscal_year": "2026", "title": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "กรุณากรอกชื่อกิจกรรม" in page and "ปี พ.ศ." in page and 'value="2026"' in page
    assert activity_count(app) == 0


def test_activities_out_of_area(client, auth, world, app):
    """Other districts' activities are 404; the province views but does not edit."""
    auth.login("district_y")
    client.post("/register/520201/activities/new", data={"fiscal_year": "2570", "title": "ก"})
    with app.app_context():
        activity_id = db.session.scalar(select(StrongSubdistrictActivity.id))
    auth.logout()
    auth.login("district_x")
    assert client.get("/register/520201/activities").status_code == 404
    assert client.get(f"/register/activities/{activity_id}/edit").status_code == 404
    assert client.post(f"/register/activities/{activity_id}/delete").status_code == 404
    assert client.get("/register/5201/activities").status_code == 404
    auth.logout()
    auth.login("province")
    assert client.get("/register/520201/activities").status_code == 200
    assert client.post(f"/register/activities/{activity_id}/delete").status_code == 403
    auth.logout()
    auth.login("member_y")
    assert client.get("/register/520201/activities").status_code == 403
    assert activity_count(app) == 1
