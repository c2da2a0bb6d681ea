"""Checks by role and by area that every view calls."""

import re
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

# Province 2, district 4, subdistrict 6 ASCII digits: anything else names no
# area, and must not reach a query (PostgreSQL refuses NUL in text).
AREA_CODE = re.compile(r"[0-9]{2}(?:[0-9]{2}){0,2}")


def permission_required(permission):
    """Decorate a view so that only logged-in holders of ``permission`` pass."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def covers_area(area_code):
    """Return True when ``area_code`` is an area code and the current user covers it."""
    return bool(area_code) and AREA_CODE.fullmatch(area_code) is not None \
        and current_user.covers(area_code)


def require_area(area_code):
    """Abort with 404 unless the current user covers ``area_code``.

    404 rather than 403 so that nobody learns which records exist elsewhere.
    """
    if not covers_area(area_code):
        abort(404)


def area_in_scope(area_code, levels=None):
    """Return the Area the current user covers, at one of ``levels``; else 404."""
    from .extensions import db
    from .org.models import Area

    require_area(area_code)
    area = db.session.get(Area, area_code)
    if area is None or (levels and area.level not in levels):
        abort(404)
    return area


def row_in_scope(model, key, area_of):
    """Return the ``model`` row with primary key ``key`` if the user covers its area; else 404.

    ``area_of`` gives the row's area code. Unknown and out-of-area rows look
    the same from outside.
    """
    from .extensions import db

    row = db.session.get(model, key)
    if row is None:
        abort(404)
    require_area(area_of(row))
    return row


def unauthorized():
    """Answer 401 JSON on the API (the client keeps its queue) and redirect pages."""
    from flask import jsonify, redirect, request, url_for
    from flask_babel import gettext as _

    if request.path.startswith("/api/"):
        return jsonify(code="login_required", message=_("กรุณาเข้าสู่ระบบอีกครั้ง"),
                       login_url=url_for("auth.login")), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
