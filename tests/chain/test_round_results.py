"""A district sends a round's results; the province accepts them, naming any exceptions."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from korch_pwa.chain.models import Dispatch, DueItem
from korch_pwa.demo import ensure_user
from korch_pwa.domain.roles import Role
from korch_pwa.extensions import db
from korch_pwa.org.services import load_geography
from korch_pwa.reports.models import DistrictAcceptance
from tests.conftest import PASSWORD
from tests.report_rows import add_assessment, board_fixture

NOT_APPROVED_5202 = ("520202", "520203", "520204", "520205")


@pytest.fixture
def board(app, world):
    """Round 1 of 2570 in 5201 and 5202 (5202: one subdistrict approved of five)."""
    with app.app_context():
        board_fixture(world)
        item = db.session.scalar(select(DueItem.id).where(DueItem.round_id == world["round"]))
        db.session.remove()
    app.config["TODAY"] = date(2026, 11, 27)
    return {**world, "item": item}


def state(app):
    with app.app_context():
        row = db.session.execute(select(Dispatch.state, Dispatch.exceptions, Dispatch.snapshot)
                                 .where(Dispatch.area_code == "5202")).one_or_none()
        accepted = db.session.query(DistrictAcceptance).count()
        db.session.remove()
    return row, accepted


def test_the_province_accepts_with_a_reason_for_each_subdistrict_not_approved(
        app, client, auth, board):
    url = f"/due/item/{board['item']}/5202"
    auth.login("district_y")
    page = client.get(url).get_data(as_text=True)
    assert 'id="round-rows"' in page and "สิ่งที่จะส่ง" in page
    assert client.post(url + "/send").status_code == 302
    (sent_state, _exc, snapshot), _n = state(app)
    assert sent_state == "sent" and snapshot["subdistricts"] == 5
    assert snapshot["status"] == {"approved": 1, "not_started": 4}
    auth.logout()
    auth.login("province")
    page = client.get(url).get_data(as_text=True)
    assert all(f'name="exception-{code}"' in page for code in NOT_APPROVED_5202)
    assert 'name="exception-520201"' not in page  # approved: nothing to explain
    # Three reasons of four: refused, what was typed kept, nothing changed.
    typed = {f"exception-{code}": "ยังไม่มีคณะกรรมการ" for code in NOT_APPROVED_5202[:3]}
    refused = client.post(url + "/decide", data={"act": "accept", "comment": "",
                                                 "version": "1", **typed})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "กรุณาระบุเหตุผลที่รับผลโดยยกเว้นตำบลนี้" in text
    assert text.count('value="ยังไม่มีคณะกรรมการ"') == 3
    assert state(app) == (("sent", None, snapshot), 0)
    typed["exception-520205"] = "ตำบลยุบรวมกับตำบลข้างเคียง"
    assert client.post(url + "/decide", data={"act": "accept", "comment": "",
                                              "version": "1", **typed}).status_code == 302
    (accepted_state, exceptions, _snap), accepted = state(app)
    assert accepted_state == "accepted" and accepted == 1
    assert exceptions == {"520202": "ยังไม่มีคณะกรรมการ", "520203": "ยังไม่มีคณะกรรมการ",
                          "520204": "ยังไม่มีคณะกรรมการ",
                          "520205": "ตำบลยุบรวมกับตำบลข้างเคียง"}
    page = client.get(url).get_data(as_text=True)
    assert 'id="exceptions"' in page and "ตำบลยุบรวมกับตำบลข้างเคียง" in page
    card = client.get("/dashboard/").get_data(as_text=True).split(
        'id="row-5202"')[1].split("area-card")[0]
    assert "รับผลแล้ว" in card
    auth.logout()
    auth.login("district_y")
    assert 'id="accepted"' in client.get("/dashboard/").get_data(as_text=True)


def test_a_district_all_approved_is_accepted_without_exceptions(app, client, auth, board):
    with app.app_context():
        for code in NOT_APPROVED_5202:
            add_assessment(board["round"], code, "approved", board["member_y"],
                           first_submit=date(2026, 11, 23))
        db.session.commit()
        db.session.remove()
    url = f"/due/item/{board['item']}/5202"
    auth.login("district_y")
    client.post(url + "/send")
    auth.logout()
    auth.login("province")
    assert 'id="exception-fields"' not in client.get(url).get_data(as_text=True)
    assert client.post(url + "/decide", data={"act": "accept", "comment": "",
                                              "version": "1"}).status_code == 302
    (accepted_state, exceptions, _snap), accepted = state(app)
    assert (accepted_state, exceptions, accepted) == ("accepted", None, 1)


def test_accepting_locks_the_district_s_approved_assessments(app, client, auth, board):
    url = f"/due/item/{board['item']}/5201"
    auth.login("district_x")
    client.post(url + "/send")
    auth.logout()
    auth.login("province")
    page = client.get(url).get_data(as_text=True)
    reasons = {name: "ยังไม่ครบ" for name in re.findall(r'name="(exception-\d{6})"', page)}
    assert len(reasons) > 3 and "exception-520101" not in reasons
    response = client.post(url + "/decide", data={"act": "accept", "comment": "",
                                                  "version": "1", **reasons})
    assert response.status_code == 302, response.get_data(as_text=True)[:200]
    with app.app_context():
        assert db.session.get(DistrictAcceptance, (board["round"], "5201")) is not None
        db.session.remove()


def test_nobody_outside_the_province_decides(app, client, auth, board):
    url = f"/due/item/{board['item']}/5202"
    auth.login("district_y")
    client.post(url + "/send")
    auth.logout()
    with app.app_context():
        load_geography(province_codes={"51"})
        ensure_user("province_51", "ลำพูน", "", Role.PROVINCE_OFFICER, ["51"], PASSWORD)
        db.session.commit()
        db.session.remove()
    for user, status in (("province_51", 404), ("district_x", 404), ("district_y", 403),
                         ("tambon", 404), ("member_a", 403), ("department", 403)):
        auth.login(user)
        response = client.post(url + "/decide", data={"act": "accept", "comment": "",
                                                       "version": "1"})
        assert response.status_code == status, user
        auth.logout()
    assert state(app)[0][0] == "sent"
