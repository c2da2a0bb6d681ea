"""The JSON API: session, pages to keep offline, sync and its OpenAPI text."""

import json

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, generate_csrf
from marshmallow import ValidationError
from sqlalchemy import select

from .. import clock
from ..assessment import services as assessing
from ..assessment.models import Assessment
from ..auth.claims import claims_accepted
from ..domain.roles import Permission
from ..domain.sync import flatten_errors
from ..domain.workflow import Status
from ..extensions import db
from ..operations.metrics import count_sync_items
from ..org.services import subdistricts_under
from . import services
from .schemas import ITEM_TYPES, BatchSchema

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Built once: a schema object is reusable, and building one costs more than
# checking a batch's envelope with it.
BATCH = BatchSchema()
# A phone warms at most this many pages, so an officer of a whole province
# does not download thousands of them.
MAX_WARM = 40


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    """Answer a missing or stale CSRF token with a JSON body the client reads."""
    return jsonify(code="csrf", field="X-CSRFToken",
                   message=_("หน้านี้หมดอายุ กรุณาลองส่งอีกครั้ง")), 400


def user_json(user):
    """Return what the client needs to know about the logged-in person."""
    return {"id": user.id, "username": user.username, "full_name": user.full_name,
            "role": user.role, "scopes": user.scope_codes,
            "can_edit": user.can(Permission.EDIT_ASSESSMENT),
            "can_decide": user.can(Permission.DECIDE_ASSESSMENT)}


class BadJSON(Exception):
    """A request body that cannot be parsed as JSON; ``reason`` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _refuse_constant(name):
    """Refuse NaN and Infinity, which Python accepts but JSON does not have."""
    raise ValueError(f"{name} is not valid JSON")


def read_json():
    """Return the parsed JSON body, None if the body is not sent as JSON.

    Parsed here rather than with ``request.get_json(silent=True)``, which
    quietly turns broken JSON into None and lets a deeply nested body raise
    RecursionError (a 500). Every parsing failure is a BadJSON instead.
    """
    if not request.is_json:
        return None
    # Kept (cached): a view run again with the person read afresh
    # (``claims.claims_accepted``) reads the same body again.
    data = request.get_data()
    if not data:
        return None
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except RecursionError:
        raise BadJSON("JSON nested too deeply") from None
    except ValueError as exc:  # also UnicodeDecodeError and too many digits
        raise BadJSON(f"Not valid JSON: {exc}"[:200]) from None


def bad_json(exc):
    """Return the 400 for a body that cannot be parsed as JSON (a BadJSON)."""
    return jsonify(code="invalid_json", field="body", reason=exc.reason,
                   message=services.invalid_message()), 400


def invalid_body(exc):
    """Return the 422 for a body that does not fit its schema (a ValidationError)."""
    errors = flatten_errors(exc.messages)
    return jsonify(code="invalid", field=errors[0]["field"], reason=errors[0]["reason"],
                   message=services.invalid_message(), errors=errors), 422


@bp.route("/session")
@login_required
def session_info():
    """Return the logged-in person and a fresh CSRF token.

    ---
    get:
      summary: Who is logged in, and a CSRF token for the next POST
      responses:
        200:
          description: The user and a fresh CSRF token
          headers:
            Cache-Control: NoStore
          content:
            application/json:
              schema: SessionSchema
        401: NotLoggedIn
        500: ServerFailed
    """
    response = jsonify(user=user_json(current_user), csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


def warm_urls(user):
    """Return the pages of the person's own areas that a phone keeps offline."""
    urls = []
    rnd = assessing.current_round(clock.today())
    if rnd is None:
        return urls
    codes = []
    for scope in user.scope_codes:
        codes.extend(a.code for a in subdistricts_under(scope))
    if user.can(Permission.EDIT_ASSESSMENT):
        urls += [url_for("assessment.form", code=c, round_id=rnd.id) for c in codes]
    if user.can(Permission.DECIDE_ASSESSMENT) and codes:
        urls.append(url_for("review.index"))
        found = db.session.scalars(select(Assessment.id).where(
            Assessment.round_id == rnd.id, Assessment.subdistrict_code.in_(codes),
            Assessment.status == Status.SUBMITTED.value).order_by(Assessment.updated_at))
        urls += [url_for("review.detail", assessment_id=i) for i in found]
    return urls[:MAX_WARM]


@bp.route("/me")
@login_required
def me():
    """Return the person and the pages their phone should keep for offline use.

    ---
    get:
      summary: Pages of the person's own subdistricts to cache for offline use
      responses:
        200:
          description: The user and a list of same-site URLs
          headers:
            Cache-Control: NoStore
          content:
            application/json:
              schema: MeSchema
        401: NotLoggedIn
        500: ServerFailed
    """
    response = jsonify(user=user_json(current_user), urls=warm_urls(current_user))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sync", methods=["POST"])
@claims_accepted(Permission.VIEW_ASSESSMENT)
def sync():
    """Apply a whole outbox and answer item by item.

    ---
    post:
      summary: Send every queued item in one request
      description: >
        Items are applied one by one, each in its own savepoint of one
        transaction that is committed before the response is sent, and are
        idempotent by client_id. Every entry gets a result, in order: an entry
        that is not a valid answers or decision item, or that the person may
        not apply, is refused alone (its result says why) and the others are
        still stored. Send the CSRF token of GET /api/v1/session in the
        X-CSRFToken header.
      requestBody:
        required: true
        content:
          application/json:
            schema: BatchSchema
            examples:
              save:
                summary: A committee member's answers
                value:
                  items:
                    - client_id: 3f0c9a52-6d1e-4c1b-9a47-2a1f5b7e8d10
                      type: assessment.save
                      round_id: 1
                      subdistrict_code: "520101"
                      version: 0
                      changes:
                        - indicator: "1.1"
                          mine: {score: 2, note: ""}
                          base: {score: null, note: ""}
              decide:
                summary: A district officer's approval of the version they saw
                value:
                  items:
                    - client_id: 8b6f2d7e-1c3a-4e5f-9a0b-7c2d4e6f8a1b
                      type: assessment.decide
                      assessment_id: 5d1e7c2a-9b3f-4a6e-8c0d-2f4b6a8c0e1d
                      decision: approve
                      seen_version: 3
                      comment: ""
                      comments: {}
      responses:
        200:
          description: One result per item, in order
          headers:
            Cache-Control: NoStore
          content:
            application/json:
              schema: BatchResultSchema
        400:
          description: Missing or stale CSRF token (code csrf), or a body that is not JSON
            (code invalid_json)
          content:
            application/json:
              schema: ErrorSchema
        401: NotLoggedIn
        413:
          description: The body is larger than the server accepts
          content:
            application/json:
              schema: ErrorSchema
        422:
          description: The body is not a batch (not an object, other keys than items, or
            items not a list of minItems to maxItems entries); nothing is stored
          content:
            application/json:
              schema: ErrorSchema
        500: ServerFailed
    """
    try:
        body = read_json()
    except BadJSON as exc:
        return bad_json(exc)
    try:
        batch = BATCH.load(body if isinstance(body, dict) else {"items": None})
    except ValidationError as exc:
        return invalid_body(exc)
    results = services.apply_batch(batch["items"], current_user)
    count_sync_items(batch["items"], results, ITEM_TYPES)
    response = jsonify(results=results)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/openapi.json")
def openapi():
    """Return the OpenAPI description of this API."""
    from .openapi import spec_dict

    return jsonify(spec_dict())
