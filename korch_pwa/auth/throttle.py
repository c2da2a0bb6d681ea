"""The login throttle over the configured store: Redis, or the app's database."""

from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _
from limits.errors import StorageError
from limits.storage import storage_from_string

from ..extensions import db
from ..security.db_store import DatabaseStore
from ..security.login_throttle import LoginThrottle


def login_throttle():
    """Return the throttle for this request, or None when throttling is off.

    ``RATELIMIT_STORAGE_URI`` names a ``limits`` storage (``redis://...`` in
    production, shared by every host); empty means the app's database, which
    every worker shares too. The Redis connection pool is made once per
    process: it holds connections, not counts.
    """
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return None
    store = shared_store(current_app) or DatabaseStore(db.session)
    return LoginThrottle(store, config.get("LOGIN_LIMITS"))


def shared_store(app):
    """Return the ``limits`` storage RATELIMIT_STORAGE_URI names, or None for the database."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or ""
    if not uri:
        return None
    stores = app.extensions.setdefault("login_throttle_stores", {})
    if uri not in stores:
        stores[uri] = storage_from_string(uri, wrap_exceptions=True)
    return stores[uri]


@dataclass
class Refusal:
    """Why an attempt may not go on: the message, the HTTP status, seconds to wait."""

    message: str
    status: int
    retry_after: int


def count_attempt(username):
    """Count an attempt to log in (a password or a one-time code) as ``username``.

    Return (throttle, attempt, refusal): go on when ``refusal`` is None, and
    tell the throttle ``succeeded(attempt)`` when it worked. Without its store
    the throttle fails closed: a guesser would have no limit. People already
    logged in keep working; only new logins wait.
    """
    throttle = login_throttle()
    try:
        attempt = throttle.attempt(username, request.remote_addr) if throttle else None
    except StorageError:
        current_app.logger.exception("login throttle store unreachable")
        return throttle, None, Refusal(
            _("ระบบตรวจสอบการเข้าสู่ระบบขัดข้องชั่วคราว กรุณาลองใหม่ในอีกสักครู่"), 503, 30)
    if attempt is not None and not attempt.allowed:
        return throttle, attempt, Refusal(
            _("ลองเข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป กรุณารอประมาณ %(minutes)s นาทีแล้วลองใหม่",
              minutes=attempt.wait_minutes), 429, attempt.retry_after)
    return throttle, attempt, None
