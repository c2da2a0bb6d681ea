"""A person chooses e-mail and LINE, links a LINE account, and may mute reminders."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

from sqlalchemy import select

from korch_pwa.auth.models import utcnow
from korch_pwa.deliveries.models import DeliveryPreference
from korch_pwa.extensions import db

LINE_USER = "U" + "a" * 32


def prefs(app, user_id):
    with app.app_context():
        row = db.session.get(DeliveryPreference, user_id)
        values = None if row is None else (row.email, row.email_on, row.line_user_id,
                                           row.line_on, row.mute_reminders)
        db.session.remove()
    return values


def signed_post(client, body, secret="test-channel-secret"):
    data = json.dumps(body).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), data, hashlib.sha256).digest())
    return client.post("/line/webhook", data=data, content_type="application/json",
                       headers={"X-Line-Signature": signature.decode()})


def code_message(code, user=LINE_USER):
    return {"destination": "Uxxx", "events": [{
        "type": "message", "message": {"type": "text", "id": "1", "text": code},
        "source": {"type": "user", "userId": user}, "replyToken": "r", "timestamp": 0,
        "mode": "active", "webhookEventId": "e", "deliveryContext": {"isRedelivery": False}}]}


def test_an_officer_turns_on_e_mail(app, client, auth, world):
    auth.login("district_x")
    assert "การแจ้งเตือน" in client.get("/account/notifications").get_data(as_text=True)
    response = client.post("/account/notifications", data={
        "email": " wilai@cdd.example.go.th ", "email_on": "y"})
    assert response.status_code == 302
    assert prefs(app, world["district_x"]) == ("wilai@cdd.example.go.th", True, "", False,
                                               False)
    assert 'value="wilai@cdd.example.go.th"' in client.get("/account/notifications").text


def test_a_wrong_address_is_refused_and_what_was_typed_stays(app, client, auth, world):
    auth.login("district_x")
    response = client.post("/account/notifications", data={"email": "wilai@", "email_on": "y"})
    assert response.status_code == 422
    assert "อีเมลไม่ถูกต้อง" in response.text and 'value="wilai@"' in response.text
    blank = client.post("/account/notifications", data={"email": "", "email_on": "y"})
    assert blank.status_code == 422 and "กรุณากรอกอีเมลก่อน" in blank.text
    assert prefs(app, world["district_x"]) is None


def test_a_line_account_is_linked_by_a_code_sent_to_the_official_account(
        app, client, auth, world, line):
    auth.login("province")
    page = client.post("/account/notifications/line-code").get_data(as_text=True)
    code = page.split('id="line-code">')[1].split("<")[0]
    assert len(code) == 6 and "@korchpwa" in page
    # Not signed by LINE, or signed with another secret: refused, nothing linked.
    assert client.post("/line/webhook", json=code_message(code)).status_code == 403
    assert signed_post(client, code_message(code), secret="other").status_code == 403
    assert signed_post(client, code_message("000000" if code != "000000" else "111111"))\
        .json == {"linked": 0}
    assert prefs(app, world["province"])[2] == ""
    assert signed_post(client, code_message(code)).json == {"linked": 1}
    assert prefs(app, world["province"])[2:4] == (LINE_USER, True)
    # The code is spent.
    assert signed_post(client, code_message(code, "U" + "b" * 32)).json == {"linked": 0}
    assert "เชื่อมบัญชี LINE แล้ว" in client.get("/account/notifications").text
    assert client.post("/account/notifications/line-unlink").status_code == 302
    assert prefs(app, world["province"])[2:4] == ("", False)


def test_an_expired_code_links_nothing(app, client, auth, world, line):
    auth.login("province")
    page = client.post("/account/notifications/line-code").get_data(as_text=True)
    code = page.split('id="line-code">')[1].split("<")[0]
    with app.app_context():
        row = db.session.scalar(select(DeliveryPreference))
        row.line_link_expires = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()
    assert signed_post(client, code_message(code)).json == {"linked": 0}


def test_junk_from_the_webhook_is_ignored_not_a_crash(app, client, world, line):
    for body in ({"events": "x"}, {"events": [1, None, {"type": "message"}]},
                 {"events": [{"type": "message", "message": {"text": "12\x0034"},
                              "source": {"userId": "U\x00"}}]}):
        assert signed_post(client, body).status_code == 200
    data = b"not json"
    signature = base64.b64encode(hmac.new(b"test-channel-secret", data,
                                          hashlib.sha256).digest()).decode()
    assert client.post("/line/webhook", data=data,
                       headers={"X-Line-Signature": signature}).status_code == 400


def test_line_cannot_be_turned_on_without_a_linked_account(app, client, auth, world):
    auth.login("district_x")
    client.post("/account/notifications", data={"email": "", "line_on": "y"})
    assert prefs(app, world["district_x"])[3] is False
    assert client.post("/account/notifications/line-code").status_code == 404  # no LINE set up
