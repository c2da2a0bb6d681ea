"""Login throttling through the login page: the counters in the database (the default)."""

import re

import pytest
from sqlalchemy import func, select

from korch_pwa.extensions import db
from korch_pwa.security.models import RateLimitCounter

from tests.conftest import PASSWORD, make_app

STRICT = 5  # login_throttle.DEFAULT_POLICY["account_address"]


@pytest.fixture
def throttled(app, world):
    """The app with login throttling on, as outside the tests."""
    app.config["RATELIMIT_ENABLED"] = True
    return app


def post_login(client, username, password, address="198.51.100.7", **headers):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_wrong_passwords_then_a_wait_even_for_the_right_one(throttled):
    client = throttled.test_client()
    statuses = [post_login(client, "member_a", f"guess{i}").status_code for i in range(STRICT + 2)]
    assert statuses == [422] * STRICT + [429, 429]
    # The right password too: otherwise the one try let through would tell a guesser it was right.
    response = post_login(client, "member_a", PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "ลองเข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป กรุณารอประมาณ 15 นาทีแล้วลองใหม่" in page
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60
    # What was typed stays in the form.
    assert re.search(r'name="username"[^>]*value="member_a"', page)


def test_the_owner_on_another_address_still_logs_in(throttled):
    client = throttled.test_client()
    for i in range(STRICT + 1):
        post_login(client, "member_a", f"guess{i}")
    assert post_login(throttled.test_client(), "member_a", PASSWORD,
                      address="203.0.113.20").status_code == 302


def test_right_passwords_are_never_counted(throttled):
    for _ in range(3 * STRICT):
        client = throttled.test_client()
        assert post_login(client, "member_a", PASSWORD).status_code == 302
    assert post_login(throttled.test_client(), "member_a", "guess").status_code == 422


def test_the_counts_live_in_the_database(throttled):
    """Every worker on every host reads them there; nothing is counted in process memory."""
    post_login(throttled.test_client(), "member_a", "guess")
    with throttled.app_context():
        counts = db.session.scalars(select(RateLimitCounter.count)).all()
        assert sorted(counts) == [1, 1, 1]
    # A second app (another worker) over the same database sees the same counts.
    other = make_app(throttled.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True)
    for i in range(STRICT - 1):
        assert post_login(other.test_client(), "member_a", f"g{i}").status_code == 422
    assert post_login(other.test_client(), "member_a", "g").status_code == 429
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_blank_form_is_no_attempt(throttled):
    for _ in range(STRICT + 2):
        assert post_login(throttled.test_client(), "member_a", "").status_code == 422
    with throttled.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 0


def test_forwarded_for_is_ignored_without_a_proxy(throttled):
    """A guesser cannot buy a fresh bucket per try by writing the header itself."""
    client = throttled.test_client()
    statuses = [post_login(client, "member_a", "guess", **{"X-Forwarded-For": f"10.9.0.{i}"})
                .status_code for i in range(STRICT + 1)]
    assert statuses[-1] == 429


def test_forwarded_for_is_read_through_the_configured_proxies(app, world):
    proxied = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                       PROXY_COUNT=1)
    client = proxied.test_client()
    # The proxy appends the address it saw; anything before it is the client's own writing.
    for i in range(STRICT + 1):
        last = post_login(client, "member_a", "guess", address="127.0.0.1",
                          **{"X-Forwarded-For": f"10.9.0.{i}, 203.0.113.5"})
    assert last.status_code == 429
    # Another real client behind the same proxy is another address.
    assert post_login(client, "member_a", PASSWORD, address="127.0.0.1",
                      **{"X-Forwarded-For": "203.0.113.6"}).status_code == 302
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def test_counts_in_redis(throttled, redis_url):
    throttled.config["RATELIMIT_STORAGE_URI"] = redis_url
    client = throttled.test_client()
    statuses = [post_login(client, "member_a", f"guess{i}").status_code for i in range(STRICT + 1)]
    assert statuses == [422] * STRICT + [429]
    with throttled.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 0


def test_an_unreachable_store_refuses_logins_with_a_thai_message(throttled):
    """Fail closed: without counters a guesser has no limit; the typed name stays."""
    from tests.concurrency.server import free_port

    throttled.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{free_port()}/0"
    response = post_login(throttled.test_client(), "member_a", PASSWORD)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "ระบบตรวจสอบการเข้าสู่ระบบขัดข้องชั่วคราว" in page
    assert re.search(r'name="username"[^>]*value="member_a"', page)
    assert response.headers["Retry-After"] == "30"
