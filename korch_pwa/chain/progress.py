"""The progress report in the chain: a district's sent report, the province's sum of them.

A district sends its report from the report page (its texts are written
there); the sending keeps the report's frozen counts and texts. The
province's report is not counted from the live register: it is the sum of
the reports it ACCEPTED from its districts plus its own committee (the
province level of parts 1-3), which is what it vouches for to the
department.
"""

from sqlalchemy import select

from ..domain.due_items import Kind
from ..domain.progress_report import add_counts, progress_counts
from ..extensions import db
from ..org.models import Area
from . import due_services
from .models import Dispatch


def district_report_snapshot(report):
    """Return what a district's sending of its report keeps: counts and texts as sent."""
    return {"kind": Kind.PROGRESS_REPORT.value, "counts": report.counts,
            "problems": report.problems, "suggestions": report.suggestions,
            "reporter_name": report.reporter_name,
            "reporter_position": report.reporter_position}


def send_district_report(report, actor, now=None):
    """Send a submitted report up the chain (the year's item is made if the department has not)."""
    from .dispatch_services import send

    item = due_services.year_item(report.fiscal_year, Kind.PROGRESS_REPORT)
    return send(item, report.district_code, actor, now=now,
                taken=district_report_snapshot(report))


def province_counts(province_code, fiscal_year):
    """Return (counts, accepted district codes, all district codes) of a province's report."""
    from ..reports.services import progress_data

    districts = list(db.session.scalars(select(Area.code).where(
        Area.level == "district", Area.parent_code == province_code).order_by(Area.code)))
    item = due_services.find_year_item(fiscal_year, Kind.PROGRESS_REPORT)
    accepted = []
    if item is not None:
        accepted = list(db.session.execute(
            select(Dispatch.area_code, Dispatch.snapshot).where(
                Dispatch.due_item_id == item.id, Dispatch.state == "accepted",
                Dispatch.area_code.in_(districts)).order_by(Dispatch.area_code)))
    committees, _assessments, _activities = progress_data(province_code, fiscal_year)
    own = progress_counts(fiscal_year,
                          [c for c in committees if c["area_code"] == province_code], [], [])
    counts = add_counts([own] + [snapshot["counts"] for _code, snapshot in accepted])
    return counts, [code for code, _snapshot in accepted], districts


def province_report_snapshot(province_code, fiscal_year):
    """Return what a province sends the department: its summed report."""
    counts, accepted, districts = province_counts(province_code, fiscal_year)
    return {"kind": Kind.PROGRESS_REPORT.value, "counts": counts, "accepted": accepted,
            "districts": len(districts)}
