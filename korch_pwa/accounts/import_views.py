"""Officer accounts in bulk from a spreadsheet: every row checked, all or nothing."""

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..committees.forms import ImportForm
from ..spreadsheets import read_rows
from ..domain.file_types import looks_like_xlsx
from ..domain.officer_import import (area_codes_in, header_map, importable_roles,
                                     validate_officers)
from ..domain.register_import import cell_text
from ..errors import ServiceError
from ..extensions import db
from ..files.services import read_limited
from ..org.models import Area
from . import bulk, from_register
from .forms import ROLE_NAMES
from .officer_sheet import template_bytes
from .people_views import manage
from .slips import slips_response

bp = Blueprint("officer_import", __name__, url_prefix="/people/import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _roles():
    """Return the roles the officer may give by file; 403 for one who may give none."""
    roles = importable_roles(current_user.role)
    if not roles:
        abort(403)
    return roles


@bp.route("/template.xlsx")
@manage
def template():
    """Download the blank template, its role list cut to what the officer may give."""
    response = Response(template_bytes(_roles()), mimetype=XLSX)
    response.headers["Content-Disposition"] = (
        "attachment; filename=officers.xlsx; "
        f"filename*=UTF-8''{quote('แบบฟอร์มบัญชีเจ้าหน้าที่.xlsx')}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _column(header, rows, key):
    """Return the texts of column ``key`` (found by its header) in ``rows``."""
    index = header_map(header).get(key)
    if index is None:
        return []
    return [cell_text(row[index]) for row in rows if index < len(row)]


def check_file(data):
    """Read and check an uploaded officers' sheet; return the ImportResult."""
    if not looks_like_xlsx(data[:4]):
        raise ServiceError("not_xlsx", "file")
    header, rows = read_rows(data)
    # Every code and username of the file looked up in one query each.
    codes = {code for text in _column(header, rows, "areas") for code in area_codes_in(text)}
    known = set(db.session.scalars(select(Area.code).where(Area.code.in_(codes)))) \
        if codes else set()
    names = {text.lower() for text in _column(header, rows, "username") if text}
    taken = set(db.session.scalars(select(func.lower(User.username)).where(
        func.lower(User.username).in_(names)))) if names else set()
    return validate_officers(header, rows, actor_role=current_user.role,
                             actor_scopes=current_user.scope_codes, known=known, taken=taken,
                             names={str(label): role for role, label in ROLE_NAMES.items()})


def _page(form, result=None, status=200):
    """Render the import page."""
    return render_template("people/import.html", form=form, result=result,
                           roles=_roles()), status


@bp.route("", methods=["GET", "POST"])
@manage
def import_officers():
    """Make officer accounts from an XLSX file; answer their slips as a PDF."""
    _roles()
    form = ImportForm()
    form.file.label.text = _("ไฟล์รายชื่อเจ้าหน้าที่ (.xlsx)")
    if request.method == "GET":
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        result = check_file(read_limited(form.file.data))
    except ServiceError as exc:
        form.file.errors = [exc.message]
        return _page(form, status=exc.status)
    if not result.ok:
        flash(ServiceError("import_errors").message, "error")
        return _page(form, result, 422)
    try:
        slips = bulk.make_officers(current_user, result.orders)
    except IntegrityError:
        # A username of the file, or the next number, was taken a moment ago:
        # a second try numbers afresh, or lists the row whose username is gone.
        db.session.rollback()
        form.file.errors = [ServiceError("accounts_busy").message]
        return _page(form, status=409)
    response = slips_response(slips, from_register.area_labels(
        {s.area_code for s in slips}), "officers")
    db.session.commit()
    return response
