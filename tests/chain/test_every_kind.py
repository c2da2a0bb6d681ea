"""Every kind of item, at both levels: send, return, send again, accept; and who may not."""

import re

import pytest
from sqlalchemy import select

from korch_pwa.chain.models import Dispatch, DispatchEvent, DueItem
from korch_pwa.extensions import db

from tests.chain.chain_data import year_items
from tests.views.test_report_views import TYPED

KINDS = ("register", "order_copies", "round_results", "progress_report")
# (area that sends, who sends, who decides, who may see but not act, who may not see)
LEVELS = {
    "district": ("5201", "district_x", "province", ("department",), ("district_y", "tambon")),
    "province": ("52", "province", "department", (), ("district_x", "tambon")),
}


def item_of(app, world, kind):
    ids = year_items(app)
    if kind != "round_results":
        return ids[kind]
    with app.app_context():
        found = db.session.scalar(select(DueItem.id).where(DueItem.round_id == world["round"]))
        db.session.remove()
    return found


def send(client, auth, kind, code, sender, item):
    auth.login(sender)
    if kind == "progress_report" and len(code) == 4:
        response = client.post(f"/dashboard/report/{code}/2570",
                               data={**TYPED, "action": "submit"})
    else:
        response = client.post(f"/due/item/{item}/{code}/send")
    auth.logout()
    return response.status_code


def decide(client, auth, decider, item, code, act, version, reasons=None):
    auth.login(decider)
    response = client.post(f"/due/item/{item}/{code}/decide", data={
        "act": act, "comment": "กรุณาแก้ไข" if act == "return" else "", "version": version,
        **(reasons or {})})
    auth.logout()
    return response.status_code


def history(app, item, code):
    with app.app_context():
        dispatch = db.session.scalar(select(Dispatch).where(Dispatch.due_item_id == item,
                                                            Dispatch.area_code == code))
        acts = [] if dispatch is None else list(db.session.scalars(
            select(DispatchEvent.act).where(DispatchEvent.dispatch_id == dispatch.id)
            .order_by(DispatchEvent.id)))
        state = None if dispatch is None else (dispatch.state, dispatch.version)
        db.session.remove()
    return state, acts


@pytest.mark.parametrize("level", sorted(LEVELS))
@pytest.mark.parametrize("kind", KINDS)
def test_send_return_send_accept(app, client, auth, world, kind, level):
    code, sender, decider, _watchers, _strangers = LEVELS[level]
    item = item_of(app, world, kind)
    assert send(client, auth, kind, code, sender, item) == 302
    assert decide(client, auth, decider, item, code, "return", 1) == 302
    assert send(client, auth, kind, code, sender, item) == 302
    reasons = {}
    if kind == "round_results" and level == "district":
        auth.login(decider)
        page = client.get(f"/due/item/{item}/{code}").get_data(as_text=True)
        auth.logout()
        reasons = {name: "ยังไม่มีคณะกรรมการ" for name in
                   re.findall(r'name="(exception-\d{6})"', page)}
    assert decide(client, auth, decider, item, code, "accept", 3, reasons) == 302
    assert history(app, item, code) == (("accepted", 4), ["send", "return", "send", "accept"])
    # Accepted is final: neither side acts again.
    assert send(client, auth, kind, code, sender, item) == 409
    assert decide(client, auth, decider, item, code, "return", 4) == 409


@pytest.mark.parametrize("level", sorted(LEVELS))
@pytest.mark.parametrize("kind", KINDS)
def test_nobody_else_sends_or_decides(app, client, auth, world, kind, level):
    code, sender, decider, watchers, strangers = LEVELS[level]
    item = item_of(app, world, kind)
    # The receiver does not send for the sender; the sender does not answer itself.
    if not (kind == "progress_report" and level == "district"):
        auth.login(decider)
        assert client.post(f"/due/item/{item}/{code}/send").status_code in (403, 404)
        auth.logout()
    assert send(client, auth, kind, code, sender, item) == 302
    assert decide(client, auth, sender, item, code, "accept", 1) == 403
    for username in watchers:
        auth.login(username)
        assert client.get(f"/due/item/{item}/{code}").status_code == 200
        auth.logout()
        assert decide(client, auth, username, item, code, "accept", 1) == 403
    for username in strangers:
        auth.login(username)
        assert client.get(f"/due/item/{item}/{code}").status_code == 404
        assert client.post(f"/due/item/{item}/{code}/send").status_code == 404
        auth.logout()
        assert decide(client, auth, username, item, code, "accept", 1) == 404
    auth.login("member_a")
    assert client.get(f"/due/item/{item}/{code}").status_code == 403
    auth.logout()
    assert history(app, item, code) == (("sent", 1), ["send"])
