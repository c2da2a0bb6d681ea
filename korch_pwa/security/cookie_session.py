"""Flask's signed-cookie session, without verifying the same cookie's signature again and again.

A phone's outbox sends its items with the same session cookie request
after request. Flask builds a new serializer for every request and checks
the cookie's HMAC each time (2% of a sync's server time). Here the
serializer is built once per set of keys, and a cookie whose signature was
verified is remembered (the exact string, with when it was signed), so
the next request with it checks only its age. A cookie never seen, altered
or signed with another key is verified in full, as before; the payload is
still decoded per request, so no request shares another's session dict.
"""

from datetime import datetime, timezone
from functools import lru_cache

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

# Cookies remembered per worker: about as many as people syncing through it at once.
VERIFIED_COOKIES = 2048


@lru_cache(maxsize=VERIFIED_COOKIES)
def _verified(serializer, cookie):
    """Return (payload, signed_at) of a cookie whose signature is good; raise BadSignature.

    A bad signature raises, and exceptions are not cached: every try at a
    forged cookie is checked in full.
    """
    error = None
    for signer in serializer.iter_unsigners():
        try:
            return signer.unsign(cookie, return_timestamp=True)
        except BadSignature as exc:
            error = exc
    raise error


class SignedCookieSessions(SecureCookieSessionInterface):
    """SecureCookieSessionInterface with one serializer per keys and remembered signatures."""

    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if serializer is None:  # no secret key: no session
                return None
            self._serializers = {keys: serializer}  # a new key replaces the old one
        return serializer

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        try:
            payload, signed_at = _verified(serializer, cookie)
            age = (datetime.now(timezone.utc) - signed_at).total_seconds()
            # As itsdangerous's max_age: too old, or signed in the future.
            if age < 0 or age > app.permanent_session_lifetime.total_seconds():
                return self.session_class()
            return self.session_class(serializer.load_payload(payload))
        except BadSignature:
            return self.session_class()
