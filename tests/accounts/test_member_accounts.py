"""Accounts for committee members from the register, and their printed slips."""

import re
from datetime import date
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import event, select

from korch_pwa.accounts.models import AuditEvent
from korch_pwa.auth.models import User
from korch_pwa.committees import services as register
from korch_pwa.committees.models import CommitteeMember
from korch_pwa.extensions import db
from tests.register_data import make_committee

MEMBERS = (("นาง", "สมใจ", "ทดสอบ", "ประธาน", "กลุ่มออมทรัพย์", "0812345678"),
           ("นาย", "สมศักดิ์", "มั่นคง", "รองประธาน", "", ""),
           ("นางสาว", "มะลิ", "ใจงาม", "เลขานุการ", "", ""))


def committee(app, code="520101", members=MEMBERS, **kwargs):
    with app.app_context():
        return make_committee(code, members, **kwargs)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def accounts_of(app, code):
    with app.app_context():
        rows = db.session.execute(select(CommitteeMember.id, User.username, User.full_name)
                                  .join(User, User.id == CommitteeMember.user_id)
                                  .where(User.username.startswith(code)))
        return sorted(tuple(r) for r in rows)


def test_ticked_members_get_accounts_and_a_slip_each(client, auth, world):
    ids = committee(client.application)
    auth.login("district_x")
    page = client.get("/people/register/520101").get_data(as_text=True)
    assert "ยังไม่มีบัญชี</span>" in page and "สมศักดิ์" in page
    response = client.post("/people/register/520101/slips",
                           data={"member": [str(i) for i in ids["members"][:2]]})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "นางสมใจ ทดสอบ" in text and "นายสมศักดิ์ มั่นคง" in text and "มะลิ" not in text
    assert "520101-01" in text and "520101-02" in text
    assert "ต.เวียงเหนือ" in text or "ต." in text
    codes = re.findall(r"รหัสเปิดใช้งาน: ([0-9]{4}) ([0-9]{4})", text)
    assert len(codes) == 2
    assert accounts_of(client.application, "520101") == [
        (ids["members"][0], "520101-01", "นางสมใจ ทดสอบ"),
        (ids["members"][1], "520101-02", "นายสมศักดิ์ มั่นคง")]
    # The code on the slip works, once, from the link's username.
    auth.logout()
    code = "".join(codes[0])
    done = client.post("/activate", data={"username": "520101-01", "code": code,
                                          "password": "ช้างเผือกบินข้ามดอย",
                                          "confirm": "ช้างเผือกบินข้ามดอย"})
    assert done.status_code == 302


def test_a_second_slip_for_a_member_is_a_new_code_not_a_second_account(client, auth, world):
    ids = committee(client.application)
    auth.login("district_x")
    first = pdf_text(client.post("/people/register/520101/slips",
                                 data={"member": str(ids["members"][0])}).data)
    second = pdf_text(client.post("/people/register/520101/slips",
                                  data={"member": str(ids["members"][0])}).data)
    old, new = (re.search(r"รหัสเปิดใช้งาน: ([0-9 ]{9})", t).group(1).replace(" ", "")
                for t in (first, second))
    assert len(accounts_of(client.application, "520101")) == 1
    auth.logout()
    for code, status in ((old, 422), (new, 302)):
        assert client.post("/activate", data={
            "username": "520101-01", "code": code, "password": "ช้างเผือกบินข้ามดอย",
            "confirm": "ช้างเผือกบินข้ามดอย"}).status_code == status


def test_usernames_continue_after_accounts_made_by_hand(client, auth, world):
    ids = committee(client.application)
    auth.login("district_x")
    client.post("/people/new", data={"full_name": "นายก ข", "position": "", "role": "member",
                                     "areas": "520101", "username": ""})
    text = pdf_text(client.post("/people/register/520101/slips",
                                data={"member": [str(i) for i in ids["members"]]}).data)
    assert "520101-02" in text and "520101-04" in text and "520101-01" not in text


def test_a_whole_district_in_one_request_with_few_statements(app, client, auth, world):
    for code in ("520101", "520102", "520103"):
        committee(app, code)
    committee(app, "520201")  # district Y: not district X's
    auth.login("district_x")
    statements = []
    with app.app_context():
        engine = db.engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        response = client.post("/people/register/slips", data={"area": "5201"})
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert response.mimetype == "application/pdf"
    assert len(PdfReader(BytesIO(response.data)).pages) == 2  # 9 slips, 8 a page
    made = [a for code in ("520101", "520102", "520103") for a in accounts_of(app, code)]
    assert len(made) == 9 and not accounts_of(app, "520201")
    assert len(statements) < 25, statements
    with app.app_context():
        created = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "created")).unique().all()
        assert len(created) == 9 and {e.actor.username for e in created} == {"district_x"}
    # Everyone has an account now: nothing more to make.
    again = client.post("/people/register/slips", data={"area": "5201"})
    assert again.status_code == 302


def test_outside_the_area_or_below_the_rank_nothing_is_made(client, auth, world):
    ids = committee(client.application, "520201")
    auth.login("district_x")
    assert client.get("/people/register/520201").status_code == 404
    assert client.post("/people/register/520201/slips",
                       data={"member": str(ids["members"][0])}).status_code == 404
    assert client.post("/people/register/slips", data={"area": "5202"}).status_code == 404
    auth.logout()
    auth.login("tambon")
    assert client.post("/people/register/520101/slips").status_code == 403
    assert not accounts_of(client.application, "5202")


def test_a_member_taken_off_the_register_is_offered_for_deactivation(client, auth, world):
    app = client.application
    ids = committee(app)
    auth.login("district_x")
    client.post("/people/register/520101/slips",
                data={"member": [str(i) for i in ids["members"]]})
    # A new term keeps two of the three: their accounts follow them.
    with app.app_context():
        found = register.find_committee("520101")
        user = db.session.get(User, world["district_x"])
        order = register.record_order(found, {"number": "2/2570",
                                              "order_date": date(2026, 10, 15)}, None, user,
                                      copy_members=True)
        register.remove_member(order.members[2])
        db.session.commit()
    page = client.get("/people/register/520101").get_data(as_text=True)
    departed = page.split("ไม่อยู่ในทะเบียนวาระปัจจุบัน")[1]
    assert "520101-03" in departed and "520101-01" not in departed
    assert "member_a" in departed  # made by hand, on no register entry
    assert "ยังไม่มีบัญชี</span>" not in page


def test_the_slip_pdf_holds_every_persons_details(app, world):
    from datetime import datetime, timezone

    from korch_pwa.accounts.bulk import Slip
    from korch_pwa.accounts.slips import activation_link, build_slips_pdf

    expires = datetime(2026, 12, 18, 3, 0, tzinfo=timezone.utc)
    slips = [Slip(f"นางทดสอบ คนที่{n}", "กรรมการ", f"520101-{n:02d}", f"{n:08d}", "520101",
                  expires, True) for n in range(1, 10)]
    with app.test_request_context():
        data = build_slips_pdf(slips, {"520101": "ต.เวียงเหนือ อ.เมืองลำปาง จ.ลำปาง"},
                               "https://korch.example/activate")
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 2
    text = pdf_text(data)
    for n in range(1, 10):
        assert f"520101-{n:02d}" in text and f"คนที่{n}" in text
    assert "0000 0009" in text and "18 ธ.ค. 2569" in text and "อ.เมืองลำปาง" in text
    assert activation_link("https://h/activate", "520101-01", "12345678") == \
        "https://h/activate?u=520101-01#c=12345678"


def test_every_printed_qr_code_scans_to_its_persons_activation_link(app, world, tmp_path):
    """The page as a printer would put it on paper, read by a real QR decoder."""
    import subprocess
    from datetime import datetime, timezone

    import zxingcpp
    from PIL import Image

    from korch_pwa.accounts.bulk import Slip
    from korch_pwa.accounts.slips import activation_link, build_slips_pdf

    expires = datetime(2026, 12, 18, 3, 0, tzinfo=timezone.utc)
    slips = [Slip("นางสาวทดสอบ ชื่อยาวมากเป็นพิเศษเพื่อให้ย่อขนาดตัวอักษร", "กรรมการ",
                  f"52010{n}-{n:02d}", f"{n}{n}{n}45678", "520101", expires, True)
             for n in range(1, 9)]
    with app.test_request_context():
        data = build_slips_pdf(slips, {"520101": "ต.เวียงเหนือ"},
                               "https://korch.example/activate")
    (tmp_path / "slips.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-singlefile", "-png",
                    str(tmp_path / "slips.pdf"), str(tmp_path / "page")], check=True)
    found = {r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))}
    assert found == {activation_link("https://korch.example/activate", s.username, s.code)
                     for s in slips}


def test_more_members_than_one_pdf_holds_asks_for_one_district_at_a_time(
        app, client, auth, world, monkeypatch):
    from korch_pwa.accounts import register_views

    monkeypatch.setattr(register_views, "SLIPS_MAX", 5)
    for code in ("520101", "520201"):
        committee(app, code)
    auth.login("province")
    index = client.get("/people").get_data(as_text=True)
    assert 'value="52"' in index and 'value="5201"' in index and 'value="520101"' not in index
    refused = client.post("/people/register/slips", data={"area": "52"})
    assert refused.status_code == 302
    page = client.get(refused.location).get_data(as_text=True)
    assert "กรรมการที่ยังไม่มีบัญชีมี 6 คน เกินกว่าที่พิมพ์ได้ในครั้งเดียว (5 คน)" in page
    assert not accounts_of(app, "5201") and not accounts_of(app, "5202")
    district = client.post("/people/register/slips", data={"area": "5201"})
    assert district.mimetype == "application/pdf" and len(accounts_of(app, "5201")) == 3
