"""CSRF tokens are checked by Flask-WTF's rules; a JSON body is not parsed as a form for it."""

import pytest
from flask import Flask, jsonify
from flask_wtf.csrf import CSRFError, generate_csrf
from itsdangerous import TimestampSigner
from werkzeug.wrappers import Request

from korch_pwa.security.csrf import HeaderFirstCSRFProtect, _serializer


@pytest.fixture
def app():
    """A bare app guarded by HeaderFirstCSRFProtect, with a page giving its token."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_TIME_LIMIT=None)
    csrf = HeaderFirstCSRFProtect(app)

    @app.route("/token", methods=["GET", "POST"])
    def token():
        return jsonify(token=generate_csrf())

    @app.post("/write")
    def write():
        return jsonify(ok=True)

    @app.post("/hook")
    @csrf.exempt
    def hook():
        return jsonify(ok=True)

    @app.errorhandler(CSRFError)
    def refused(error):
        return jsonify(reason=error.description), 400

    return app


def _client(app):
    client = app.test_client()
    client.token = client.get("/token").json["token"]
    return client


@pytest.fixture
def client(app):
    return _client(app)


def _reason(response):
    return response.status_code, response.json.get("reason")


def test_a_json_post_is_accepted_with_the_token_in_its_header(client):
    response = client.post("/write", json={"a": 1}, headers={"X-CSRFToken": client.token})
    assert response.status_code == 200


@pytest.mark.parametrize("headers, reason", [
    ({}, "The CSRF token is missing."),
    ({"X-CSRFToken": "forged"}, "The CSRF token is invalid."),
])
def test_a_json_post_without_a_good_header_token_is_refused(client, headers, reason):
    assert _reason(client.post("/write", json={"a": 1}, headers=headers)) == (400, reason)


def test_a_token_inside_a_json_body_does_not_count(client):
    # Only a form can carry the token field; a JSON body is not a form.
    response = client.post("/write", json={"csrf_token": client.token})
    assert _reason(response) == (400, "The CSRF token is missing.")


def test_a_json_post_is_not_parsed_as_a_form(client, monkeypatch):
    def no_form_parsing(self):
        raise AssertionError("request.form parsed for a JSON body")

    monkeypatch.setattr(Request, "make_form_data_parser", no_form_parsing)
    response = client.post("/write", json={"a": 1}, headers={"X-CSRFToken": client.token})
    assert response.status_code == 200


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded",
                                          "multipart/form-data"])
def test_a_form_post_is_accepted_with_the_token_field_or_header(client, content_type):
    with_field = client.post("/write", data={"csrf_token": client.token},
                             content_type=content_type)
    with_header = client.post("/write", data={"name": "x"}, content_type=content_type,
                              headers={"X-CSRFToken": client.token})
    refused = client.post("/write", data={"csrf_token": "forged"}, content_type=content_type)
    assert (with_field.status_code, with_header.status_code, refused.status_code) == (
        200, 200, 400)


def test_another_sessions_token_is_refused(app, client):
    other = _client(app)
    response = client.post("/write", json={}, headers={"X-CSRFToken": other.token})
    assert _reason(response) == (400, "The CSRF tokens do not match.")


def test_a_token_without_its_session_is_refused(app, client):
    response = app.test_client().post("/write", json={}, headers={"X-CSRFToken": client.token})
    assert _reason(response) == (400, "The CSRF session token is missing.")


def test_a_signed_token_that_is_not_a_string_is_refused(app, client):
    signed_number = _serializer("test").dumps(5)
    response = client.post("/write", json={}, headers={"X-CSRFToken": signed_number})
    assert _reason(response) == (400, "The CSRF tokens do not match.")


def test_a_remembered_token_past_the_time_limit_is_refused(app, client):
    headers = {"X-CSRFToken": client.token}
    assert client.post("/write", json={}, headers=headers).status_code == 200
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # any age is past it
    assert _reason(client.post("/write", json={}, headers=headers)) == (
        400, "The CSRF token has expired.")


def test_a_token_of_another_key_is_refused(app, client):
    headers = {"X-CSRFToken": client.token}
    assert client.post("/write", json={}, headers=headers).status_code == 200
    app.config["WTF_CSRF_SECRET_KEY"] = "another"
    assert _reason(client.post("/write", json={}, headers=headers)) == (
        400, "The CSRF token is invalid.")


def test_a_token_is_verified_once_not_on_every_post(client, monkeypatch):
    calls = []
    real = TimestampSigner.unsign

    def counted(self, *args, **kwargs):
        calls.append(self.salt)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(TimestampSigner, "unsign", counted)
    for _ in range(3):
        client.post("/write", json={}, headers={"X-CSRFToken": client.token})
    assert calls.count(b"wtf-csrf-token") == 1


def test_exempt_views_and_reads_are_not_checked(client):
    assert client.post("/hook", json={}).status_code == 200
    assert client.get("/token").status_code == 200


def test_over_https_the_referrer_must_be_this_host(app):
    site = "https://korch.example"
    client = app.test_client()
    token = client.get("/token", base_url=site).json["token"]

    def post(**headers):
        return client.post("/write", json={}, base_url=site,
                           headers={"X-CSRFToken": token, **headers})

    assert _reason(post()) == (400, "The referrer header is missing.")
    assert _reason(post(Referer="https://evil.example/page")) == (
        400, "The referrer does not match the host.")
    assert post(Referer=f"{site}/assessment").status_code == 200
