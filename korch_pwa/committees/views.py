"""The committee register: committees, terms, members, meetings, ก.บ.ต., activities."""

from urllib.parse import quote

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import clock
from ..access import area_in_scope, permission_required
from ..domain.file_types import looks_like_xlsx
from ..domain.limits import parse_int32
from ..domain.officer_import import REASONS as OFFICER_REASONS
from ..domain.register import can_edit_register, format_phone, meetings_check
from ..domain.register_import import REASONS, cell_text, header_map, validate_rows
from ..domain.roles import Permission
from ..domain.thai_dates import fiscal_year
from ..errors import ServiceError
from ..extensions import db
from ..files.services import read_limited
from ..i18n import current_locale
from ..org.services import area_or_none, children
from . import services, spreadsheets
from .forms import (POSITIONS, TITLES, ActivityForm, ImportForm, KbtOrderForm, MeetingForm,
                    MemberForm, OrderForm)
from .models import KBT, KORCH, CommitteeMember, Meeting, StrongSubdistrictActivity

bp = Blueprint("register", __name__, url_prefix="/register")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEVEL_NAMES = {2: _l("ศอช.จ."), 4: _l("ศอช.อ."), 6: _l("ศอช.ต.")}


@bp.app_template_filter("committee_name")
def committee_name(area):
    """Template filter: 'ศอช.ต.เวียงเหนือ' for an area, in the reader's language."""
    return f"{LEVEL_NAMES[len(area.code)]}{area.name(current_locale())}"


@bp.app_template_filter("phone")
def phone_filter(digits):
    """Template filter: stored phone digits written with dashes."""
    return format_phone(digits or "")


@bp.app_template_filter("import_reason")
def import_reason(error):
    """Template filter: an import RowError's reason in the reader's language."""
    reasons = REASONS if error.code in REASONS else OFFICER_REASONS
    return _(reasons[error.code], **error.values)


def _fiscal_year():
    """Return the fiscal year asked for in ?fy=, else the current one."""
    return request.args.get("fy", type=int) or fiscal_year(clock.today())


def _area(code, subdistrict_only=False):
    """Return the area if it exists and the officer covers it; else 404."""
    return area_in_scope(code, ("subdistrict",) if subdistrict_only else None)


def editable(code):
    """Return True when the current officer may change ``code``'s register."""
    return can_edit_register(current_user.role, current_user.scope_codes, code)


def _editable_area(code, subdistrict_only=False):
    """Return the area for a change: 404 outside the officer's area, 403 at the wrong level."""
    area = _area(code, subdistrict_only)
    if not editable(code):
        abort(403)
    return area


def _in_scope(obj, committee_kind=KORCH):
    """Return ``obj`` (found by id) or 404, after the area and edit checks."""
    if obj is None:
        abort(404)
    committee = obj.order.committee if isinstance(obj, CommitteeMember) else obj.committee
    if committee.kind != committee_kind:
        abort(404)
    _editable_area(committee.area_code)
    return obj


def _listed_areas():
    """Return the areas the register list shows for ?area= or the officer's scope."""
    code = request.args.get("area", "")
    if code:
        _area(code)
        return code, services.register_areas(code)
    scopes = current_user.scope_codes
    if len(scopes) == 1:
        return scopes[0], services.register_areas(scopes[0])
    if scopes:
        return "", [a for a in (area_or_none(s) for s in scopes) if a]
    return "", children("")


@bp.route("/")
@permission_required(Permission.VIEW_REGISTER)
def index():
    """Committees of the officer's area with their order, members and meetings."""
    code, areas = _listed_areas()
    be_year = _fiscal_year()
    return render_template("committees/index.html", rows=services.register_rows(areas, be_year),
                           area=area_or_none(code) if code else None, be_year=be_year,
                           can_import=current_user.can(Permission.EDIT_REGISTER))


@bp.route("/<code>")
@permission_required(Permission.VIEW_REGISTER)
def committee(code):
    """One committee: its current order, members and this fiscal year's meetings."""
    area = _area(code)
    be_year = _fiscal_year()
    found = services.find_committee(code)
    meetings = [m for m in (found.meetings if found else [])
                if fiscal_year(m.held_on) == be_year]
    order = found and found.current_order
    if order and any(member.phone for member in order.members):
        services.log_view(current_user, code, "register_view")
        db.session.commit()
    return render_template("committees/committee.html", area=area, committee=found,
                           order=found and found.current_order, meetings=meetings,
                           check=meetings_check([m.held_on for m in meetings], be_year),
                           be_year=be_year, can_edit=editable(code))


@bp.route("/<code>/history")
@permission_required(Permission.VIEW_REGISTER)
def history(code):
    """Past terms of a committee, newest first."""
    area = _area(code)
    found = services.find_committee(code)
    orders = found.orders[1:] if found else []
    if any(member.phone for order in orders for member in order.members):
        services.log_view(current_user, code, "register_view")
        db.session.commit()
    return render_template("committees/history.html", area=area, orders=orders)


def _file_error(form, field_name, exc):
    """Put a refused upload's message under its field; return the status."""
    getattr(form, field_name).errors = list(getattr(form, field_name).errors) + [exc.message]
    db.session.rollback()
    return exc.status


@bp.route("/<code>/orders/new", methods=["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def new_order(code):
    """Record a new appointment order, i.e. a new term."""
    form = OrderForm()
    return _order_page(_editable_area(code), form, KORCH, _("บันทึกคำสั่งแต่งตั้งแล้ว"),
                       url_for(".committee", code=code), copy=form.copy_members.data)


def _order_page(area, form, kind, done_message, done_url, copy=False):
    """Show an order form and record the order (a new term) of ``kind``."""
    status = 200
    if form.validate_on_submit():
        try:
            services.record_order(services.committee_for(area.code, kind), form.values(),
                                  form.file.data, current_user, copy)
            db.session.commit()
            flash(done_message, "success")
            return redirect(done_url)
        except ServiceError as exc:
            status = _file_error(form, "file", exc)
    elif request.method == "POST":
        status = 422
    return render_template("committees/order_form.html", area=area, form=form,
                           kind=kind), status


def _member_page(area, form, member=None, status=200):
    """Render the member form."""
    return render_template("committees/member_form.html", area=area, form=form,
                           member=member, titles=TITLES, positions=POSITIONS), status


@bp.route("/<code>/members/new", methods=["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def new_member(code):
    """Add a member to the current term."""
    area = _editable_area(code)
    form = MemberForm()
    if not form.validate_on_submit():
        return _member_page(area, form, status=422 if request.method == "POST" else 200)
    try:
        services.add_member(services.find_committee(code), form.values())
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _member_page(area, form, status=exc.status)
    db.session.commit()
    flash(_("เพิ่มกรรมการแล้ว"), "success")
    return redirect(url_for(".committee", code=code))


@bp.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def edit_member(member_id):
    """Change a current-term member's details."""
    member = _in_scope(db.session.get(CommitteeMember, member_id))
    code = member.order.committee.area_code
    form = MemberForm(obj=member)
    if request.method == "GET":
        form.phone.data = format_phone(member.phone)
        return _member_page(member.order.committee.area, form, member)
    if not form.validate():
        return _member_page(member.order.committee.area, form, member, 422)
    try:
        services.update_member(member, form.values())
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".committee", code=code))
    db.session.commit()
    flash(_("บันทึกข้อมูลกรรมการแล้ว"), "success")
    return redirect(url_for(".committee", code=code))


@bp.route("/members/<int:member_id>/delete", methods=["POST"])
@permission_required(Permission.EDIT_REGISTER)
def delete_member(member_id):
    """Take a member off the current term."""
    member = _in_scope(db.session.get(CommitteeMember, member_id))
    code = member.order.committee.area_code
    try:
        services.remove_member(member)
        db.session.commit()
        flash(_("นำกรรมการออกจากวาระปัจจุบันแล้ว"), "success")
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".committee", code=code)), exc.status
    return redirect(url_for(".committee", code=code))


@bp.route("/<code>/meetings/new", methods=["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def new_meeting(code):
    """Record a meeting of the committee."""
    area = _editable_area(code)
    form = MeetingForm(today=clock.today())
    status = 200
    if form.validate_on_submit():
        try:
            services.add_meeting(services.committee_for(code), form.values(),
                                 form.minutes.data, current_user)
            db.session.commit()
            flash(_("บันทึกการประชุมแล้ว"), "success")
            return redirect(url_for(".committee", code=code,
                                    fy=fiscal_year(form.held_on.data)))
        except ServiceError as exc:
            status = _file_error(form, "minutes", exc)
    elif request.method == "POST":
        status = 422
    return render_template("committees/meeting_form.html", area=area, form=form), status


@bp.route("/meetings/<int:meeting_id>/delete", methods=["POST"])
@permission_required(Permission.EDIT_REGISTER)
def delete_meeting(meeting_id):
    """Delete a meeting recorded by mistake."""
    meeting = _in_scope(db.session.get(Meeting, meeting_id))
    code, be_year = meeting.committee.area_code, fiscal_year(meeting.held_on)
    services.delete_meeting(meeting)
    db.session.commit()
    flash(_("ลบการประชุมแล้ว"), "success")
    return redirect(url_for(".committee", code=code, fy=be_year))


@bp.route("/<code>/kbt", methods=["GET", "POST"])
@permission_required(Permission.VIEW_REGISTER)
def kbt(code):
    """The subdistrict's ก.บ.ต. order and the ศอช.ต. members sitting on it."""
    area = _area(code, subdistrict_only=True)
    found, korch = services.find_committee(code, KBT), services.find_committee(code)
    order = found and found.current_order
    status = 200
    if request.method == "POST":
        _editable_area(code, subdistrict_only=True)
        if order is None:
            abort(404)
        # An id that is not a number is no member: the service refuses it in Thai.
        chosen = [parse_int32(v) for v in request.form.getlist("korch_member")]
        try:
            services.set_qualified_persons(order, chosen)
            db.session.commit()
            flash(_("บันทึกผู้ทรงคุณวุฒิแล้ว"), "success")
            return redirect(url_for(".kbt", code=code))
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = exc.status
            order = services.find_committee(code, KBT).current_order
    candidates = korch.current_order.members if korch and korch.current_order else []
    seated = {m.korch_member_id for m in (order.members if order else [])}
    return render_template("committees/kbt.html", area=area, order=order,
                           candidates=candidates, seated=seated,
                           can_edit=editable(code)), status


@bp.route("/<code>/kbt/new", methods=["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def new_kbt_order(code):
    """Record the subdistrict's ก.บ.ต. appointment order."""
    return _order_page(_editable_area(code, subdistrict_only=True), KbtOrderForm(), KBT,
                       _("บันทึกคำสั่งแต่งตั้ง ก.บ.ต. แล้ว"), url_for(".kbt", code=code))


@bp.route("/<code>/activities")
@permission_required(Permission.VIEW_REGISTER)
def activities(code):
    """Strong Subdistrict activities of a subdistrict in a fiscal year."""
    area = _area(code, subdistrict_only=True)
    be_year = _fiscal_year()
    return render_template("committees/activities.html", area=area, be_year=be_year,
                           activities=services.activities_of(code, be_year),
                           can_edit=editable(code))


def _activity_page(area, form, activity=None, status=200):
    """Render the activity form."""
    return render_template("committees/activity_form.html", area=area, form=form,
                           activity=activity), status


@bp.route("/<code>/activities/new", methods=["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def new_activity(code):
    """Add a Strong Subdistrict activity."""
    area = _editable_area(code, subdistrict_only=True)
    form = ActivityForm()
    if request.method == "GET":
        form.fiscal_year.data = _fiscal_year()
    if not form.validate_on_submit():
        return _activity_page(area, form, status=422 if request.method == "POST" else 200)
    services.save_activity(None, form.values(), code, current_user)
    db.session.commit()
    flash(_("เพิ่มกิจกรรมแล้ว"), "success")
    return redirect(url_for(".activities", code=code, fy=form.fiscal_year.data))


def _activity_in_scope(activity_id):
    """Return the activity if the officer may change its subdistrict; else 404/403."""
    activity = db.session.get(StrongSubdistrictActivity, activity_id)
    if activity is None:
        abort(404)
    _editable_area(activity.subdistrict_code, subdistrict_only=True)
    return activity


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def edit_activity(activity_id):
    """Change a Strong Subdistrict activity."""
    activity = _activity_in_scope(activity_id)
    area = area_or_none(activity.subdistrict_code)
    form = ActivityForm(obj=activity)
    if not form.validate_on_submit():
        return _activity_page(area, form, activity, 422 if request.method == "POST" else 200)
    services.save_activity(activity, form.values())
    db.session.commit()
    flash(_("บันทึกกิจกรรมแล้ว"), "success")
    return redirect(url_for(".activities", code=area.code, fy=activity.fiscal_year))


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
@permission_required(Permission.EDIT_REGISTER)
def delete_activity(activity_id):
    """Delete an activity entered by mistake."""
    activity = _activity_in_scope(activity_id)
    code, be_year = activity.subdistrict_code, activity.fiscal_year
    services.delete_activity(activity)
    db.session.commit()
    flash(_("ลบกิจกรรมแล้ว"), "success")
    return redirect(url_for(".activities", code=code, fy=be_year))


@bp.route("/import/template.xlsx")
@permission_required(Permission.EDIT_REGISTER)
def import_template():
    """Download the blank XLSX template with Thai headers."""
    return _xlsx(spreadsheets.template_bytes(), "แบบฟอร์มทะเบียนคณะกรรมการ-ศอช.xlsx")


def _check_import(data):
    """Read and check an uploaded register; return the ImportResult."""
    if not looks_like_xlsx(data[:4]):
        raise ServiceError("not_xlsx", "file")
    header, rows = spreadsheets.read_rows(data)
    index = header_map(header).get("area_code")
    # Look every code of the file up in one query before judging the rows.
    codes = {cell_text(row[index]) for row in rows
             if index is not None and index < len(row)}
    known = services.known_area_codes(codes)
    allowed = {c for c in known if editable(c)}
    return validate_rows(header, rows, known, allowed, services.existing_order_keys(allowed))


@bp.route("/import", methods=["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def import_register():
    """Import a register from XLSX: every row checked, all or nothing."""
    form = ImportForm()
    if request.method == "GET":
        return render_template("committees/import.html", form=form, result=None)
    if not form.validate_on_submit():
        return render_template("committees/import.html", form=form, result=None), 422
    try:
        result = _check_import(read_limited(form.file.data))
    except ServiceError as exc:
        form.file.errors = [exc.message]
        return render_template("committees/import.html", form=form, result=None), exc.status
    if not result.ok:
        flash(ServiceError("import_errors").message, "error")
        return render_template("committees/import.html", form=form, result=result), 422
    count = services.apply_import(result.orders, current_user)
    db.session.commit()
    flash(_("นำเข้าแล้ว %(orders)d คำสั่ง กรรมการ %(members)d คน",
            orders=len(result.orders), members=count), "success")
    return redirect(url_for(".index"))


def _xlsx(data, filename):
    """Return ``data`` as an XLSX download (Thai name for browsers that read it)."""
    response = Response(data, mimetype=XLSX)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=register.xlsx; filename*=UTF-8''{quote(filename)}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/export.xlsx")
@permission_required(Permission.VIEW_REGISTER)
def export():
    """Download the area's register as XLSX, logging who took it (PDPA)."""
    code = request.args.get("area", "")
    if not code:
        scopes = current_user.scope_codes
        if len(scopes) != 1:
            abort(404)
        code = scopes[0]
    _area(code)
    data = spreadsheets.export_bytes(services.register_members(code))
    services.log_export(current_user, code, "register_xlsx")
    db.session.commit()
    return _xlsx(data, f"ทะเบียนคณะกรรมการ-ศอช-{code}.xlsx")
