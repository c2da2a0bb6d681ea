"""The register pages: lists, orders, members, meetings, files and the area checks."""

from io import BytesIO

import pytest
from sqlalchemy import func, select

from tests.register_data import PDF_BYTES, PNG_BYTES

from korch_pwa.committees.models import AppointmentOrder, CommitteeMember, Meeting
from korch_pwa.extensions import db
from korch_pwa.files.models import StoredFile


def count(app, model):
    """Return how many rows ``model`` has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_district_list_shows_its_committees_and_meetings_check(client, auth, register):
    """The district officer sees the district and its subdistricts with the FY check."""
    auth.login("district_x")
    page = client.get("/register/").get_data(as_text=True)
    assert "ศอช.อ.เมืองลำปาง" in page and "ศอช.ต.เวียงเหนือ" in page
    assert "ประชุมแล้ว 0/2 ครั้ง ปีงบประมาณ 2570" in page
    assert "คำสั่งที่ 1/2569" in page and "กรรมการ 2 คน" in page
    assert "อื่น" not in page and "520201" not in page


def test_committee_page_shows_members_with_phone(client, auth, register):
    """An officer of the area sees names, positions and phones."""
    auth.login("district_x")
    page = client.get("/register/520101").get_data(as_text=True)
    assert "นางสมใจ ทดสอบ" in page and "081-234-5678" in page and "แก้ไข" in page


@pytest.mark.parametrize("url", [
    "/register/", "/register/520101", "/register/520101/history", "/register/520101/kbt",
    "/register/520101/activities", "/register/import", "/register/import/template.xlsx",
    "/register/export.xlsx?area=520101", "/register/520101/orders/new",
    "/register/520101/members/new", "/register/520101/meetings/new",
])
def test_members_never_reach_the_register(client, auth, register, url):
    """A committee member has no register rights anywhere, even in their own subdistrict."""
    auth.login("member_a")
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert "081" not in response.get_data(as_text=True)


def test_members_cannot_post_or_download(client, auth, register, app):
    """Member POSTs are refused and change nothing."""
    auth.login("member_a")
    member_id = register["mine"]["members"][0]
    assert client.post(f"/register/members/{member_id}/delete").status_code == 403
    assert client.post("/register/520101/members/new", data={
        "first_name": "x", "last_name": "y", "position": "z"}).status_code == 403
    assert count(app, CommitteeMember) == 3


@pytest.mark.parametrize("url", [
    "/register/520201", "/register/5202", "/register/520201/history",
    "/register/520201/kbt", "/register/520201/activities", "/register/?area=5202",
    "/register/export.xlsx?area=5202", "/register/520201/orders/new",
    "/register/520201/members/new", "/register/520201/meetings/new",
    "/register/520201/kbt/new", "/register/520201/activities/new",
])
def test_other_district_is_404(client, auth, register, url):
    """An officer of 5201 cannot see that 5202's committees exist."""
    auth.login("district_x")
    assert client.get(url).status_code == 404


def test_other_district_member_by_id_is_404(client, auth, register, app):
    """Ids of another district's members cannot be edited or removed."""
    auth.login("district_x")
    other = register["other"]["members"][0]
    assert client.get(f"/register/members/{other}/edit").status_code == 404
    assert client.post(f"/register/members/{other}/edit", data={
        "first_name": "x", "last_name": "y", "position": "z"}).status_code == 404
    assert client.post(f"/register/members/{other}/delete").status_code == 404
    assert count(app, CommitteeMember) == 3


def test_levels_each_officer_edits(client, auth, register):
    """The province views a subdistrict but does not edit it; tambon edits its own only."""
    auth.login("province")
    page = client.get("/register/520101").get_data(as_text=True)
    assert "081-234-5678" in page and "เพิ่มกรรมการ" not in page
    assert client.get("/register/520101/members/new").status_code == 403
    assert client.get("/register/52/orders/new").status_code == 200
    auth.logout()
    auth.login("tambon")
    assert client.get("/register/520101/members/new").status_code == 200
    assert client.get("/register/5201").status_code == 404
    assert client.get("/register/520102/members/new").status_code == 404
    auth.logout()
    auth.login("department")
    assert client.get("/register/520101").status_code == 200
    assert client.get("/register/520101/members/new").status_code == 403


def test_unknown_area_is_404(client, auth, world):
    """A code in scope that is no real area gives 404."""
    auth.login("district_x")
    assert client.get("/register/520199").status_code == 404


def test_new_order_with_scan_copies_members_and_keeps_history(client, auth, register, app):
    """A new term copies the members; the old term moves to the history page."""
    auth.login("district_x")
    response = client.post("/register/520101/orders/new", data={
        "number": "7/2570", "order_date": "1/11/2569", "term_start": "1/11/2569",
        "term_end": "31/10/2573", "copy_members": "y",
        "file": (BytesIO(PDF_BYTES), "คำสั่ง.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get("/register/520101").get_data(as_text=True)
    assert "7/2570" in page and "1 พฤศจิกายน 2569" in page and "นางสมใจ ทดสอบ" in page
    history = client.get("/register/520101/history").get_data(as_text=True)
    assert "1/2569" in history and "นางสมใจ ทดสอบ" in history
    with app.app_context():
        order = db.session.scalar(select(AppointmentOrder).where(
            AppointmentOrder.number == "7/2570"))
        assert len(order.members) == 2
        file_id = order.file.id
        assert (order.file.content_type, order.file.filename) == ("application/pdf",
                                                                   "คำสั่ง.pdf")
    download = client.get(f"/files/{file_id}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert download.headers["Content-Type"] == "application/pdf"
    assert "no-store" in download.headers["Cache-Control"]


def test_new_order_without_copy_starts_empty(client, auth, register):
    """Without copying, the new term has no members yet."""
    auth.login("district_x")
    client.post("/register/520101/orders/new", data={"number": "8/2570",
                                                     "order_date": "2/11/2569"})
    page = client.get("/register/520101").get_data(as_text=True)
    assert "8/2570" in page and "ยังไม่มีรายชื่อกรรมการ" in page


def test_exe_renamed_pdf_is_refused(client, auth, register, app):
    """The type is judged by content: an MZ executable named .pdf is refused."""
    auth.login("district_x")
    response = client.post("/register/520101/orders/new", data={
        "number": "9/2570", "order_date": "1/11/2569",
        "file": (BytesIO(b"MZ\x90\x00" + b"\x00" * 100, ), "order.pdf", "application/pdf")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "รับเฉพาะไฟล์ PDF, JPEG หรือ PNG" in page and 'value="9/2570"' in page
    assert count(app, AppointmentOrder) == 2 and count(app, StoredFile) == 0


def test_too_large_file_is_refused(client, auth, register, app):
    """A scan over 5 MB is refused with a Thai message and nothing is stored."""
    auth.login("district_x")
    big = PDF_BYTES + b"0" * (5 * 1024 * 1024)
    response = client.post("/register/520101/orders/new", data={
        "number": "9/2570", "order_date": "1/11/2569", "file": (BytesIO(big), "big.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "ไฟล์ใหญ่เกิน 5 MB" in response.get_data(as_text=True)
    assert count(app, AppointmentOrder) == 2 and count(app, StoredFile) == 0


def test_bad_order_dates_keep_typing(client, auth, register, app):
    """A C.E. year or an end before the start is refused; the typed text stays."""
    auth.login("district_x")
    response = client.post("/register/520101/orders/new", data={
        "number": "", "order_date": "1/11/2026", "term_start": "1/11/2569",
        "term_end": "1/1/2569"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "กรุณากรอกเลขที่คำสั่ง" in page and "วัน/เดือน/ปี พ.ศ." in page
    assert 'value="1/11/2026"' in page and "วันสิ้นสุดวาระต้องไม่ก่อนวันเริ่มวาระ" in page
    assert count(app, AppointmentOrder) == 2


def test_add_member_checks_phone(client, auth, register, app):
    """A bad phone is refused and kept on the page; a good one is stored as digits."""
    auth.login("district_x")
    data = {"title": "นาย", "first_name": "ใหม่", "last_name": "มาก", "position": "กรรมการ",
            "organisation": "อสม.", "phone": "12-34"}
    response = client.post("/register/520101/members/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "เบอร์โทรศัพท์ไม่ถูกต้อง" in page and 'value="12-34"' in page
    assert count(app, CommitteeMember) == 3
    data["phone"] = "๐๘๖ ๑๒๓ ๔๕๖๗"
    assert client.post("/register/520101/members/new", data=data).status_code == 302
    with app.app_context():
        member = db.session.scalar(select(CommitteeMember).where(
            CommitteeMember.first_name == "ใหม่"))
        assert member.phone == "0861234567"


def test_add_member_needs_an_order(client, auth, world, app):
    """Members belong to a term, so the order comes first."""
    auth.login("district_x")
    response = client.post("/register/520105/members/new", data={
        "first_name": "ก", "last_name": "ข", "position": "ค"})
    assert response.status_code == 409
    assert "กรุณาบันทึกคำสั่งแต่งตั้งก่อน" in response.get_data(as_text=True)
    assert count(app, CommitteeMember) == 0


def test_edit_and_remove_member(client, auth, register, app):
    """Current-term members are edited and removed."""
    auth.login("district_x")
    first, second = register["mine"]["members"]
    page = client.get(f"/register/members/{first}/edit").get_data(as_text=True)
    assert 'value="081-234-5678"' in page
    response = client.post(f"/register/members/{first}/edit", data={
        "title": "นาง", "first_name": "สมใจ", "last_name": "เปลี่ยน", "position": "ประธาน",
        "organisation": "", "phone": "054-123456"})
    assert response.status_code == 302
    assert client.post(f"/register/members/{second}/delete").status_code == 302
    with app.app_context():
        member = db.session.get(CommitteeMember, first)
        assert (member.last_name, member.phone) == ("เปลี่ยน", "054123456")
        assert db.session.get(CommitteeMember, second) is None


def test_past_term_members_are_read_only(client, auth, register, app):
    """After a new order, the old term's members can no longer be changed."""
    auth.login("district_x")
    client.post("/register/520101/orders/new", data={"number": "7/2570",
                                                     "order_date": "1/11/2569"})
    old = register["mine"]["members"][0]
    response = client.post(f"/register/members/{old}/delete")
    assert response.status_code == 409
    response = client.post(f"/register/members/{old}/edit", data={
        "first_name": "x", "last_name": "y", "position": "z"}, follow_redirects=True)
    assert "แก้ไขได้เฉพาะกรรมการในวาระปัจจุบัน" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CommitteeMember, old).first_name == "สมใจ"


def test_meetings_count_towards_the_check(client, auth, register, app):
    """Two meetings in FY 2570 meet the rule; the list shows the count."""
    auth.login("district_x")
    response = client.post("/register/520101/meetings/new", data={
        "held_on": "5/10/2569", "title": "ครั้งที่ 1/2570", "attendees": "15",
        "minutes": (BytesIO(PNG_BYTES), "minutes.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get("/register/").get_data(as_text=True)
    assert "ประชุมแล้ว 1/2 ครั้ง ปีงบประมาณ 2570" in page
    client.post("/register/520101/meetings/new", data={"held_on": "1/11/2569",
                                                       "attendees": "12"})
    page = client.get("/register/520101").get_data(as_text=True)
    assert "ประชุมแล้ว 2/2 ครั้ง ปีงบประมาณ 2570" in page and "รายงานการประชุม" in page
    assert "ประชุมแล้ว 0/2 ครั้ง ปีงบประมาณ 2569" in client.get(
        "/register/?fy=2569").get_data(as_text=True)
    with app.app_context():
        meeting_id = db.session.scalar(select(Meeting.id).where(Meeting.attendees == 12))
    assert client.post(f"/register/meetings/{meeting_id}/delete").status_code == 302
    assert count(app, Meeting) == 1


def test_bad_meeting_is_refused(client, auth, register, app):
    """A future date, no attendees or a bad minutes file are refused."""
    auth.login("district_x")
    response = client.post("/register/520101/meetings/new", data={
        "held_on": "1/12/2569", "attendees": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "วันที่ประชุมต้องไม่เกินวันนี้" in page and "ระหว่าง 1 ถึง 500" in page
    response = client.post("/register/520101/meetings/new", data={
        "held_on": "1/11/2569", "attendees": "5",
        "minutes": (BytesIO(b"GIF89a..."), "minutes.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert count(app, Meeting) == 0 and count(app, StoredFile) == 0


def test_other_district_meeting_and_file_are_404(client, auth, register, app):
    """Meetings and files of 5202 are out of reach for 5201's officer and for members."""
    auth.login("district_y")
    client.post("/register/520201/meetings/new", data={
        "held_on": "1/11/2569", "attendees": "9",
        "minutes": (BytesIO(PDF_BYTES), "m.pdf")}, content_type="multipart/form-data")
    with app.app_context():
        meeting = db.session.scalar(select(Meeting))
        file_id = meeting.minutes_file_id
        meeting_id = meeting.id
    assert client.get(f"/files/{file_id}").status_code == 200
    auth.logout()
    auth.login("district_x")
    assert client.get(f"/files/{file_id}").status_code == 404
    assert client.post(f"/register/meetings/{meeting_id}/delete").status_code == 404
    assert client.get("/files/99999").status_code == 404
    auth.logout()
    auth.login("member_y")
    assert client.get(f"/files/{file_id}").status_code == 403
    assert count(app, Meeting) == 1


def test_anonymous_is_sent_to_login(client, register):
    """Nobody reads the register without logging in."""
    response = client.get("/register/520101")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_pages_render_in_english(client, auth, register):
    """With English chosen, the register pages render and area names are English."""
    auth.login("district_x")
    client.post("/lang/en")
    for url in ("/register/", "/register/520101", "/register/520101/history",
                "/register/520101/kbt", "/register/520101/activities", "/register/import"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Wiang Nuea" in client.get("/register/520101").get_data(as_text=True)
