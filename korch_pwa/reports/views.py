"""Officers' dashboard: deadlines, results and the district progress report."""

from io import BytesIO

from flask import (Blueprint, abort, flash, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..access import area_in_scope, permission_required
from ..domain import charts, results
from ..domain.deadlines import bangkok_date
from ..framework_versions.services import active_framework, codes_read_as
from ..domain.limits import REPORTER_MAX
from ..domain.roles import Permission
from ..errors import ServiceError
from ..extensions import db
from ..org.models import Area
from ..org.services import areas_by_code, children
from ..chain import progress
from ..chain import dispatch_services
from ..chain.dispatch_services import dispatch_of
from ..chain.models import DueItem
from ..chain.due_services import find_year_item
from ..domain.due_items import Kind
from ..rounds.picker import chosen_round, picker_rounds
from . import export, services, timeline
from .rendered import rendered
from .scope import check_year, chosen_area, chosen_year
from .forms import ReportForm

bp = Blueprint("reports", __name__, url_prefix="/dashboard")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _render_board(rnd, code, status=200):
    """Render the reporting-rate view of a round for an area."""
    today = clock.today()
    total, rows = services.deadline_board(rnd, code, today)
    mine = current_user.scope_codes if len(current_user.scope_codes) > 1 else []
    names = areas_by_code([c for c, _row in rows] + [code] + mine)
    accepted = services.acceptances(rnd, code) if len(code) in (2, 4) else {}
    province_due = rnd.province_due(code[:2]) if code else None
    # Where each district's sending of the round's results stands (a province's
    # board), or the district's own (its board).
    item = db.session.scalar(select(DueItem).where(DueItem.round_id == rnd.id))
    senders = []
    if item is not None and len(code) in (2, 4):
        senders = ([names[c] for c, _row in rows if c in names] if len(code) == 2
                   else [names[code]] if code in names else [])
    sendings = {area.code: (dispatch, standing) for area, dispatch, standing
                in dispatch_services.standings(item, senders, today)} if senders else {}
    sent, approved = timeline.daily_counts(rnd, code)
    progress = charts.timeline(sent, approved, total.total,
                               {"province": province_due, "department": rnd.department_due},
                               today)
    return render_template(
        "dashboard/index.html", rnd=rnd, rounds=picker_rounds(), code=code,
        area=names.get(code), total=total, rows=rows, names=names, accepted=accepted,
        my_areas=[names[c] for c in mine if c in names], progress=progress,
        province_due=province_due, today=today, item=item, sendings=sendings), status


@bp.route("/")
@permission_required(Permission.VIEW_DASHBOARD)
def index():
    """Reporting-rate view of a round: status and timeliness per child area."""
    rnd = chosen_round()
    code = chosen_area()
    if rnd is None:
        return render_template("dashboard/no_round.html", code=code)
    return _render_board(rnd, code)


@bp.route("/results")
@permission_required(Permission.VIEW_DASHBOARD)
def results_view():
    """Development levels, weakest indicators and round 1 vs round 2."""
    year = chosen_year()
    code = chosen_area()
    framework = active_framework(year)
    group_length = len(code) + 2 if len(code) < 6 else None
    by_group = services.level_counts(year, code, group_length) if group_length else {}
    # Both rounds of the year side by side, even before round 2 has results.
    counts = (services.flatten_levels(by_group) if group_length
              else services.level_counts(year, code))
    wanted = [r.number for r in services.rounds_of_year(year)] or sorted(counts) or [1]
    numbers, side = results.rounds_side_by_side(
        {n: counts.get(n, {}) for n in wanted}, framework.levels)
    codes_of = codes_read_as(framework)
    averages = {n: results.pooled_averages(by_version, codes_of)
                for n, by_version in services.indicator_averages(year, code).items()}
    weakest = {n: results.weakest_indicators(averages.get(n, {}), framework)
               for n in numbers}
    by_category = {n: dict(charts.category_shares(averages.get(n, {}), framework))
                   for n in numbers}
    categories = [(c, [(n, by_category[n][c]) for n in numbers]) for c in framework.categories]
    level_bars = {n: charts.level_bars(by_group, framework.levels, n) for n in numbers}
    # Every child area gets a tile, results or not: the grey ones are the news.
    child_codes = [a.code for a in children(code)] if group_length else []
    tile_round = max((n for n in numbers if any(per.get(n) for per in by_group.values())),
                     default=numbers[-1] if numbers else None)
    tiles = charts.tile_grid(child_codes, by_group, framework.levels, tile_round,
                             provinces=not code)
    names = areas_by_code(list(by_group) + child_codes + [code])
    years = sorted({r.fiscal_year for r in picker_rounds()})
    return render_template(
        "dashboard/results.html", year=year, years=years, code=code, area=names.get(code),
        framework=framework, numbers=numbers, side=side, weakest=weakest,
        by_group=by_group, names=names, categories=categories,
        level_bars=level_bars if by_group else {}, tiles=tiles, tile_round=tile_round)


# ---------------------------------------------------------------- progress report


def _area_title(area):
    """Return 'อำเภอX จังหวัดY' or 'จังหวัดY' as the form heads it."""
    if area.level == "province":
        return f"จังหวัด{area.name_th}"
    province = db.session.get(Area, area.parent_code)
    return f"อำเภอ{area.name_th} จังหวัด{province.name_th if province else ''}"


def _may_write(area):
    """Return True when the person writes this district's report."""
    return area.level == "district" and current_user.can(Permission.WRITE_DISTRICT_REPORT)


def _report_parts(area, year):
    """Return (report, counts, texts shown?) for the page and the exports.

    A draft's typed text is the district's own until it is sent; above the
    district only submitted reports are read. A province's counts are the
    sum of the district reports it accepted plus its own committee.
    """
    if area.level == "province":
        return None, progress.province_counts(area.code, year)[0], False
    report = services.find_report(area.code, year)
    show = report is not None and (report.status == "submitted" or _may_write(area))
    return report, services.report_counts(area.code, year, report), show


def _doc(area, year):
    """Return the ReportDoc printed for an area and year."""
    report, counts, show = _report_parts(area, year)
    texts = {}
    if show:
        texts = dict(problems=report.problems, suggestions=report.suggestions,
                     reporter_name=report.reporter_name,
                     reporter_position=report.reporter_position)
    sent = report.submitted_at if show and report.submitted_at else None
    return export.ReportDoc(year, _area_title(area), counts,
                            reported_on=bangkok_date(sent) or clock.today(), **texts)


def _render_report(area, year, form, status=200):
    """Render the report page, with where its sending up the chain stands."""
    report, counts, show = _report_parts(area, year)
    editable = _may_write(area) and (report is None or report.status != "submitted")
    item = find_year_item(year, Kind.PROGRESS_REPORT)
    sending = dispatch_of(item, area.code) if item is not None else None
    accepted = districts = None
    if area.level == "province":
        _counts, accepted, districts = progress.province_counts(area.code, year)
    return render_template("dashboard/report.html", area=area, year=year, counts=counts,
                           report=report, show=show, form=form, editable=editable,
                           title=_area_title(area), reporter_max=REPORTER_MAX, item=item,
                           sending=sending, accepted=accepted, districts=districts), status


@bp.route("/report/<code>/<int:year>", methods=["GET", "POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def report(code, year):
    """The progress report of a district (editable by it) or a province (summed)."""
    area = area_in_scope(code, ("district", "province"))
    check_year(year)
    if request.method == "GET":
        existing = services.find_report(code, year) if area.level == "district" else None
        form = ReportForm(obj=existing if existing and _may_write(area) else None)
        return _render_report(area, year, form)
    if not _may_write(area):
        abort(403)
    form = ReportForm()
    if not form.validate():
        return _render_report(area, year, form, 422)
    try:
        if form.action.data == "submit":
            services.submit_report(code, year, form.fields(), current_user)
            message = _("ส่งรายงานให้จังหวัดแล้ว")
        else:
            services.save_report(code, year, form.fields())
            message = _("บันทึกร่างแล้ว")
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _render_report(area, year, form, exc.status)
    flash(message, "success")
    return redirect(url_for(".report", code=code, year=year))


@bp.route("/report/<code>/<int:year>/export.<fmt>")
@permission_required(Permission.VIEW_DASHBOARD)
def export_report(code, year, fmt):
    """Download the report as XLSX or as PDF in the official layout."""
    area = area_in_scope(code, ("district", "province"))
    check_year(year)
    if fmt not in ("xlsx", "pdf"):
        abort(404)
    doc = _doc(area, year)
    data, digest = rendered(db.session, area.code, doc, fmt,
                            export.build_xlsx if fmt == "xlsx" else export.build_pdf)
    # The digest of what is printed is the file's ETag: a browser that has
    # this very file is told so (304) instead of downloading it again.
    response = send_file(BytesIO(data), mimetype=XLSX if fmt == "xlsx" else "application/pdf",
                         as_attachment=True, download_name=f"progress-{code}-{year}.{fmt}",
                         etag=digest)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/reports/<int:year>")
@permission_required(Permission.VIEW_DASHBOARD)
def province_reports(year):
    """A province's districts and whether each has sent its report."""
    check_year(year)
    code = chosen_area()
    if code == "":
        # The department first picks a province.
        return render_template("dashboard/report_provinces.html", year=year,
                               provinces=children(""))
    if len(code) != 2:
        abort(404)
    province = db.session.get(Area, code)
    rows = services.district_reports(code, year)
    return render_template("dashboard/reports.html", province=province, year=year,
                           rows=rows)
