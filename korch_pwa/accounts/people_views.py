"""Officers manage the accounts of their area: list, create, change, stop, codes."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..access import AREA_CODE, permission_required
from ..auth.models import User, UserScope
from ..domain import account_codes, delegation
from ..domain.officer_import import importable_roles
from ..domain.roles import Permission, Role
from ..errors import ServiceError
from ..extensions import db
from ..org.models import Area
from ..org.services import areas_by_code
from . import services
from .forms import ROLE_NAMES, AccountForm
from .models import AuditEvent

bp = Blueprint("people", __name__, url_prefix="/people")
manage = permission_required(Permission.MANAGE_PEOPLE)
PAGE_SIZE = 50
STATES = ("active", "inactive", "never")
# The datalist of areas the form offers: enough for a province's every subdistrict.
AREA_OPTIONS_MAX = 1500


@bp.app_template_filter("role_name")
def role_name(role):
    """Template filter: a role's name in the reader's language."""
    return ROLE_NAMES.get(role, role)


def _filters():
    """Return the list's filters from the query string, each checked."""
    args = request.args
    role = args.get("role", "")
    area = args.get("area", "").strip()
    state = args.get("state", "")
    return {"q": args.get("q", "").strip()[:80],
            "role": role if role in ROLE_NAMES else "",
            "area": area if AREA_CODE.fullmatch(area) else "",
            "state": state if state in STATES else ""}


def _query(filters):
    """Return the SELECT of accounts the officer manages that match ``filters``."""
    query = select(User).where(services.managed_by(current_user)).order_by(User.username)
    if filters["q"]:
        needle = f"%{filters['q'].lower()}%"
        query = query.where(or_(func.lower(User.username).like(needle),
                                func.lower(User.full_name).like(needle)))
    if filters["role"]:
        query = query.where(User.role == filters["role"])
    if filters["area"]:
        query = query.where(User.scopes.any(UserScope.area_code.startswith(filters["area"])))
    if filters["state"] == "active":
        query = query.where(User.active.is_(True))
    elif filters["state"] == "inactive":
        query = query.where(User.active.is_(False))
    elif filters["state"] == "never":
        query = query.where(User.last_login_at.is_(None))
    return query


@bp.route("")
@manage
def index():
    """List the accounts the officer manages, with search and filters."""
    filters = _filters()
    page = db.paginate(_query(filters), page=request.args.get("page", 1, type=int),
                       per_page=PAGE_SIZE, error_out=False)
    areas = areas_by_code(code for user in page.items for code in user.scope_codes)
    return render_template("people/index.html", page=page, filters=filters, areas=areas,
                           roles=delegation.assignable_roles(current_user.role),
                           states=STATES, area_choices=_slip_areas(),
                           can_import=bool(importable_roles(current_user.role)))


def _slip_areas():
    """Return the provinces and districts whose members' accounts the officer may make at once.

    Districts too, each after its province: a big province has more members
    than one PDF of slips holds (SLIPS_MAX).
    """
    if Role.MEMBER not in delegation.assignable_roles(current_user.role):
        return []
    query = select(Area).where(Area.level.in_(("province", "district")))
    if not services.covers_country(current_user.role):
        query = query.where(or_(*[Area.code.startswith(code)
                                  for code in current_user.scope_codes]))
    return list(db.session.scalars(query.order_by(Area.code)))


def _area_options():
    """Return the areas the form's datalist offers: inside the officer's area, by level."""
    lengths = {delegation.scope_length(role)
               for role in delegation.assignable_roles(current_user.role)} - {None}
    query = select(Area).where(func.length(Area.code).in_(lengths))
    if current_user.scope_codes and not services.covers_country(current_user.role):
        query = query.where(or_(*[Area.code.startswith(code)
                                  for code in current_user.scope_codes]))
    return list(db.session.scalars(query.order_by(func.length(Area.code), Area.code)
                                   .limit(AREA_OPTIONS_MAX)))


def _form_page(form, user=None, status=200):
    return render_template("people/form.html", form=form, user=user,
                           area_options=_area_options()), status


@bp.route("/new", methods=["GET", "POST"])
@manage
def create():
    """Create an account and show its first one-time code."""
    form = AccountForm(delegation.assignable_roles(current_user.role))
    if not form.validate_on_submit():
        return _form_page(form, status=422 if form.errors else 200)
    try:
        user = services.create_account(current_user, form.full_name.data.strip(),
                                       (form.position.data or "").strip(), form.role.data,
                                       form.area_list,
                                       (form.username.data or "").strip().lower() or None)
        db.session.flush()
        code = services.issue_code(current_user, user, "activate")
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field or "areas").errors.append(error.message)
        return _form_page(form, status=error.status)
    db.session.commit()
    return _show_code(user, code, created=True)


def _account(user_id):
    """Return the account if the officer manages it; else 404 (not 403: nothing leaks)."""
    try:
        return services.managed_account(current_user, user_id)
    except ServiceError:
        abort(404)


@bp.route("/<int:user_id>")
@manage
def detail(user_id):
    """One account: role, areas, state, last login, its code and its history."""
    user = _account(user_id)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id)
                                .order_by(AuditEvent.id.desc()).limit(20)).unique().all()
    return render_template("people/detail.html", user=user, events=events,
                           areas=areas_by_code(user.scope_codes),
                           code=services.code_state(user))


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@manage
def edit(user_id):
    """Change an account's name, position, role and areas."""
    user = _account(user_id)
    form = AccountForm(delegation.assignable_roles(current_user.role), obj=user)
    del form.username
    if request.method == "GET":
        form.areas.data = " ".join(user.scope_codes)
    if not form.validate_on_submit():
        return _form_page(form, user, status=422 if form.errors else 200)
    try:
        changes = services.update_account(current_user, user, form.full_name.data.strip(),
                                          (form.position.data or "").strip(), form.role.data,
                                          form.area_list)
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field or "areas").errors.append(error.message)
        return _form_page(form, user, status=error.status)
    db.session.commit()
    flash(_("บันทึกการแก้ไขแล้ว") if changes else _("ไม่มีอะไรเปลี่ยน"), "info")
    return redirect(url_for("people.detail", user_id=user.id))


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@manage
def deactivate(user_id):
    """Stop an account: every session of the person ends at once."""
    return _set_active(user_id, False, _("ระงับบัญชีแล้ว ผู้ใช้ออกจากระบบทุกเครื่องทันที"))


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@manage
def reactivate(user_id):
    """Let a stopped account log in again."""
    return _set_active(user_id, True, _("เปิดใช้บัญชีอีกครั้งแล้ว"))


def _set_active(user_id, active, done_message):
    """Stop or restart the account; back to its page."""
    user = _account(user_id)
    if services.set_active(current_user, user, active):
        db.session.commit()
        flash(done_message, "info")
    return redirect(url_for("people.detail", user_id=user.id))


@bp.route("/<int:user_id>/code", methods=["POST"])
@manage
def issue_code(user_id):
    """Issue a new one-time code (first login or a forgotten password); the old one stops."""
    user = _account(user_id)
    if not user.active:
        flash(_("บัญชีนี้ถูกระงับ กรุณาเปิดใช้บัญชีก่อนออกรหัส"), "error")
        return redirect(url_for("people.detail", user_id=user.id))
    code = services.issue_code(current_user, user)
    db.session.commit()
    return _show_code(user, code)


def _show_code(user, code, created=False):
    """Redirect to the page that shows the code once (a reload posts nothing twice).

    The code rides in the officer's signed session to that one page view; the
    database keeps only its hash, so no later page can show it again.
    """
    session["shown_code"] = {"user": user.id, "code": code, "created": created}
    return redirect(url_for("people.code", user_id=user.id))


@bp.route("/<int:user_id>/code")
@manage
def code(user_id):
    """The code just issued, with what the person needs to type it; shown once."""
    user = _account(user_id)
    shown = session.pop("shown_code", None)
    if not shown or shown.get("user") != user.id:
        flash(_("รหัสครั้งเดียวแสดงได้ครั้งเดียวเท่านั้น หากผู้ใช้ยังไม่ได้รับ กรุณาออกรหัสใหม่"),
              "warning")
        return redirect(url_for("people.detail", user_id=user.id))
    response = render_template(
        "people/code.html", user=user, code=account_codes.display(shown["code"]),
        created=shown.get("created"), expires=services.code_state(user)[2],
        areas=areas_by_code(user.scope_codes), link=url_for("account.activate", _external=True))
    return response, 200, {"Cache-Control": "no-store"}
