"""The signed-cookie session: remembered signatures never let a bad, old or foreign cookie in."""

from datetime import timedelta

import pytest
from flask import Flask, jsonify, session
from itsdangerous import TimestampSigner

from korch_pwa.security.cookie_session import SignedCookieSessions


@pytest.fixture
def app():
    """A bare app on SignedCookieSessions that stores and shows a session."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="current", PERMANENT_SESSION_LIFETIME=timedelta(hours=12))
    app.session_interface = SignedCookieSessions()

    @app.post("/set")
    def set_values():
        session["user"] = "somchai"
        session["areas"] = ["520101"]
        return jsonify(ok=True)

    @app.get("/show")
    def show():
        return jsonify(session=dict(session))

    @app.get("/touch")
    def touch():
        # Changes a list in place: the session does not see it, nothing is saved.
        session["areas"].append("520102")
        return jsonify(session=dict(session))

    return app


@pytest.fixture
def unsigns(monkeypatch):
    """Count the signature checks: ``unsigns.count``."""

    class Unsigns:
        count = 0

    real = TimestampSigner.unsign

    def counted(self, *args, **kwargs):
        Unsigns.count += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(TimestampSigner, "unsign", counted)
    return Unsigns


def _logged_in(app):
    client = app.test_client()
    client.post("/set")
    return client


def _cookie(client):
    return client.get_cookie("session").value


def test_the_session_reads_back_and_its_signature_is_checked_once(app, unsigns):
    client = _logged_in(app)
    for _ in range(3):
        assert client.get("/show").json["session"] == {"user": "somchai", "areas": ["520101"]}
    assert unsigns.count == 1


def test_an_altered_cookie_gives_an_empty_session_every_time(app, unsigns):
    client = _logged_in(app)
    client.get("/show")  # the good cookie is remembered
    good = _cookie(client)
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    client.set_cookie("session", forged)
    for _ in range(2):
        assert client.get("/show").json["session"] == {}
    assert unsigns.count == 1 + 2  # a bad signature is never remembered


def test_a_remembered_cookie_past_the_lifetime_gives_an_empty_session(app):
    client = _logged_in(app)
    assert client.get("/show").json["session"]
    app.permanent_session_lifetime = timedelta(0)
    assert client.get("/show").json["session"] == {}


def test_a_new_key_ends_remembered_cookies_unless_the_old_key_is_a_fallback(app):
    client = _logged_in(app)
    assert client.get("/show").json["session"]
    app.secret_key = "rotated"
    app.config["SECRET_KEY_FALLBACKS"] = ["current"]
    assert client.get("/show").json["session"]["user"] == "somchai"
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert client.get("/show").json["session"] == {}


def test_no_two_requests_share_a_session_dict(app):
    client = _logged_in(app)
    assert client.get("/touch").json["session"]["areas"] == ["520101", "520102"]
    assert client.get("/show").json["session"]["areas"] == ["520101"]
