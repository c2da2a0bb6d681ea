"""CSRF tokens are checked as Flask-WTF checks them; a JSON body is not parsed as a form for it."""

import pytest
from flask import Flask, jsonify
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Request

from korch_pwa.security.csrf import HeaderFirstCSRFProtect


@pytest.fixture
def client():
    """A bare app guarded by HeaderFirstCSRFProtect, with a page giving its token."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_TIME_LIMIT=None)
    HeaderFirstCSRFProtect(app)

    @app.get("/token")
    def token():
        return jsonify(token=generate_csrf())

    @app.post("/write")
    def write():
        return jsonify(ok=True)

    client = app.test_client()
    client.token = client.get("/token").json["token"]
    return client


def test_a_json_post_is_accepted_with_the_token_in_its_header(client):
    response = client.post("/write", json={"a": 1}, headers={"X-CSRFToken": client.token})
    assert response.status_code == 200


@pytest.mark.parametrize("headers", [{}, {"X-CSRFToken": "forged"}])
def test_a_json_post_without_a_good_header_token_is_refused(client, headers):
    assert client.post("/write", json={"a": 1}, headers=headers).status_code == 400


def test_a_token_inside_a_json_body_does_not_count(client):
    # Only a form can carry the token field; a JSON body is not a form.
    response = client.post("/write", json={"csrf_token": client.token})
    assert response.status_code == 400


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
