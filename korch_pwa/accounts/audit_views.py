"""The audit log and the PDPA export log, as officers read them for their area."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import or_, select

from ..committees.models import ExportLog
from ..domain.roles import covers_country
from ..extensions import db
from .audit import ACTIONS
from .models import AuditEvent
from .people_views import PAGE_SIZE, manage

bp = Blueprint("audit", __name__, url_prefix="/people/log")


def _in_area(column):
    """Return a WHERE clause: rows whose area lies in the reader's area (all for the country)."""
    if covers_country(current_user.role):
        return True
    return or_(*[column.startswith(code) for code in current_user.scope_codes]) \
        if current_user.scope_codes else False


@bp.route("")
@manage
def index():
    """Account changes and logins in the reader's area, newest first."""
    action = request.args.get("action", "")
    query = select(AuditEvent).where(_in_area(AuditEvent.area_code))
    if action in ACTIONS:
        query = query.where(AuditEvent.action == action)
    page = db.paginate(query.order_by(AuditEvent.id.desc()),
                       page=request.args.get("page", 1, type=int), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("people/log.html", page=page, action=action, actions=ACTIONS)


@bp.route("/exports")
@manage
def exports():
    """Who exported whose personal data (PDPA), in the reader's area."""
    page = db.paginate(select(ExportLog).where(_in_area(ExportLog.area_code))
                       .order_by(ExportLog.id.desc()),
                       page=request.args.get("page", 1, type=int), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("people/exports.html", page=page)
