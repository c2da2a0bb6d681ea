"""The Web Push API: the server's key, and a browser's subscription stored or forgotten."""

from flask import Blueprint, current_app, jsonify
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy import delete, update

from ..extensions import db
from ..inserts import insert_ignore
from ..sync_api.views import BadJSON, bad_json, csrf_failed, invalid_body, read_json
from .models import PushSubscription
from .push_schemas import PushEndpointSchema, PushSubscriptionSchema

bp = Blueprint("push_api", __name__, url_prefix="/api/v1/push")
bp.register_error_handler(CSRFError, csrf_failed)

SUBSCRIPTION = PushSubscriptionSchema()
ENDPOINT = PushEndpointSchema()
SUBSCRIPTIONS = PushSubscription.__table__

def _body(schema):
    """Return the request's JSON loaded by ``schema``, or the error response to send."""
    try:
        body = read_json()
    except BadJSON as exc:
        return None, bad_json(exc)
    try:
        return schema.load(body if isinstance(body, dict) else {}), None
    except ValidationError as exc:
        return None, invalid_body(exc)


def _no_store(response, status=200):
    response.headers["Cache-Control"] = "no-store"
    return response, status


@bp.route("/key")
@login_required
def key():
    """Return the server's VAPID public key.

    ---
    get:
      summary: The key a browser subscribes with (applicationServerKey)
      responses:
        200:
          description: The key; empty when the server does not send Web Push
          headers:
            Cache-Control: NoStore
          content:
            application/json:
              schema: PushKeySchema
        401: NotLoggedIn
        500: ServerFailed
    """
    return _no_store(jsonify(public_key=current_app.config.get("VAPID_PUBLIC_KEY") or ""))


@bp.route("/subscriptions", methods=["POST"])
@login_required
def subscribe():
    """Store this browser's subscription for the logged-in person.

    ---
    post:
      summary: Receive notifications on this device
      description: >
        The body is the browser's PushSubscription.toJSON(). Only the
        browsers' own push services are taken as endpoints. A subscription
        already stored (a shared phone) moves to the person now logged in.
        Send the CSRF token of GET /api/v1/session in the X-CSRFToken header.
      requestBody:
        required: true
        content:
          application/json:
            schema: PushSubscriptionSchema
            example:
              endpoint: https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b
              keys:
                p256dh: BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U
                auth: tBHItJI5svbpez7KI4CCXg
      responses:
        201:
          description: Stored
          headers:
            Cache-Control: NoStore
          content:
            application/json:
              schema: PushStoredSchema
        400:
          description: Missing or stale CSRF token, or a body that is not JSON
          content:
            application/json:
              schema: ErrorSchema
        401: NotLoggedIn
        422:
          description: The body does not fit the schema
          content:
            application/json:
              schema: ErrorSchema
        500: ServerFailed
    """
    data, refused = _body(SUBSCRIPTION)
    if refused:
        return refused
    values = {"user_id": current_user.id, "p256dh": data["keys"]["p256dh"],
              "auth": data["keys"]["auth"]}
    connection = db.session.connection()
    if not insert_ignore(connection, SUBSCRIPTIONS, {"endpoint": data["endpoint"], **values}):
        connection.execute(update(SUBSCRIPTIONS).where(
            SUBSCRIPTIONS.c.endpoint == data["endpoint"]).values(**values))
    db.session.commit()
    return _no_store(jsonify(count=1), 201)


@bp.route("/subscriptions", methods=["DELETE"])
@login_required
def unsubscribe():
    """Forget one of the person's subscriptions.

    ---
    delete:
      summary: Stop notifications on this device
      description: >
        Only the person's own subscription is removed; another's endpoint
        removes nothing. Send the CSRF token of GET /api/v1/session in the
        X-CSRFToken header.
      requestBody:
        required: true
        content:
          application/json:
            schema: PushEndpointSchema
      responses:
        200:
          description: How many were removed (0 or 1)
          headers:
            Cache-Control: NoStore
          content:
            application/json:
              schema: PushStoredSchema
        400:
          description: Missing or stale CSRF token, or a body that is not JSON
          content:
            application/json:
              schema: ErrorSchema
        401: NotLoggedIn
        422:
          description: The body does not fit the schema
          content:
            application/json:
              schema: ErrorSchema
        500: ServerFailed
    """
    data, refused = _body(ENDPOINT)
    if refused:
        return refused
    removed = db.session.execute(delete(SUBSCRIPTIONS).where(
        SUBSCRIPTIONS.c.endpoint == data["endpoint"],
        SUBSCRIPTIONS.c.user_id == current_user.id)).rowcount
    db.session.commit()
    return _no_store(jsonify(count=removed))
