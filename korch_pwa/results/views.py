"""Downloads of every score in an area, as CSV or XLSX.

Open to the officers who see the dashboard, for the areas they cover (the
whole country for the department). Each download is written to the export
log first: the files name the officers who approved.
"""

from flask import (Blueprint, Response, abort, flash, redirect, request, send_file,
                   stream_with_context, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from ..access import permission_required
from ..committees.services import log_export
from ..domain import results_table
from ..framework_versions.services import active_framework, framework_by_version
from ..domain.roles import Permission
from ..extensions import db
from ..i18n import current_locale
from ..reports.scope import chosen_area, chosen_year
from . import export_data, writers

bp = Blueprint("results_export", __name__, url_prefix="/dashboard/results")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# table -> (what the export log records, the sheet's name)
TABLES = {
    "indicators": ("results_indicators", "คะแนนรายตัวชี้วัด"),
    "summary": ("results_summary", "ผลรายตำบล"),
}


def _table(name, framework, fiscal_year, locale):
    """Return (columns, row maker) of a table: the maker turns one round's facts into rows.

    Each assessment is read with the framework version it was made with (a
    year may hold two, when the department activated a new one mid-year);
    ``framework``, the year's active one, gives the summary's columns and the
    rows of subdistricts not started.
    """
    own = {framework.version: framework}

    def framework_of(facts):
        version = facts.framework_version or framework.version
        if version not in own:
            own[version] = framework_by_version(version)
        return own[version]

    if name == "indicators":
        def rows(place, rnd, facts):
            return results_table.indicator_rows(place, fiscal_year, rnd.number, facts,
                                                framework_of(facts), locale)
        return results_table.INDICATOR_COLUMNS, rows

    def one_row(place, rnd, facts):
        return (results_table.summary_row(place, fiscal_year, rnd.number, facts, framework,
                                          locale, framework_of(facts)),)
    return results_table.summary_columns(framework), one_row


@bp.route("/export/<table>.<fmt>")
@permission_required(Permission.VIEW_DASHBOARD)
def export(table, fmt):
    """Send one table of the area's results for a fiscal year (?fy=, ?area=, ?round=)."""
    if table not in TABLES or fmt not in FORMATS:
        abort(404)
    year, code = chosen_year(), chosen_area()
    number = request.args.get("round", type=int)
    if number not in (None, 1, 2):
        abort(404)
    rounds = export_data.rounds_of(year, number)
    if not rounds:
        flash(_("ยังไม่มีรอบการประเมินของปีงบประมาณ %(year)s จึงยังไม่มีผลให้ดาวน์โหลด",
                year=year), "error")
        return redirect(url_for("reports.results_view", fy=year, area=code or None))
    locale = current_locale()
    columns, make_rows = _table(table, active_framework(year), year, locale)
    what, sheet = TABLES[table]
    log_export(current_user, code, what)
    db.session.commit()
    rows = (row for place, rnd, facts in export_data.results(code, rounds)
            for row in make_rows(place, rnd, facts))
    name = f"korch-{table}-{code or 'TH'}-{year}{f'-r{number}' if number else ''}.{fmt}"
    if fmt == "csv":
        return Response(stream_with_context(writers.csv_chunks(columns, rows, locale)),
                        mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return send_file(writers.xlsx_file(columns, rows, sheet, locale), mimetype=XLSX,
                     as_attachment=True, download_name=name)
