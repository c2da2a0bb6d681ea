"""The login throttle over the configured store: Redis, or the app's database."""

from flask import current_app
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
