"""Flask-WTF's CSRF protection, cheaper for the phone's JSON API and checked the same way.

Two costs of Flask-WTF's own ``protect`` on every POST, 5% of a sync's
server time together: it looks for the token in ``request.form`` first,
which sets up a form parser for JSON bodies too, and its ``validate_csrf``
builds a serializer and checks the token's HMAC each time, though a phone
sends the same token with every sync. Here only the two form encodings
are searched for the form field (no other body can carry it), and a
token's signature is checked once per worker (``signatures``). Every rule
is Flask-WTF's, with its messages: the token must be there, the session
must hold its secret, the token must be signed by the key, within
``WTF_CSRF_TIME_LIMIT``, for that secret; over HTTPS the referrer must be
this host.
"""

import hmac
import logging
from functools import lru_cache

from flask import current_app, g, request, session
from flask_wtf import CSRFProtect
from flask_wtf.csrf import same_origin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import ValidationError

from .signatures import expired, verified

logger = logging.getLogger(__name__)

# What Werkzeug parses into ``request.form``; no other body has a form field.
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


@lru_cache(maxsize=4)
def _serializer(secret_key):
    """Flask-WTF's token serializer for ``secret_key``, made once."""
    return URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token")


def check_token(data):
    """Raise ValidationError unless ``data`` is a good token for this session (Flask-WTF's rules)."""
    config = current_app.config
    secret_key = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    if not secret_key:
        raise RuntimeError("A secret key is required to use CSRF.")
    field_name = config["WTF_CSRF_FIELD_NAME"]
    if not data:
        raise ValidationError("The CSRF token is missing.")
    if field_name not in session:
        raise ValidationError("The CSRF session token is missing.")
    serializer = _serializer(secret_key)
    try:
        payload, signed_at = verified(serializer, data)
        token = serializer.load_payload(payload)
    except BadSignature as exc:
        raise ValidationError("The CSRF token is invalid.") from exc
    if expired(signed_at, config["WTF_CSRF_TIME_LIMIT"]):
        raise ValidationError("The CSRF token has expired.")
    if not isinstance(token, str) or not hmac.compare_digest(session[field_name], token):
        raise ValidationError("The CSRF tokens do not match.")


class HeaderFirstCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRFProtect: a non-form body's token read from the headers, signatures remembered."""

    def _get_csrf_token(self):
        if request.mimetype in FORM_MIMETYPES:
            return super()._get_csrf_token()
        for header_name in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header_name)
            if token:
                return token
        return None

    def protect(self, apply_exemptions=False):
        """Validate CSRF on the current request, as Flask-WTF's ``protect`` does."""
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        try:
            check_token(self._get_csrf_token())
        except ValidationError as exc:
            logger.info(exc.args[0])
            self._error_response(exc.args[0])
        if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True  # FlaskForm skips its own check
