"""The OpenAPI text is the truth: schemathesis against the app, all checks on.

Every operation of ``/api/v1/openapi.json`` is fuzzed in-process (WSGI, no
network) as each role that uses the API: a committee member (saves answers)
and a district officer (decides), with their real session cookie, and once
without logging in. Examples, coverage and fuzzing cases are generated from
the served spec, positive and negative; every response must match the spec
(status, content type, headers, body schema) and nothing may answer 5xx.
"""

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_schema_validator import OAS30WriteValidator, oas30_format_checker
from schemathesis.specs.openapi.checks import positive_data_acceptance

from korch_pwa.domain.framework import framework_for
from tests.conftest import Auth, make_app
from tests.helpers import examples

# Fuzzing cases per operation and role; the examples and coverage phases add
# their own (deterministic) cases on top. Raise it by hand for a deeper run.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", examples(100)))
ROLES = {"member": "member_a", "district_officer": "district_x"}


def _served_spec():
    """Return the spec exactly as the app serves it (it needs no database)."""
    app = make_app("sqlite://")
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json, app.config["SESSION_COOKIE_NAME"]


SPEC, COOKIE = _served_spec()
SYNC_EXAMPLES = SPEC["paths"]["/api/v1/sync"]["post"]["requestBody"]["content"][
    "application/json"]["examples"]


def _submit_the_decided_example(app, world):
    """Store, submitted, the assessment the spec's decision example approves.

    So the officer's examples case reaches a real decision, not a 404.
    """
    from korch_pwa.assessment import services
    from korch_pwa.assessment.models import Round
    from korch_pwa.auth.models import User
    from korch_pwa.domain.merge import EMPTY, Answer, Change
    from korch_pwa.extensions import db

    decision = SYNC_EXAMPLES["decide"]["value"]["items"][0]
    with app.app_context():
        changes = [Change(i.code, Answer(2, ""), EMPTY) for i in framework_for(2570).indicators]
        assessment, _ = services.record_answers(
            db.session.get(Round, world["round"]), "520101", changes,
            db.session.get(User, world["member_a"]), send=True,
            assessment_id=decision["assessment_id"])
        db.session.commit()
        assert (assessment.status, assessment.version) == ("submitted", decision["seen_version"])
        db.session.remove()


def _schema():
    """Load the served spec with every check, both generation modes and every phase
    a test function runs (stateful testing needs links, which the spec has none of)."""
    schema = schemathesis.openapi.from_dict(SPEC)
    schema.config.checks.update(included_check_names=["all"])
    schema.config.generation.update(modes=["positive", "negative"])
    schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
    return schema


SCHEMA = _schema()  # as a logged-in person
ANONYMOUS = _schema()  # with no credentials but what the cases themselves carry

# The examples and coverage cases are built when pytest collects the tests,
# before anyone has logged in: they carry this stand-in, which ``run`` swaps
# for the running test's real cookie.
LOGGED_IN = "logged-in"
# The session cookie of the person the running test logged in as.
SESSION = {"cookie": None}
# Cookies of earlier tests: a case reused by a later test gets its own.
ISSUED = set()


@SCHEMA.auth(refresh_interval=None)
class SessionCookie:
    """Send the logged-in person's session cookie as the spec's security scheme."""

    def get(self, case, context):
        """Return the running test's cookie (the stand-in while collecting)."""
        return SESSION["cookie"] or LOGGED_IN

    def set(self, case, data, context):
        """Put the cookie where the spec says it goes."""
        case.cookies = {**(case.cookies or {}), COOKIE: data}


FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])


@pytest.fixture
def logged_in(request, app, world):
    """Log the test's role in and yield (app, role, cases sent); check some were sent."""
    role = request.param
    SESSION["cookie"] = None
    if role == "district_officer":
        _submit_the_decided_example(app, world)
    if role != "anonymous":
        client = app.test_client()
        response = Auth(client).login(ROLES[role])
        assert response.status_code in (302, 303), response.status_code
        SESSION["cookie"] = client.get_cookie(COOKIE).value
    sent = Counter()
    yield app, role, sent
    SESSION["cookie"] = None
    authenticated = sent.pop("authenticated", 0)
    print(f"\n{role}: {sum(sent.values())} cases ({authenticated} with the cookie): "
          f"{dict(sorted(sent.items()))}")
    assert sum(sent.values()) > 0, f"no case generated as {role}"
    if role != "anonymous":
        assert authenticated > 0, f"no case sent with {role}'s cookie"


def run(case, logged_in):
    """Send one case to the app and run every check on its answer."""
    app, _, sent = logged_in
    cookies = case.cookies if isinstance(case.cookies, dict) else {}
    if cookies.get(COOKIE) in (LOGGED_IN, *ISSUED) and SESSION["cookie"]:
        cookies[COOKIE] = SESSION["cookie"]
        ISSUED.add(SESSION["cookie"])
    if SESSION["cookie"] and cookies.get(COOKIE) == SESSION["cookie"]:
        sent["authenticated"] += 1
    meta = case.meta
    sent[f"{meta.phase.name.value}/{meta.generation.mode.value}" if meta else "explicit"] += 1
    # The spec came from a dict; the checks' own probes (a request without the
    # cookie, with a junk one...) go where the operation's schema says.
    case.operation.schema.app = case.operation.app = app
    # Werkzeug's client, unlike an HTTP client, does not undo gzip or br.
    upload = case.operation.label == UPLOAD
    case.call_and_validate(
        app=app, headers={"Accept-Encoding": "identity"},
        additional_checks=[items_are_refused_only_as_the_spec_says,
                           uploads_are_refused_only_for_their_bytes],
        excluded_checks=[positive_data_acceptance] if upload else None)


UPLOAD = "PUT /api/v1/evidence/{code}/{sha256}"
# Why an upload the spec accepts may still be refused: its bytes, which no
# schema can describe (the hash, the type inside, where a chunk ends).
REFUSED_BYTES = {"hash_mismatch", "evidence_type", "file_broken", "image_too_large",
                 "beyond_length", "file_empty", "chunk_too_large"}


def uploads_are_refused_only_for_their_bytes(ctx, response, case):
    """Stands in for positive_data_acceptance on uploads: a 413 or 422 to a request
    the spec accepts must be about the bytes sent, never about the parameters."""
    if case.operation.label != UPLOAD or response.request.method != "PUT" \
            or response.status_code not in (413, 422):
        return None
    if response.json().get("code") not in REFUSED_BYTES and _upload_spec_accepts(case):
        raise AssertionError(f"the spec accepts this upload, the server refused it: "
                             f"{response.json()}")
    return None


def _upload_spec_accepts(case):
    """Return True when the case's query is one the spec accepts."""
    query = case.query or {}
    params = {p["name"]: p["schema"] for p in SPEC["paths"][
        "/api/v1/evidence/{code}/{sha256}"]["put"]["parameters"] if p["in"] == "query"}
    for name, schema in params.items():
        try:
            value = int(str(query.get(name)))
        except ValueError:
            return False
        if not schema["minimum"] <= value <= schema["maximum"]:
            return False
    return True


def _item_validator(name):
    """Return a validator of one item against the spec's own schema ``name``."""
    return OAS30WriteValidator({"$ref": f"#/components/schemas/{name}",
                                "components": SPEC["components"]},
                               format_checker=oas30_format_checker)


ITEM_SCHEMAS = [_item_validator(name) for name in ("AnswersItem", "DecisionItem",
                                                   "AttachItem", "RemoveItem")]
INDICATOR_MAX = SPEC["components"]["schemas"]["Change"]["properties"]["indicator"]["maxLength"]


def _spec_accepts(item):
    """Return True when one of the spec's item schemas accepts ``item``.

    OpenAPI 3.0 cannot constrain an object's keys, so the keys of comments
    are held to what its description says: indicator codes, no NUL.
    """
    if not any(v.is_valid(item) for v in ITEM_SCHEMAS):
        return False
    comments = item.get("comments") if item.get("type") == "assessment.decide" else None
    return all(len(k) <= INDICATOR_MAX and "\x00" not in k for k in comments or {})


def items_are_refused_only_as_the_spec_says(ctx, response, case):
    """A sync item the spec's item schemas accept is never refused as invalid.

    The request schema lets an entry be anything (each entry is answered on
    its own), so schemathesis alone would not notice item schemas that
    promise more than the server takes.
    """
    if (case.operation.label != "POST /api/v1/sync" or response.request.method != "POST"
            or response.status_code != 200):
        return None  # also the checks' own OPTIONS and other-method probes
    results = response.json()["results"]
    for item, result in zip(case.body["items"], results, strict=True):
        error = result.get("error") or {}
        if error.get("code") == "invalid" and _spec_accepts(item):
            raise AssertionError(f"the spec accepts this item, the server refused it: "
                                 f"{error.get('detail')}")
    return None


@pytest.mark.parametrize("logged_in", ["member"], indirect=True)
@SCHEMA.parametrize()
@FUZZ
def test_api_as_a_committee_member(case, logged_in):
    """A member's every case conforms to the spec."""
    run(case, logged_in)


@pytest.mark.parametrize("logged_in", ["district_officer"], indirect=True)
@SCHEMA.parametrize()
@FUZZ
def test_api_as_a_district_officer(case, logged_in):
    """A district officer's every case conforms to the spec."""
    run(case, logged_in)


@pytest.mark.parametrize("logged_in", ["anonymous"], indirect=True)
@ANONYMOUS.parametrize()
@FUZZ
def test_api_without_logging_in(case, logged_in):
    """Without a session every case is refused as the spec says."""
    run(case, logged_in)


# -- What the issue named, each on its own -------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/session", "/api/v1/sync", "/offline"])
def test_405_names_the_allowed_methods(client, path):
    """A method the route lacks is a 405 with Allow (RFC 9110), on the API and on pages."""
    response = client.open(path, method="PUT")
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed & {"GET", "POST"} and "PUT" not in allowed
    if path.startswith("/api/"):
        assert response.json["code"] == 405


def test_spec_states_the_batch_and_error_shapes():
    """items holds 1 to MAX_ITEMS entries; every error field is listed; client_id may be null."""
    from korch_pwa.sync_api.schemas import MAX_ITEMS

    schemas = SPEC["components"]["schemas"]
    items = schemas["Batch"]["properties"]["items"]
    assert (items["minItems"], items["maxItems"]) == (1, MAX_ITEMS)
    assert schemas["Batch"]["required"] == ["items"]
    assert {"code", "message", "field", "reason", "errors", "login_url"} <= set(
        schemas["Error"]["properties"])
    assert {"code", "message", "field", "detail"} <= set(schemas["ItemError"]["properties"])
    assert schemas["Result"]["properties"]["client_id"]["nullable"] is True
    assert SPEC["security"] == [{"session": []}]
    assert SPEC["components"]["securitySchemes"]["session"]["name"] == COOKIE
