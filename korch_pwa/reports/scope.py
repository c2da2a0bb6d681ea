"""Which area and fiscal year an officer's dashboard page is about, from the query string."""

from flask import abort, request
from flask_login import current_user

from .. import clock
from ..access import require_area
from ..assessment.services import current_round
from ..domain.framework import FrameworkError
from ..framework_versions.services import active_framework
from ..domain.roles import covers_country
from ..domain.thai_dates import fiscal_year
from ..extensions import db
from ..org.models import Area


def chosen_area():
    """Return the area code in ?area= if the person covers it, else their own.

    '' stands for the whole country (department and admin only).
    """
    code = request.args.get("area", "").strip()
    if code:
        require_area(code)
        if db.session.get(Area, code) is None:
            abort(404)
        return code
    scopes = current_user.scope_codes
    if scopes:
        return scopes[0]
    if not covers_country(current_user.role):
        abort(404)
    return ""


def check_year(year):
    """Abort with 404 for a fiscal year that no framework or calendar covers."""
    if not 2500 <= year <= 2700:
        abort(404)
    try:
        active_framework(year)
    except FrameworkError:
        abort(404)
    return year


def chosen_year():
    """Return the fiscal year in ?fy=, else the current round's (or today's)."""
    year = request.args.get("fy", type=int)
    if year:
        return check_year(year)
    rnd = current_round(clock.today())
    return rnd.fiscal_year if rnd else fiscal_year(clock.today())
