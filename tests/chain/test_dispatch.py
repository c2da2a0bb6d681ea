"""A district sends its register and order copies; the province returns or accepts."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from korch_pwa.chain.models import Dispatch, DispatchEvent
from korch_pwa.extensions import db
from korch_pwa.notifications.models import Notice

from tests.chain.chain_data import district_register, year_items


@pytest.fixture
def items(app, world):
    district_register(app)
    return year_items(app)


def sending(app, item_id, code="5201"):
    with app.app_context():
        row = db.session.execute(select(Dispatch.state, Dispatch.version, Dispatch.snapshot,
                                        Dispatch.first_sent_at, Dispatch.comment)
                                 .where(Dispatch.due_item_id == item_id,
                                        Dispatch.area_code == code)).one_or_none()
        db.session.remove()
    return row


def events(app):
    with app.app_context():
        rows = db.session.execute(select(DispatchEvent.act, DispatchEvent.comment)
                                  .order_by(DispatchEvent.id)).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def told(app, username_ids):
    with app.app_context():
        rows = db.session.execute(select(Notice.user_id, Notice.event)
                                  .order_by(Notice.id)).all()
        db.session.remove()
    names = {v: k for k, v in username_ids.items() if isinstance(v, int)}
    return [(names.get(u, u), e) for u, e in rows]


def test_the_district_sends_its_register_as_it_stands(app, client, auth, world, items):
    auth.login("district_x")
    url = f"/due/item/{items['register']}/5201"
    page = client.get(url).get_data(as_text=True)
    # What would go now: the committees on record, those with no order named.
    assert "สิ่งที่จะส่ง" in page and "5/2569" in page and "ยังไม่มีคำสั่งแต่งตั้ง ศอช." in page
    assert client.post(url + "/send").status_code == 302
    state, version, snapshot, first, _comment = sending(app, items["register"])
    assert (state, version) == ("sent", 1)
    by_code = {r["code"]: r for r in snapshot["rows"]}
    assert by_code["520101"]["members"] == 2 and by_code["520101"]["order_number"] == "5/2569"
    assert by_code["5201"]["level"] == "district"
    assert snapshot["committees"] == 2 and snapshot["members"] == 3
    assert "520102" in {m["code"] for m in snapshot["missing"]}
    # The snapshot stays what was sent, whatever the register does next.
    with app.app_context():
        from tests.register_data import make_committee
        make_committee("520102", number="9/2569")
        db.session.remove()
    page = client.get(url).get_data(as_text=True)
    assert "สิ่งที่ส่งไป" in page and "9/2569" not in page and "ส่งแล้ว รอตรวจ" in page
    # Sending again while it waits is refused and changes nothing.
    again = client.post(url + "/send")
    assert again.status_code == 409 and "ส่งซ้ำไม่ได้" in again.get_data(as_text=True)
    assert events(app) == [("send", "")]
    assert told(app, world) == [("province", "item_sent")]


def test_the_province_returns_with_a_reason_and_accepts_the_fixed_one(
        app, client, auth, world, items):
    url = f"/due/item/{items['register']}/5201"
    auth.login("district_x")
    client.post(url + "/send")
    auth.logout()
    auth.login("province")
    listing = client.get(f"/due/item/{items['register']}").get_data(as_text=True)
    assert 'id="sender-5201"' in listing and 'id="sender-5202"' in listing
    assert "ส่งแล้ว รอตรวจ" in listing and "ยังไม่ส่ง" in listing
    blank = client.post(url + "/decide", data={"act": "return", "comment": " ", "version": 1})
    assert blank.status_code == 422 and "กรุณาเขียนเหตุผลที่ส่งกลับ" in blank.get_data(as_text=True)
    assert sending(app, items["register"])[0] == "sent"
    assert client.post(url + "/decide", data={
        "act": "return", "comment": "ตำบลหัวเวียงยังไม่มีคำสั่ง", "version": 1}).status_code == 302
    # A decision about a version no longer current is refused.
    stale = client.post(url + "/decide", data={"act": "accept", "comment": "", "version": 1})
    assert stale.status_code == 409
    auth.logout()
    auth.login("district_x")
    page = client.get(url).get_data(as_text=True)
    assert "ตำบลหัวเวียงยังไม่มีคำสั่ง" in page and "ส่งอีกครั้ง" in page
    assert client.post(url + "/send").status_code == 302
    auth.logout()
    auth.login("province")
    assert client.post(url + "/decide", data={"act": "accept", "comment": "",
                                              "version": 3}).status_code == 302
    assert sending(app, items["register"])[:2] == ("accepted", 4)
    assert [a for a, _c in events(app)] == ["send", "return", "send", "accept"]
    assert told(app, world) == [("province", "item_sent"), ("district_x", "item_returned"),
                                ("province", "item_sent"), ("district_x", "item_accepted")]
    auth.logout()
    auth.login("district_x")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "ทะเบียนข้อมูลคณะกรรมการ ศอช. ปีงบประมาณ 2570 ของอำเภอเมืองลำปาง" in inbox
    assert "ถูกส่งกลับให้แก้ไข: ตำบลหัวเวียงยังไม่มีคำสั่ง" in inbox
    # Each notice opens the sending it tells of.
    with app.app_context():
        links = set(db.session.scalars(select(Notice.link)))
        db.session.remove()
    assert links == {url}
    notice = inbox.split('href="/inbox/')[1].split('"')[0]
    assert client.get(f"/inbox/{notice}").headers["Location"] == url
    # Accepted is final: nothing more to send.
    assert client.post(url + "/send").status_code == 409


def test_the_order_checklist_names_the_committees_without_a_scan(
        app, client, auth, world, items):
    auth.login("district_x")
    url = f"/due/item/{items['order_copies']}/5201"
    page = client.get(url).get_data(as_text=True)
    assert 'id="order-checklist"' in page
    assert "มีคำสั่งแต่ยังไม่มีไฟล์สแกน" in page and "ยังไม่มีคำสั่ง" in page
    client.post(url + "/send")
    snapshot = sending(app, items["order_copies"])[2]
    rows = {(r["kind"], r["code"]): (r["has_order"], r["has_scan"]) for r in snapshot["rows"]}
    assert rows[("korch", "5201")] == (True, True)
    assert rows[("korch", "520101")] == (True, False)
    assert rows[("kbt", "520101")] == (False, False)
    assert snapshot["complete"] == 1 and snapshot["total"] == len(rows)


def act_at(app, item_id, username, act, moment, comment=""):
    """Send or decide through the services at a set moment (the pages use the real clock)."""
    from korch_pwa.auth.models import User
    from korch_pwa.chain import dispatch_services
    from korch_pwa.chain.models import DueItem

    with app.app_context():
        item = db.session.get(DueItem, item_id)
        actor = db.session.scalar(select(User).where(User.username == username))
        if act == "send":
            dispatch_services.send(item, "5201", actor, now=moment)
        else:
            version = dispatch_services.dispatch_of(item, "5201").version
            dispatch_services.decide(item, "5201", act, comment, actor, version, now=moment)
        db.session.commit()
        db.session.remove()


def test_lateness_is_judged_on_the_district_s_first_sending(app, client, auth, world, items):
    # The province's suggested date is 24 Nov 2569; the department's is 30 Nov.
    auth.login("province")
    client.post(f"/due/item/{items['register']}/province-due", data={"due": "24/11/2569"})
    app.config["TODAY"] = date(2026, 11, 27)
    listing = client.get(f"/due/item/{items['register']}").get_data(as_text=True)
    assert "ช้า 3 วัน" in listing
    calendar = client.get("/due/2570").get_data(as_text=True)
    register = calendar.split(f'id="item-{items["register"]}"')[1].split("</li>")[0]
    assert "ส่งแล้ว 0 จาก 13 · รับแล้ว 0" in register and "ช้า 13 แห่ง" in register
    # 00:30 on the 25th in Bangkok is 17:30 on the 24th in UTC: one day late.
    act_at(app, items["register"], "district_x", "send", datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
    assert "ช้า 1 วัน" in client.get(f"/due/item/{items['register']}").text
    act_at(app, items["register"], "province", "return",
           datetime(2026, 11, 25, 3, 0, tzinfo=UTC), "แก้")
    act_at(app, items["register"], "district_x", "send", datetime(2026, 12, 9, 3, 0, tzinfo=UTC))
    app.config["TODAY"] = date(2026, 12, 10)
    auth.logout()
    auth.login("district_x")
    # Still one day late: judged on the first sending, not the one after the return.
    assert "ช้า 1 วัน" in client.get(f"/due/item/{items['register']}/5201").text
    assert "ช้า 1 วัน" in client.get("/due/2570").text


def test_a_sending_by_the_date_is_on_time(app, client, auth, world, items):
    auth.login("province")
    client.post(f"/due/item/{items['register']}/province-due", data={"due": "24/11/2569"})
    act_at(app, items["register"], "district_x", "send", datetime(2026, 11, 24, 16, 30, tzinfo=UTC))
    app.config["TODAY"] = date(2026, 12, 10)
    listing = client.get(f"/due/item/{items['register']}").text
    assert "ตรงเวลา" in listing and "ช้า" not in listing.split('id="sender-5201"')[1].split("</li>")[0]


def test_nobody_acts_outside_their_area_or_role(app, client, auth, world, items):
    url = f"/due/item/{items['register']}/5201"
    auth.login("district_y")
    assert client.get(url).status_code == 404
    assert client.post(url + "/send").status_code == 404
    auth.logout()
    auth.login("tambon")
    assert client.post(url + "/send").status_code == 404
    auth.logout()
    auth.login("member_a")
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login("province")
    assert client.post(url + "/send").status_code == 403  # the receiver does not send
    auth.logout()
    auth.login("district_x")
    client.post(url + "/send")
    assert client.post(url + "/decide", data={"act": "accept", "comment": "",
                                              "version": 1}).status_code == 403
    assert client.get(f"/due/item/{items['register']}").status_code == 404
    auth.logout()
    auth.login("department")
    assert client.post(url + "/decide", data={"act": "accept", "comment": "",
                                              "version": 1}).status_code == 403
    assert sending(app, items["register"])[0] == "sent"
    assert client.get(f"/due/item/{items['register']}/999999").status_code == 404
    assert client.get("/due/item/999999/5201").status_code == 404


def test_the_province_sends_its_own_to_the_department(app, client, auth, world, items):
    url = f"/due/item/{items['register']}/52"
    auth.login("province")
    page = client.get(url).get_data(as_text=True)
    assert "ส่งให้กรม" in page
    assert client.post(url + "/send").status_code == 302
    snapshot = sending(app, items["register"], "52")[2]
    assert snapshot["subdistricts"] > 90  # every subdistrict of Lampang
    auth.logout()
    auth.login("department")
    listing = client.get(f"/due/item/{items['register']}").get_data(as_text=True)
    assert 'id="sender-52"' in listing
    assert client.post(url + "/decide", data={"act": "accept", "comment": "",
                                              "version": 1}).status_code == 302
    assert sending(app, items["register"], "52")[0] == "accepted"
    assert told(app, world) == [("department", "item_sent"), ("province", "item_accepted")]


def test_a_district_s_report_is_sent_from_its_report_page_not_the_item_s(
        app, client, auth, world, items):
    auth.login("district_x")
    page = client.get(f"/due/item/{items['progress_report']}/5201").get_data(as_text=True)
    assert "/dashboard/report/5201/2570" in page and "/send" not in page
    response = client.post(f"/due/item/{items['progress_report']}/5201/send")
    assert response.status_code == 404
    assert sending(app, items["progress_report"]) is None
