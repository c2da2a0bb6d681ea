"""The sync API through the test client: auth, areas, idempotency, merge, decisions."""

import uuid

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from tests.conftest import PASSWORD, make_app
from tests.helpers import submitted_assessment
from korch_pwa.assessment.models import Answer, Assessment, AssessmentEvent
from korch_pwa.domain.framework import framework_for
from korch_pwa.extensions import db
from korch_pwa.sync_api.models import SyncReceipt

CODES = [i.code for i in framework_for(2570).indicators]


def change(code, score, base=None, note=""):
    """Return one change as the client sends it."""
    return {"indicator": code, "mine": {"score": score, "note": note},
            "base": {"score": base, "note": ""}}


def item(world, kind="assessment.save", code="520101", changes=None, **extra):
    """Return an answers item with a fresh client id."""
    body = {"client_id": str(uuid.uuid4()), "type": kind, "round_id": world["round"],
            "subdistrict_code": code, "version": 0,
            "changes": changes if changes is not None else [change("1.1", 2)]}
    body.update(extra)
    return body


def full(score=3):
    """Return changes answering every indicator."""
    return [change(code, score) for code in CODES]


def post(client, *items):
    """Send a batch and return the response."""
    return client.post("/api/v1/sync", json={"items": list(items)})


def count(app, model, *where):
    """Return how many rows of ``model`` match."""
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
        return n


def stored(app, code="520101"):
    """Return indicator -> score of the subdistrict's assessment."""
    with app.app_context():
        rows = db.session.execute(select(Answer.indicator_code, Answer.score).join(
            Assessment).where(Assessment.subdistrict_code == code)).all()
        db.session.remove()
        return dict(rows)


def stored_json(app, code="520101"):
    """Return indicator -> {score, note} as the API reports stored answers."""
    with app.app_context():
        rows = db.session.execute(select(Answer.indicator_code, Answer.score, Answer.note).join(
            Assessment).where(Assessment.subdistrict_code == code)).all()
        db.session.remove()
        return {c: {"score": score, "note": note or ""} for c, score, note in rows}


def test_session_is_401_json_when_logged_out(client, world):
    """The client learns it must log in again, and where."""
    response = client.get("/api/v1/session")
    assert response.status_code == 401
    assert response.json["code"] == "login_required"
    assert response.json["login_url"] == "/login"


def test_session_returns_user_and_token(client, auth, world):
    """A logged-in client gets who it is and a CSRF token, never cached."""
    auth.login("member_a")
    response = client.get("/api/v1/session")
    assert response.status_code == 200
    assert response.json["user"]["username"] == "member_a"
    assert response.json["user"]["scopes"] == ["520101"]
    assert response.json["csrf_token"]
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_redirect_to_login_but_api_answers_401(client, world):
    """The unauthorized handler knows pages from the API."""
    assert client.get("/assessment/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    assert client.post("/api/v1/sync", json={"items": []}).status_code == 401


def test_me_lists_own_subdistrict_pages(client, auth, world):
    """A member warms its own form, never another subdistrict's."""
    auth.login("member_a")
    urls = client.get("/api/v1/me").json["urls"]
    assert f"/assessment/520101/{world['round']}" in urls
    assert not any("520102" in u for u in urls)


def test_me_lists_submitted_assessments_for_the_district_officer(app, client, auth, world):
    """An officer warms the review pages of submitted assessments in the district."""
    auth.login("member_a")
    post(client, item(world, "assessment.submit", changes=full()))
    auth.logout()
    auth.login("district_x")
    urls = client.get("/api/v1/me").json["urls"]
    with app.app_context():
        assessment_id = db.session.scalar(select(Assessment.id))
    assert f"/review/{assessment_id}" in urls
    auth.logout()
    auth.login("district_y")
    assert f"/review/{assessment_id}" not in client.get("/api/v1/me").json["urls"]


def test_save_stores_answers_under_the_client_id(app, client, auth, world):
    """A new assessment takes the id the offline client chose."""
    auth.login("member_a")
    chosen = str(uuid.uuid4())
    body = item(world, changes=[change("1.1", 2), change("1.2", 1)], assessment_id=chosen)
    response = post(client, body)
    assert response.status_code == 200
    result = response.json["results"][0]
    assert result["status"] == "ok" and result["client_id"] == body["client_id"]
    assert result["assessment"]["id"] == chosen
    assert result["assessment"]["status"] == "draft"
    assert stored(app) == {"1.1": 2, "1.2": 1}


def test_same_batch_three_times_stores_once(app, client, auth, world):
    """Idempotent by client id: the same results, one submission."""
    auth.login("member_a")
    batch = [item(world, "assessment.submit", changes=full()),
             item(world, code="520102")]
    answers = [post(client, *batch).json for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["results"][0]["status"] == "ok"
    assert answers[0]["results"][0]["assessment"]["status"] == "submitted"
    assert count(app, AssessmentEvent, AssessmentEvent.action == "submit") == 1
    assert count(app, SyncReceipt) == 1  # the refused item leaves no receipt


def test_other_subdistrict_is_404_per_item_and_stores_nothing(app, client, auth, world):
    """A member of 520101 cannot write 520102; its own item still goes through."""
    auth.login("member_a")
    results = post(client, item(world, code="520102"), item(world)).json["results"]
    assert results[0]["status"] == "error"
    assert results[0]["status_code"] == 404
    assert results[0]["error"]["field"] == "items.0.subdistrict_code"
    assert results[1]["status"] == "ok"
    assert count(app, Assessment, Assessment.subdistrict_code == "520102") == 0
    assert stored(app) == {"1.1": 2}


def test_district_code_or_unknown_round_is_404(client, auth, world):
    """Only subdistricts and existing rounds can be assessed."""
    auth.login("tambon")
    results = post(client, item(world, code="520100"),
                   item(world, round_id=99999)).json["results"]
    assert [r["status_code"] for r in results] == [404, 404]
    assert results[1]["error"]["field"] == "items.1.round_id"


def test_officer_cannot_save_answers(client, auth, world):
    """A district officer has no right to edit: 403 per item."""
    auth.login("district_x")
    result = post(client, item(world)).json["results"][0]
    assert result["status_code"] == 403
    assert result["error"]["code"] == "forbidden"


def test_assessment_id_of_another_subdistrict_is_refused(app, client, auth, world):
    """A client cannot point an item at someone else's assessment."""
    auth.login("member_b")
    other = post(client, item(world, code="520102")).json["results"][0]["assessment"]["id"]
    auth.logout()
    auth.login("member_a")
    result = post(client, item(world, assessment_id=other)).json["results"][0]
    assert result["status_code"] == 404
    assert result["error"]["field"] == "items.0.assessment_id"
    assert stored(app) == {}


def test_invalid_item_names_field_and_reason(app, client, auth, world):
    """A wrongly typed score is reported at its exact path; others still apply."""
    auth.login("member_a")
    bad = item(world, changes=[change("1.1", 1), change("1.2", "three")])
    results = post(client, bad, item(world)).json["results"]
    assert results[0]["status"] == "error" and results[0]["status_code"] == 422
    assert results[0]["error"]["field"] == "items.0.changes.1.mine.score"
    assert results[0]["error"]["detail"] == [
        {"field": "items.0.changes.1.mine.score", "reason": "Not a valid integer."}]
    assert "ไม่ถูกต้อง" in results[0]["error"]["message"]
    assert results[1]["status"] == "ok"


def test_missing_and_unknown_fields(client, auth, world):
    """Missing client id and an unknown type are named."""
    auth.login("member_a")
    results = post(client, {"type": "assessment.save"},
                   {"client_id": str(uuid.uuid4()), "type": "x"}).json["results"]
    assert results[0]["error"]["field"] == "items.0.client_id"
    assert results[1]["error"]["field"] == "items.1.type"


def test_score_outside_the_rubric_is_422_at_its_change(app, client, auth, world):
    """The service's check is mapped back to the change the client sent."""
    auth.login("member_a")
    result = post(client, item(world, changes=[change("1.1", 1), change("1.2", 7)])
                  ).json["results"][0]
    assert result["status_code"] == 422
    assert result["error"]["code"] == "invalid_score"
    assert result["error"]["field"] == "items.0.changes.1.mine.score"
    assert stored(app) == {}


def test_incomplete_submit_keeps_the_answers_as_a_draft(app, client, auth, world):
    """Submit needs every indicator: the answers are saved, only the sending is refused."""
    auth.login("member_a")
    batch = [item(world, changes=[change("1.1", 2)]),
             item(world, "assessment.submit", changes=full(2)[1:21]),
             item(world, changes=[change("5.3", 1)])]
    first = post(client, *batch).json
    before, result, after = first["results"]
    assert before["status"] == after["status"] == "ok"
    assert result["client_id"] == batch[1]["client_id"]
    assert result["status"] == "error" and result["status_code"] == 422
    assert result["error"]["code"] == "incomplete"
    assert result["error"]["field"] == "items.1.answers"
    assert result["error"]["detail"] == ["5.3", "5.4"]
    assert "ร่าง" in result["error"]["message"] and "5.3, 5.4" in result["error"]["message"]
    assert result["assessment"]["status"] == "draft"
    assert result["assessment"]["answers"] == {c: {"score": 2, "note": ""} for c in CODES[:21]}
    assert stored(app) == {**{c: 2 for c in CODES[:21]}, "5.3": 1}
    assert count(app, Assessment, Assessment.status == "draft") == 1
    assert count(app, AssessmentEvent, AssessmentEvent.action == "submit") == 0
    assert post(client, *batch).json == first
    assert count(app, SyncReceipt) == 3
    assert len(stored(app)) == 22


def test_ok_result_carries_every_stored_answer(app, client, auth, world):
    """The phone's new base is the server's whole state, not only its own changes."""
    auth.login("member_a2")
    post(client, item(world, changes=[change("1.1", 3, note="มีคำสั่งแต่งตั้ง")]))
    auth.logout()
    auth.login("member_a")
    body = item(world, changes=[change("1.2", 1)])
    result = post(client, body).json["results"][0]
    assert result["status"] == "ok"
    assert result["assessment"]["answers"] == stored_json(app) == {
        "1.1": {"score": 3, "note": "มีคำสั่งแต่งตั้ง"}, "1.2": {"score": 1, "note": ""}}
    assert result["assessment"]["version"] == 3
    assert post(client, body).json["results"][0] == result


@pytest.mark.parametrize("body", [None, {}, {"items": []}, {"items": "x"}, {"items": [1] * 201}])
def test_bad_body_is_422_naming_the_field(client, auth, world, body):
    """Anything but a list of item objects is refused as a whole."""
    auth.login("member_a")
    response = client.post("/api/v1/sync", json=body)
    assert response.status_code == 422
    assert response.json["field"].startswith("items")
    assert response.json["reason"] and response.json["errors"][0]["reason"]
    assert "ไม่ถูกต้อง" in response.json["message"]


def test_item_that_is_not_an_object_is_refused_alone(app, client, auth, world):
    """[good, 1, good]: the non-object is a 422 result; it does not block the others."""
    auth.login("member_a")
    results = post(client, item(world), 1, item(world, changes=[change("1.2", 1)])
                   ).json["results"]
    assert [r["status"] for r in results] == ["ok", "error", "ok"]
    assert results[1] == {"client_id": None, "status": "error", "status_code": 422,
                          "error": {"code": "invalid", "field": "items.1",
                                    "message": results[1]["error"]["message"],
                                    "detail": [{"field": "items.1",
                                                "reason": "Not an object."}]}}
    assert stored(app) == {"1.1": 2, "1.2": 1}


def test_two_offline_editors_merge_and_clash(app, client, auth, world):
    """Non-clashing answers merge; the clash comes back with base, mine and theirs."""
    auth.login("member_a")
    post(client, item(world, changes=[change("1.1", 3), change("1.2", 2)]))
    auth.logout()
    auth.login("member_a2")
    result = post(client, item(world, changes=[change("1.1", 1), change("1.3", 2)])
                  ).json["results"][0]
    assert result["status"] == "conflict" and result["status_code"] == 409
    assert result["conflicts"] == [{"indicator": "1.1", "base": {"score": None, "note": ""},
                                    "mine": {"score": 1, "note": ""},
                                    "theirs": {"score": 3, "note": ""}}]
    assert stored(app) == {"1.1": 3, "1.2": 2, "1.3": 2}
    assert result["assessment"]["answers"] == stored_json(app)
    assert result["assessment"]["answers"]["1.1"] == {"score": 3, "note": ""}
    resolved = post(client, item(world, changes=[change("1.1", 1, base=3)])).json
    assert resolved["results"][0]["status"] == "ok"
    assert stored(app)["1.1"] == 1


def test_submit_with_a_clash_is_not_submitted(app, client, auth, world):
    """A person must choose before the district sees it."""
    auth.login("member_a")
    post(client, item(world, changes=[change("1.1", 3)]))
    auth.logout()
    auth.login("member_a2")
    result = post(client, item(world, "assessment.submit", changes=full(1))).json["results"][0]
    assert result["status"] == "conflict"
    assert result["assessment"]["status"] == "draft"


def decision(assessment_id, seen, kind="approve", **extra):
    """Return a decision item."""
    body = {"client_id": str(uuid.uuid4()), "type": "assessment.decide",
            "assessment_id": assessment_id, "decision": kind, "seen_version": seen}
    body.update(extra)
    return body


def test_officer_decision_about_the_seen_version(app, client, auth, world):
    """Approve with the version seen: approved once."""
    assessment_id, version = submitted_assessment(app, world)
    auth.login("district_x")
    result = post(client, decision(assessment_id, version)).json["results"][0]
    assert result["status"] == "ok"
    assert result["assessment"]["status"] == "approved"


def test_decision_about_an_older_version_is_refused(app, client, auth, world):
    """The officer did not see the current version: refused with the message."""
    assessment_id, version = submitted_assessment(app, world)
    auth.login("district_x")
    result = post(client, decision(assessment_id, version - 1)).json["results"][0]
    assert result["status"] == "error" and result["status_code"] == 409
    assert result["error"]["code"] == "stale_version"
    assert "เปิดดูฉบับล่าสุด" in result["error"]["message"]
    assert result["error"]["field"] == "items.0.version"
    assert count(app, Assessment, Assessment.status == "submitted") == 1


def test_return_needs_a_reason_and_keeps_comments(app, client, auth, world):
    """A return without comments is 422; with a comment per indicator it is stored."""
    assessment_id, version = submitted_assessment(app, world)
    auth.login("district_x")
    empty = post(client, decision(assessment_id, version, "return")).json["results"][0]
    assert empty["status_code"] == 422 and empty["error"]["code"] == "return_reason"
    done = post(client, decision(assessment_id, version, "return",
                                 comments={"1.1": "แนบรายงานการประชุม"})).json["results"][0]
    assert done["assessment"]["status"] == "returned"


def test_decisions_outside_role_or_area(app, client, auth, world):
    """A member may not decide (403); another district's officer gets 404."""
    assessment_id, version = submitted_assessment(app, world)
    auth.login("member_a")
    assert post(client, decision(assessment_id, version)).json["results"][0][
        "status_code"] == 403
    auth.logout()
    auth.login("district_y")
    result = post(client, decision(assessment_id, version)).json["results"][0]
    assert result["status_code"] == 404
    assert count(app, Assessment, Assessment.status == "approved") == 0


def test_client_id_of_another_user_is_not_replayed(client, auth, world):
    """One person's receipt is never shown to another."""
    auth.login("member_a")
    body = item(world)
    post(client, body)
    auth.logout()
    auth.login("member_a2")
    result = post(client, body).json["results"][0]
    assert result["status_code"] == 409 and result["error"]["code"] == "duplicate_id"


@pytest.fixture
def csrf_app(database_url, _schema):
    """An app with CSRF checks on, as in production."""
    from tests.conftest import wipe

    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    yield app
    wipe(app)


def test_csrf_header_is_required(csrf_app, world):
    """Without the token the API answers 400 JSON; with the fresh one it works."""
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    client.post("/login", data={"username": "member_a", "password": PASSWORD,
                                "csrf_token": token})
    body = {"items": [item(world)]}
    refused = client.post("/api/v1/sync", json=body)
    assert refused.status_code == 400
    assert refused.json["code"] == "csrf" and refused.json["field"] == "X-CSRFToken"
    fresh = client.get("/api/v1/session").json["csrf_token"]
    accepted = client.post("/api/v1/sync", json=body, headers={"X-CSRFToken": fresh})
    assert accepted.status_code == 200
    assert accepted.json["results"][0]["status"] == "ok"


def test_openapi_is_valid_and_lists_sync(client):
    """The description validates against OpenAPI 3 and documents the sync POST."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    validate(spec)
    assert "post" in spec["paths"]["/api/v1/sync"]
    assert {"AnswersItem", "DecisionItem"} <= set(spec["components"]["schemas"])
    schemas = spec["components"]["schemas"]
    answers = schemas["AssessmentState"]["properties"]["answers"]
    assert answers["type"] == "object"
    assert answers["additionalProperties"] == {"$ref": "#/components/schemas/Answer"}
    assert schemas["Answer"]["properties"]["score"] == {
        "type": "integer", "nullable": True, "default": None,
        "minimum": -2**31, "maximum": 2**31 - 1}
    assert schemas["Answer"]["properties"]["note"]["type"] == "string"
