"""The calendar of what must be sent up: the department's dates and a province's own."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..access import permission_required, require_area
from ..domain.due_items import Kind
from ..domain.roles import Permission, covers_country
from ..domain.thai_dates import fiscal_year
from ..errors import FieldProblems
from ..extensions import db
from ..i18n import render_message
from ..org.models import Area
from ..rounds.forms import ProvinceDueForm
from . import dispatch_services, due_services
from .forms import YearDatesForm
from .models import DueItem
from .services import province_of

bp = Blueprint("calendar", __name__, url_prefix="/due")


def _year(year):
    if not 2500 <= year <= 2700:
        abort(404)
    return year


def _province():
    """Return the province whose dates the page shows: the person's own, or ?area= (2 digits).

    The department picks one; a district officer reads its own province's
    dates, which it must meet though it does not cover the province.
    """
    if covers_country(current_user.role):
        code = request.args.get("area", "").strip()
        if not code:
            return None
        require_area(code)
        area = db.session.get(Area, code)
        if area is None or area.level != "province":
            abort(404)
        return area
    code = province_of(current_user)
    return db.session.get(Area, code) if code else None


def _render(year, form, status=200):
    province = _province()
    items = due_services.items_of_year(year)
    today = clock.today()
    own = [c for c in current_user.scope_codes if len(c) == 4]
    mine = {}
    if own and province is not None:
        # A district officer sees where its own sendings stand, item by item.
        districts = list(db.session.scalars(db.select(Area).where(Area.code.in_(own))))
        for item in items:
            mine[item.id] = dispatch_services.standings(item, districts, today)
    # Whoever receives sendings sees, per item, how many have sent and how many are late.
    tallies = {}
    follows = covers_country(current_user.role) or (
        province is not None and current_user.role == "province_officer")
    if follows:
        senders = dispatch_services.senders_of(province.code if province else "")
        for item in items:
            rows = dispatch_services.standings(item, senders, today)
            tallies[item.id] = {
                "total": len(rows),
                "sent": sum(1 for _a, d, _s in rows if d is not None),
                "accepted": sum(1 for _a, d, _s in rows if d and d.state == "accepted"),
                "late": sum(1 for _a, _d, s in rows if s.timeliness == "late")}
    return render_template(
        "chain/calendar.html", tallies=tallies, year=year, years=due_services.item_years() or [year],
        items=items, province=province, mine=mine, today=today, form=form,
        can_manage=current_user.can(Permission.MANAGE_ROUNDS),
        can_set=current_user.can(Permission.SET_PROVINCE_DUE) and province is not None,
        # Who receives sendings follows them: a province its districts, the department all.
        can_follow=follows,
        provinces=dispatch_services.senders_of("") if covers_country(current_user.role)
        else []), status


@bp.route("/")
@permission_required(Permission.VIEW_DASHBOARD)
def index():
    """Open this fiscal year's calendar."""
    return redirect(url_for(".year", year=fiscal_year(clock.today()), **request.args))


@bp.route("/<int:year>")
@permission_required(Permission.VIEW_DASHBOARD)
def year(year):
    """Every due date of a fiscal year, with the province's own where it set one."""
    _year(year)
    dates = {i.kind: i.department_due for i in due_services.items_of_year(year)
             if i.round_id is None}
    suggested = due_services.suggested_year_dates(year)
    form = YearDatesForm(data={k.value: dates.get(k.value) or suggested[k]
                               for k in due_services.YEAR_KINDS})
    return _render(year, form)


@bp.route("/<int:year>", methods=["POST"])
@permission_required(Permission.MANAGE_ROUNDS)
def set_year(year):
    """The department sets (or moves) its dates for the year's items."""
    _year(year)
    form = YearDatesForm()
    if form.validate():
        try:
            due_services.set_year_dates(year, {k: getattr(form, k.value).data
                                               for k in due_services.YEAR_KINDS})
            db.session.commit()
            flash(_("บันทึกวันกำหนดส่งของปีงบประมาณ %(year)s แล้ว", year=year), "success")
            return redirect(url_for(".year", year=year))
        except FieldProblems as exc:
            db.session.rollback()
            for field, message in exc.problems.items():
                getattr(form, field).errors = [*getattr(form, field).errors,
                                               render_message(message)]
    return _render(year, form, 422)


@bp.route("/item/<int:item_id>/province-due", methods=["GET", "POST"])
@permission_required(Permission.SET_PROVINCE_DUE)
def province_due(item_id):
    """A province sets its own date for an item, not later than the department's."""
    item = db.session.get(DueItem, item_id)
    province = province_of(current_user)
    if item is None or province is None:
        abort(404)
    require_area(province)
    form = ProvinceDueForm(due=item.province_due(province)
                           or due_services.suggested_province_due(item))
    if form.validate_on_submit():
        try:
            due_services.set_province_due(item, province, form.due.data)
            db.session.commit()
            flash(_("บันทึกวันกำหนดส่งของจังหวัดแล้ว"), "success")
            return redirect(url_for(".year", year=item.fiscal_year))
        except FieldProblems as exc:
            db.session.rollback()
            form.due.errors = [*form.due.errors, exc.message]
    return render_template("chain/province_due.html", item=item, form=form,
                           kinds=Kind), 422 if form.errors else 200
