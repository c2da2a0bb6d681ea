"""Web Push: a browser subscribes; a notice reaches it encrypted, VAPID-signed, once."""

from collections import Counter

from sqlalchemy import select

from korch_pwa.deliveries.channels import channels_from_config
from korch_pwa.deliveries.models import Delivery, PushSubscription
from korch_pwa.deliveries.services import deliver_pending
from korch_pwa.extensions import db

from tests.chain.chain_data import year_items

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH"
KEYS = {"p256dh": "B" + "E" * 86, "auth": "tBHItJI5svbpez7KI4CCXg"}


def stored(app):
    with app.app_context():
        rows = db.session.execute(select(PushSubscription.user_id, PushSubscription.endpoint)
                                  .order_by(PushSubscription.id)).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def subscribe_directly(app, user_id, endpoint, p256dh, auth):
    """Store a subscription to the local push service (the API takes only real services)."""
    with app.app_context():
        db.session.add(PushSubscription(user_id=user_id, endpoint=endpoint, p256dh=p256dh,
                                        auth=auth))
        db.session.commit()
        db.session.remove()


def test_a_browser_subscribes_and_unsubscribes(app, client, auth, world, push):
    auth.login("member_a")
    assert client.get("/api/v1/push/key").json == {"public_key": app.config["VAPID_PUBLIC_KEY"]}
    page = client.get("/account/notifications").get_data(as_text=True)
    assert f'data-key="{app.config["VAPID_PUBLIC_KEY"]}"' in page and "js/push.js" in page
    response = client.post("/api/v1/push/subscriptions", json={"endpoint": FCM, "keys": KEYS})
    assert response.status_code == 201 and response.json == {"count": 1}
    assert stored(app) == [(world["member_a"], FCM)]
    # Sent again (the page subscribes on every visit): still one.
    client.post("/api/v1/push/subscriptions", json={"endpoint": FCM, "keys": KEYS})
    assert len(stored(app)) == 1
    auth.logout()
    # A shared phone: the next person's login takes the subscription over.
    auth.login("member_a2")
    client.post("/api/v1/push/subscriptions", json={"endpoint": FCM, "keys": KEYS})
    assert stored(app) == [(world["member_a2"], FCM)]
    auth.logout()
    auth.login("member_a")  # no longer theirs: removing it removes nothing
    assert client.delete("/api/v1/push/subscriptions", json={"endpoint": FCM}).json == {
        "count": 0}
    auth.logout()
    auth.login("member_a2")
    assert client.delete("/api/v1/push/subscriptions", json={"endpoint": FCM}).json == {
        "count": 1}
    assert stored(app) == []


def test_only_the_browsers_push_services_are_taken(app, client, auth, world, push):
    auth.login("member_a")
    for endpoint in ("http://fcm.googleapis.com/fcm/send/x", "https://127.0.0.1/push/x",
                     "https://fcm.googleapis.com.evil.example/x", "https://10.0.0.1/",
                     "https://evil.example/fcm.googleapis.com/"):
        response = client.post("/api/v1/push/subscriptions",
                               json={"endpoint": endpoint, "keys": KEYS})
        assert response.status_code == 422 and response.json["field"] == "endpoint", endpoint
    bad_keys = client.post("/api/v1/push/subscriptions",
                           json={"endpoint": FCM, "keys": {"p256dh": "x", "auth": "y"}})
    assert bad_keys.status_code == 422 and bad_keys.json["field"].startswith("keys")
    assert stored(app) == []
    auth.logout()
    assert client.post("/api/v1/push/subscriptions",
                       json={"endpoint": FCM, "keys": KEYS}).status_code == 401


def test_a_returned_item_reaches_the_district_s_phone_decrypted(app, client, auth, world,
                                                                 push):
    endpoint, p256dh, secret = push.browser()
    subscribe_directly(app, world["district_x"], endpoint, p256dh, secret)
    items = year_items(app)
    url = f"/due/item/{items['register']}/5201"
    auth.login("district_x")
    client.post(url + "/send")
    auth.logout()
    auth.login("province")
    client.post(url + "/decide", data={"act": "return", "comment": "ขาดคำสั่ง", "version": "1"})
    with app.app_context():
        done = deliver_pending(channels_from_config(app.config))
        db.session.remove()
    assert push.refused == []
    assert done == Counter({("push", "sent"): 1})
    [message] = push.received
    payload = message["payload"]
    assert "ถูกส่งกลับให้แก้ไข: ขาดคำสั่ง" in payload["body"]
    assert payload["url"] == f"https://korch.example{url}"
    assert payload["title"].startswith("ศอช.ต.:")
    with app.app_context():
        assert deliver_pending(channels_from_config(app.config)) == Counter()
        db.session.remove()
    assert len(push.received) == 1


def test_a_browser_that_left_is_forgotten(app, client, auth, world, push):
    endpoint, p256dh, secret = push.browser(gone=True)
    subscribe_directly(app, world["district_x"], endpoint, p256dh, secret)
    items = year_items(app)
    auth.login("province")
    with app.app_context():
        from korch_pwa.auth.models import User
        from korch_pwa.chain import dispatch_services
        from korch_pwa.chain.models import DueItem

        dispatch_services.send(db.session.get(DueItem, items["register"]), "5201",
                               db.session.get(User, world["district_x"]))
        dispatch_services.decide(db.session.get(DueItem, items["register"]), "5201",
                                 "accept", "", db.session.get(User, world["province"]), 1)
        db.session.commit()
        done = deliver_pending(channels_from_config(app.config))
        state = db.session.scalar(select(Delivery.state))
        db.session.remove()
    assert done == Counter({("push", "gave_up"): 1}) and state == "gave_up"
    assert stored(app) == []
