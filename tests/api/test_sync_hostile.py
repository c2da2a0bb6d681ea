"""Hostile outboxes: one bad item must never block the items after it."""

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select, text

from korch_pwa.assessment import services as assessing
from korch_pwa.assessment.models import Answer, Assessment
from korch_pwa.extensions import db
from korch_pwa.sync_api import services as syncing
from korch_pwa.sync_api.models import SyncReceipt
from korch_pwa.domain.limits import INT32_MAX, INT32_MIN
from tests.api.test_sync_api import change, decision, item
from tests.conftest import Auth, make_app, wipe
from tests.helpers import examples, submitted_assessment

SURROGATE = "\udc00"
STORED = {("520101", "1.1"): "ก่อน", ("520101", "1.3"): "หลัง"}


def send(client, items):
    """Post a batch as ASCII-escaped JSON bytes, so lone surrogates survive."""
    body = json.dumps({"items": items}, ensure_ascii=True).encode("ascii")
    return client.post("/api/v1/sync", data=body, content_type="application/json")


def notes(app):
    """Return (subdistrict, indicator) -> note of every stored answer."""
    with app.app_context():
        rows = db.session.execute(select(Assessment.subdistrict_code, Answer.indicator_code,
                                         Answer.note).join(Assessment)).all()
        db.session.remove()
        return {(code, indicator): note for code, indicator, note in rows}


def good_pair(world):
    """Return two good items of member_a's subdistrict, with notes to find them by."""
    return (item(world, changes=[change("1.1", 2, note="ก่อน")]),
            item(world, changes=[change("1.3", 1, note="หลัง")]))


def _bad_note(world, note):
    return item(world, changes=[change("1.2", 1, note=note)])


BAD_ANSWERS = {
    "nul_in_note": (lambda w: _bad_note(w, "a\u0000b"), "items.1.changes.0.mine.note"),
    "nul_in_base_note": (lambda w: item(w, changes=[
        {"indicator": "1.2", "mine": {"score": 1, "note": ""},
         "base": {"score": None, "note": "\u0000"}}]), "items.1.changes.0.base.note"),
    "nul_in_indicator": (lambda w: item(w, changes=[change("1.\u00002", 1)]),
                         "items.1.changes.0.indicator"),
    "surrogate_in_note": (lambda w: _bad_note(w, "ok" + SURROGATE),
                          "items.1.changes.0.mine.note"),
    "surrogate_in_indicator": (lambda w: item(w, changes=[change(SURROGATE, 1)]),
                               "items.1.changes.0.indicator"),
    "surrogate_in_code": (lambda w: item(w, code="52010" + SURROGATE),
                          "items.1.subdistrict_code"),
    "round_id_2_31": (lambda w: item(w, round_id=2**31), "items.1.round_id"),
    "round_id_2_63": (lambda w: item(w, round_id=2**63), "items.1.round_id"),
    "round_id_10_30": (lambda w: item(w, round_id=10**30), "items.1.round_id"),
    "round_id_negative_huge": (lambda w: item(w, round_id=-2**63 - 1), "items.1.round_id"),
    "round_id_true": (lambda w: item(w, round_id=True), "items.1.round_id"),
    "version_huge": (lambda w: item(w, version=2**63), "items.1.version"),
    "score_huge": (lambda w: item(w, changes=[change("1.2", 10**30)]),
                   "items.1.changes.0.mine.score"),
    "base_score_2_31": (lambda w: item(w, changes=[change("1.2", 1, base=2**31)]),
                        "items.1.changes.0.base.score"),
    "score_true": (lambda w: item(w, changes=[change("1.2", True)]),
                   "items.1.changes.0.mine.score"),
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_bad_answers_item_is_422_and_the_others_are_stored(app, client, auth, world, case):
    """[good, bad, good]: the bad one is refused at its field, both good ones stored."""
    make, field = BAD_ANSWERS[case]
    auth.login("member_a")
    first, last = good_pair(world)
    bad = make(world)
    batch = [first, bad, last]
    response = send(client, batch)
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["status"] for r in results] == ["ok", "error", "ok"]
    assert results[1]["status_code"] == 422 and results[1]["error"]["code"] == "invalid"
    assert results[1]["error"]["field"] == field
    assert field in [d["field"] for d in results[1]["error"]["detail"]]
    assert "ไม่ถูกต้อง" in results[1]["error"]["message"]
    assert results[1]["client_id"] == bad["client_id"]
    assert notes(app) == STORED
    again = send(client, batch)
    assert again.status_code == 200 and again.json == response.json
    assert notes(app) == STORED


BAD_DECISIONS = {
    "seen_version_2_31": ({"seen_version": 2**31}, "items.1.seen_version"),
    "seen_version_2_63": ({"seen_version": 2**63}, "items.1.seen_version"),
    "seen_version_10_30": ({"seen_version": -10**30}, "items.1.seen_version"),
    "nul_in_comment": ({"comment": "\u0000"}, "items.1.comment"),
    "surrogate_in_comment": ({"comment": SURROGATE}, "items.1.comment"),
    "surrogate_in_comment_value": ({"comments": {"1.1": SURROGATE}},
                                   "items.1.comments.1.1.value"),
}


@pytest.mark.parametrize("case", sorted(BAD_DECISIONS))
def test_bad_decision_is_422_and_the_next_decision_applies(app, client, auth, world, case):
    """[bad decision, good decision]: the officer's approve still goes through."""
    assessment_id, version = submitted_assessment(app, world)
    extra, field = BAD_DECISIONS[case]
    auth.login("district_x")
    bad = decision(assessment_id, version, "return", **extra)
    bad.setdefault("seen_version", version)
    batch = [decision(str(uuid.uuid4()), 1), bad, decision(assessment_id, version)]
    response = send(client, batch)
    assert response.status_code == 200
    results = response.json["results"]
    assert results[0]["status_code"] == 404
    assert results[1]["status_code"] == 422 and results[1]["error"]["field"] == field
    assert results[2]["status"] == "ok" and results[2]["assessment"]["status"] == "approved"
    assert send(client, batch).json == response.json


@pytest.mark.parametrize("client_id", [None, 7, 2**70, [1], {"a": 1}, "\u0000",
                                       SURROGATE, "x" * 100, True])
def test_junk_client_id_still_gets_a_result(app, client, auth, world, client_id):
    """A junk client id is a 422 result (raw string or null), never an exception."""
    auth.login("member_a")
    first, last = good_pair(world)
    bad = item(world, client_id=client_id)
    response = send(client, [first, bad, last])
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["status"] for r in results] == ["ok", "error", "ok"]
    assert results[1]["error"]["field"] == "items.1.client_id"
    expected = client_id if isinstance(client_id, str) else None
    assert results[1]["client_id"] == expected
    assert len(notes(app)) == 2


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"items": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001,
    b'{"items": [' + b"[" * 5_000 + b"]" * 5_000 + b"]}",
    b'{"items": [',
    b"\xff\xfe\xfa",
    b'{"items": [{"round_id": NaN}]}',
    b'{"items": [{"round_id": ' + b"9" * 5_000 + b"}]}",
])
def test_unparsable_body_is_400_json(client, auth, world, body):
    """Deep nesting, broken JSON, bad bytes and NaN are a 400 naming the reason."""
    auth.login("member_a")
    response = client.post("/api/v1/sync", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["code"] == "invalid_json"
    assert response.json["reason"]
    assert "ไม่ถูกต้อง" in response.json["message"]


def test_deep_nesting_inside_an_item_is_refused_per_item(app, client, auth, world):
    """Nesting that JSON can parse but no field expects is a 422 for that item only."""
    auth.login("member_a")
    first, last = good_pair(world)
    nested = json.loads("[" * 500 + "]" * 500)
    bad = item(world, changes=[{"indicator": "1.2", "mine": nested, "base": nested}])
    results = send(client, [first, bad, last]).json["results"]
    assert [r["status"] for r in results] == ["ok", "error", "ok"]
    assert results[1]["error"]["field"].startswith("items.1.changes.0.")


def test_openapi_states_the_limits(client):
    """The spec names the 32-bit range of ids, versions and scores."""
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    for schema, name in [("AnswersItem", "round_id"), ("AnswersItem", "version"),
                         ("DecisionItem", "seen_version")]:
        prop = schemas[schema]["properties"][name]
        assert (prop["minimum"], prop["maximum"]) == (INT32_MIN, INT32_MAX)
    assert schemas["Change"]["properties"]["indicator"]["maxLength"] == 16


# -- A database error still gets the app's own error page ---------------------


@pytest.fixture
def unpropagated_app(database_url, _schema):
    """An app whose 500s reach the error handler, as in production."""
    app = make_app(database_url, PROPAGATE_EXCEPTIONS=False)
    yield app
    wipe(app)


def _invalid_sql(*args, **kwargs):
    """Commit (expiring the loaded user), then run SQL the database refuses."""
    db.session.commit()
    db.session.execute(text("SELECT * FROM no_such_table_for_this_test"))


def _failed_flush(*args, **kwargs):
    """Commit (expiring the loaded user), then flush a row the database refuses."""
    db.session.commit()
    db.session.add(SyncReceipt(client_id="x", user_id=None, item_type="x", status="x",
                               response={}))
    db.session.flush()


BREAKERS = {"invalid_sql": _invalid_sql, "failed_flush": _failed_flush}


@pytest.mark.parametrize("breaker", sorted(BREAKERS))
def test_database_error_in_the_api_answers_the_apps_500_json(unpropagated_app, world,
                                                            monkeypatch, breaker):
    """The sync API's own 500 JSON body, not a bare server page."""
    client = unpropagated_app.test_client()
    Auth(client).login("member_a")
    monkeypatch.setattr(syncing, "apply_batch", BREAKERS[breaker])
    response = send(client, [{}])
    assert response.status_code == 500
    assert response.json["code"] == 500
    assert "ระบบขัดข้อง" in response.json["message"]


@pytest.mark.parametrize("breaker", sorted(BREAKERS))
def test_database_error_on_a_page_renders_the_thai_500_page(unpropagated_app, world,
                                                           monkeypatch, breaker):
    """A page whose query fails shows the Thai error page, the person still logged in."""
    client = unpropagated_app.test_client()
    Auth(client).login("member_a")
    monkeypatch.setattr(assessing, "current_round", BREAKERS[breaker])
    response = client.get("/assessment/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "ระบบขัดข้อง" in page and "คุณ member_a" in page
    assert client.get("/api/v1/session").status_code == 200


# -- Property: junk between two good items ------------------------------------

JSON_SCALARS = (st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
                | st.integers(min_value=-2**80, max_value=2**80)
                | st.sampled_from([2**31, -2**31 - 1, 2**63, 10**30])
                | st.text(st.characters(codec=None, blacklist_categories=()), max_size=20))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.text(st.characters(codec=None, blacklist_categories=()), max_size=8),
        children, max_size=4),
    max_leaves=12)
JUNK_TEXT = st.text(st.characters(codec=None, blacklist_categories=()), max_size=20)


@st.composite
def junk_items(draw):
    """Return an item that is partly well formed and partly junk."""
    kind = draw(st.sampled_from(["assessment.save", "assessment.submit",
                                 "assessment.decide", "x"]))
    base = {"client_id": draw(st.uuids().map(str) | JSON_VALUES), "type": kind,
            "round_id": draw(st.just("ROUND") | JSON_VALUES),
            "subdistrict_code": draw(st.sampled_from(["520101", "520102"]) | JUNK_TEXT),
            "version": draw(st.integers(min_value=-2**70, max_value=2**70) | JSON_VALUES),
            "changes": draw(st.lists(st.fixed_dictionaries({
                "indicator": st.sampled_from(["1.1", "1.2"]) | JUNK_TEXT,
                "mine": st.fixed_dictionaries({
                    "score": st.integers(min_value=-2**70, max_value=2**70) | JSON_VALUES,
                    "note": JUNK_TEXT | JSON_VALUES}),
                "base": JSON_VALUES}) | JSON_VALUES, max_size=3)),
            "assessment_id": draw(st.none() | st.uuids().map(str) | JSON_VALUES),
            "decision": draw(st.sampled_from(["approve", "return"]) | JSON_VALUES),
            "seen_version": draw(JSON_VALUES),
            "comment": draw(JUNK_TEXT | JSON_VALUES),
            "comments": draw(JSON_VALUES)}
    keys = draw(st.sets(st.sampled_from(sorted(base))))
    junk = {key: value for key, value in base.items() if key not in keys}
    return draw(st.just(junk) | JSON_VALUES)


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(junk=st.lists(junk_items(), min_size=1, max_size=3))
def test_junk_never_blocks_the_good_items(app, client, auth, world, junk):
    """Any junk between two good items: 200, one result each, the good ones ok."""
    auth.login("member_a")
    for value in junk:
        if isinstance(value, dict) and value.get("round_id") == "ROUND":
            value["round_id"] = world["round"]
    first, last = good_pair(world)
    response = send(client, [first, *junk, last])
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    results = response.json["results"]
    assert len(results) == len(junk) + 2
    assert results[0]["status"] == "ok" and results[-1]["status"] == "ok"
    assert all(r["status_code"] < 500 for r in results)
    with app.app_context():
        for good in (first, last):
            assert db.session.get(SyncReceipt, good["client_id"]) is not None
        db.session.remove()
