"""Home (by role) and the about page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..domain.roles import Permission, Role

bp = Blueprint("org", __name__)


@bp.route("/")
@login_required
def home():
    """Send each person to where their work is."""
    if current_user.role == Role.MEMBER.value:
        return redirect(url_for("assessment.mine"))
    if current_user.can(Permission.DECIDE_ASSESSMENT) or current_user.can(
            Permission.VIEW_DASHBOARD):
        return redirect(url_for("review.index"))
    return redirect(url_for("assessment.mine"))


@bp.route("/about")
def about():
    """What the product is and where its data comes from."""
    import geothai

    from .. import clock
    from ..domain.thai_dates import fiscal_year
    from ..framework_versions.services import active_framework

    return render_template("org/about.html", geothai_version=geothai.DATA_VERSION,
                           framework=active_framework(fiscal_year(clock.today())))
