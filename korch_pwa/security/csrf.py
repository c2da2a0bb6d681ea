"""CSRF protection that finds a JSON request's token in its header without parsing a form.

Flask-WTF looks for the token in ``request.form`` first, which makes
Werkzeug set up a form parser for every POST, JSON bodies included (2% of
a sync's server time). Only the two form encodings can carry the form
field, so any other body goes straight to the headers; what is checked and
how is Flask-WTF's.
"""

from flask import current_app, request
from flask_wtf import CSRFProtect

# What Werkzeug parses into ``request.form``; no other body has a form field.
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


class HeaderFirstCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRFProtect, reading a non-form request's token from its headers only."""

    def _get_csrf_token(self):
        if request.mimetype in FORM_MIMETYPES:
            return super()._get_csrf_token()
        for header_name in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header_name)
            if token:
                return token
        return None
