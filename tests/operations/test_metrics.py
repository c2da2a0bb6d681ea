"""Request ids, structured log lines and Prometheus metrics."""

import json
import logging
import re
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from korch_pwa.operations.request_log import JsonFormatter, request_id_from
from tests.conftest import make_app

TOKEN = "scrape-me-0123456789"


def samples(text):
    """Return {(name, sorted labels): value} of a metrics text."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def scrape(client):
    """Return the metrics as a dict of samples."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/plain"
    return samples(response.get_data(as_text=True))


def value(found, name, **labels):
    """Return one sample's value, 0 when absent."""
    return found.get((name, tuple(sorted(labels.items()))), 0)


def test_metrics_need_the_token(client):
    assert client.get("/metrics").status_code == 404  # no token configured: not served
    client.application.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_requests_latency_and_sync_items_are_counted(app, client, auth, world):
    app.config["METRICS_TOKEN"] = TOKEN
    before = scrape(client)
    auth.login("member_a")
    item = {"client_id": str(uuid.uuid4()), "type": "assessment.save", "round_id": world["round"],
            "subdistrict_code": "520101", "version": 0,
            "changes": [{"indicator": "1.1", "mine": {"score": 2, "note": ""},
                         "base": {"score": None, "note": ""}}]}
    other = {**item, "client_id": str(uuid.uuid4()), "subdistrict_code": "520102"}
    junk = {"type": "made.up.by.a.client"}
    assert client.post("/api/v1/sync", json={"items": [item, other, junk]}).status_code == 200
    client.get(f"/review/{uuid.uuid4()}")  # a 404 under its rule, not under its path
    client.get("/no/such/page")
    after = scrape(client)
    sync = {"endpoint": "/api/v1/sync", "method": "POST", "status": "200"}
    assert value(after, "korch_http_requests_total", **sync) == value(
        before, "korch_http_requests_total", **sync) + 1
    assert value(after, "korch_http_request_duration_seconds_count", endpoint="/api/v1/sync") \
        == value(before, "korch_http_request_duration_seconds_count",
                 endpoint="/api/v1/sync") + 1
    for labels in ({"type": "assessment.save", "result": "ok"},
                   {"type": "assessment.save", "result": "not_found"},
                   {"type": "invalid", "result": "invalid"}):
        assert value(after, "korch_sync_items_total", **labels) == value(
            before, "korch_sync_items_total", **labels) + 1, labels
    assert value(after, "korch_http_requests_total", endpoint="/review/<assessment_id>",
                 method="GET", status="404") >= 1
    assert value(after, "korch_http_requests_total", endpoint="unmatched", method="GET",
                 status="404") >= 1
    assert not any("made.up" in str(key) or "/no/such" in str(key) for key in after)


def test_every_answer_carries_a_request_id_and_the_client_may_give_one(client):
    mine = client.get("/healthz", headers={"X-Request-ID": "phone-1234-abcd"})
    assert mine.headers["X-Request-ID"] == "phone-1234-abcd"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-ID"])
    assert request_id_from("x" * 65) != "x" * 65


@pytest.fixture
def failing(database_url):
    """An app with one view that fails, JSON logs on (the loggers put back after)."""
    loggers = [logging.getLogger(name) for name in ("korch.requests", "korch_pwa")]
    saved = [(logger.handlers[:], logger.propagate, logger.level) for logger in loggers]
    app = make_app(database_url, LOG_JSON=True, PROPAGATE_EXCEPTIONS=False)

    @app.route("/api/v1/boom")
    def boom():
        raise RuntimeError("the database went away")

    @app.route("/boom")
    def boom_page():
        raise RuntimeError("the database went away")

    yield app
    for logger, (handlers, propagate, level) in zip(loggers, saved):
        logger.handlers[:], logger.propagate = handlers, propagate
        logger.setLevel(level)


def test_a_failure_gives_the_request_id_to_quote_and_logs_it_as_json(failing, capsys):
    client = failing.test_client()
    response = client.get("/api/v1/boom", headers={"X-Request-ID": "quote-me-123"})
    assert response.status_code == 500
    assert response.json["request_id"] == "quote-me-123"
    page = client.get("/boom", headers={"X-Request-ID": "quote-me-456"})
    assert page.status_code == 500 and 'id="request-id">quote-me-456<' in page.text
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines()
             if line.startswith("{")]
    failure = [line for line in lines if line["level"] == "error"][0]
    assert failure["request_id"] == "quote-me-123"
    assert "RuntimeError: the database went away" in failure["exception"]
    access = [line for line in lines if line.get("path") == "/api/v1/boom"][0]
    assert access["status"] == 500 and access["request_id"] == "quote-me-123"
    assert access["endpoint"] == "/api/v1/boom" and access["duration_ms"] >= 0


def test_the_json_line_names_the_person(app, client, auth, world):
    auth.login("member_a")
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("korch.requests")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get("/api/v1/session", headers={"X-Request-ID": "session-read-1"})
    finally:
        logger.removeHandler(handler)
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["user_id"] == world["member_a"] and line["request_id"] == "session-read-1"
    assert line["status"] == 200 and line["method"] == "GET"
