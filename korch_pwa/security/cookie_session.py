"""Flask's signed-cookie session, without verifying the same cookie's signature again and again.

Flask builds a new serializer for every request and checks the cookie's
HMAC each time. Here the serializer is built once per set of keys, and a
cookie's signature is checked once per worker (``signatures``); its age is
checked on every request, and its payload decoded per request, so no two
requests share a session dict.
"""

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from .signatures import expired, verified


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
            payload, signed_at = verified(serializer, cookie)
            if expired(signed_at, app.permanent_session_lifetime.total_seconds()):
                return self.session_class()
            return self.session_class(serializer.load_payload(payload))
        except BadSignature:
            return self.session_class()
