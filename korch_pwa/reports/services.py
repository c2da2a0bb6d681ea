"""Loaders and operations for the dashboard, results and the progress report.

Each loader runs a fixed handful of queries for a whole area (no query per
subdistrict) and hands plain data to the pure functions in ``domain``.
Operations flush; the request commits.
"""

from datetime import datetime, time, timedelta, timezone

from sqlalchemy import bindparam, case, func, select

from ..assessment.models import Answer, Assessment, AssessmentEvent, Round
from ..auth.models import utcnow
from ..committees.models import AppointmentOrder, Committee, CommitteeMember, Meeting
from ..committees.models import StrongSubdistrictActivity as Activity
from ..domain import deadlines, progress_report
from ..domain.thai_dates import fiscal_year_bounds
from ..domain.workflow import Action
from ..errors import ServiceError
from ..extensions import db
from ..org.models import Area
from .models import DistrictAcceptance, DistrictReport

# ---------------------------------------------------------------- deadlines


def first_submissions(round_id, prefix=""):
    """Return a subquery: assessment id -> time of its first submission, in one round.

    Only the round's assessments (under ``prefix`` when given): at country
    scale, not every event of every round.
    """
    query = (select(AssessmentEvent.assessment_id.label("assessment_id"),
                    func.min(AssessmentEvent.at).label("first_at"))
             .join(Assessment, Assessment.id == AssessmentEvent.assessment_id)
             .where(AssessmentEvent.action == Action.SUBMIT.value,
                    Assessment.round_id == round_id))
    if prefix:
        query = query.where(Assessment.subdistrict_code.startswith(prefix, autoescape=True))
    return query.group_by(AssessmentEvent.assessment_id).subquery()


def subdistrict_states(rnd, prefix, today):
    """Return a SubdistrictState for every subdistrict under ``prefix`` in a round."""
    first = first_submissions(rnd.id, prefix)
    found = db.session.execute(
        select(Assessment.subdistrict_code, Assessment.status, Assessment.submitted_at,
               first.c.first_at)
        .outerjoin(first, first.c.assessment_id == Assessment.id)
        .where(Assessment.round_id == rnd.id,
               Assessment.subdistrict_code.startswith(prefix, autoescape=True)))
    by_code = {code: (status, first_at or submitted_at)
               for code, status, submitted_at, first_at in found}
    codes = db.session.scalars(select(Area.code).where(
        Area.level == "subdistrict", Area.code.startswith(prefix, autoescape=True)))
    dues = {d.province_code: d.due for d in rnd.deadlines}
    states = []
    for code in codes:
        status, at = by_code.get(code, (None, None))
        states.append(deadlines.subdistrict_state(
            code, status, deadlines.bangkok_date(at), dues.get(code[:2]),
            rnd.department_due, today))
    return states


def _end_of_day_utc(due):
    """Return the first instant after the Bangkok day ``due``, in UTC.

    A timestamp before it has a Bangkok date on or before ``due`` (the rule of
    ``deadlines.bangkok_date``), so the database can judge timeliness without
    converting time zones.
    """
    start = datetime.combine(due + timedelta(days=1), time.min, deadlines.BANGKOK)
    return start.astimezone(timezone.utc)


def _sent_on_stand_in(sent, before, due):
    """Return a date that ``deadlines.timeliness`` judges as the real one would be."""
    if not sent or due is None:
        return None
    return due if before else due + timedelta(days=1)


def board_counts(rnd, prefix, group_length, today):
    """Return {child code: [SubdistrictState]} for the subdistricts under ``prefix``.

    One grouped query for any number of areas: each subdistrict is counted in
    the database by (child area, status, sent?, sent by the province's due
    date?, sent by the department's?); the states handed back stand for those
    counts (the same state object n times) so that ``deadlines.tally`` does
    the tallying exactly as for single subdistricts.
    """
    sent_type = Assessment.submitted_at.type
    first = first_submissions(rnd.id, prefix)
    sent_at = func.coalesce(first.c.first_at, Assessment.submitted_at)
    province_code = func.substr(Area.code, 1, 2)
    dues = {d.province_code: d.due for d in rnd.deadlines
            if d.province_code.startswith(prefix[:2])}
    if dues:
        # One branch per distinct due date (provinces mostly share one), not per province.
        codes_by_due = {}
        for code, due in sorted(dues.items()):
            codes_by_due.setdefault(due, []).append(code)
        province_end = case(
            *[(province_code.in_(codes), bindparam(f"end_{n}", _end_of_day_utc(due),
                                                   type_=sent_type))
              for n, (due, codes) in enumerate(sorted(codes_by_due.items()))], else_=None)
        by_province = case((sent_at < province_end, 1), else_=0)
    else:
        by_province = bindparam("no_province_due", 0)
    by_department = case((sent_at < bindparam("department_end", _end_of_day_utc(
        rnd.department_due), type_=sent_type), 1), else_=0)
    group = func.substr(Area.code, 1, group_length)
    sent = case((sent_at.is_(None), 0), else_=1)
    rows = db.session.execute(
        select(group, Assessment.status, sent, by_province, by_department, func.count())
        .select_from(Area)
        .outerjoin(Assessment, (Assessment.subdistrict_code == Area.code)
                   & (Assessment.round_id == rnd.id))
        .outerjoin(first, first.c.assessment_id == Assessment.id)
        .where(Area.level == "subdistrict", Area.code.startswith(prefix, autoescape=True))
        .group_by(group, Assessment.status, sent, by_province, by_department))
    groups = {}
    for code, status, was_sent, province_ok, department_ok, n in rows:
        due = dues.get(code[:2])
        state = deadlines.SubdistrictState(
            code, deadlines.status_of(status), None,
            deadlines.timeliness(_sent_on_stand_in(was_sent, province_ok, due), due, today),
            deadlines.timeliness(_sent_on_stand_in(was_sent, department_ok,
                                                   rnd.department_due),
                                 rnd.department_due, today))
        groups.setdefault(code, []).extend([state] * n)
    return {code: groups[code] for code in sorted(groups)}


def acceptances(rnd, prefix):
    """Return {district code: DistrictAcceptance} of a round under ``prefix``."""
    rows = db.session.scalars(select(DistrictAcceptance).where(
        DistrictAcceptance.round_id == rnd.id,
        DistrictAcceptance.district_code.startswith(prefix, autoescape=True)))
    return {a.district_code: a for a in rows}


def deadline_board(rnd, area_code, today):
    """Return the dashboard of a round for an area ('' = the whole country).

    Rows are the area's children: provinces, districts or subdistricts.
    Return ``(total Tally, [(child code, Tally or SubdistrictState)])``.
    """
    if len(area_code) >= 4:
        states = subdistrict_states(rnd, area_code, today)
        return deadlines.tally(states), [(s.code, s) for s in states]
    groups = board_counts(rnd, area_code, len(area_code) + 2, today)
    total = deadlines.tally(state for group in groups.values() for state in group)
    return total, [(code, deadlines.tally(group)) for code, group in groups.items()]


# ---------------------------------------------------------------- results


def rounds_of_year(fiscal_year):
    """Return the rounds of a B.E. fiscal year, by number."""
    return list(db.session.scalars(select(Round).where(Round.fiscal_year == fiscal_year)
                                   .order_by(Round.number)))


def level_counts(fiscal_year, prefix, group_length=None):
    """Return {round number: {level code: n}} of approved assessments.

    With ``group_length``, return {group code: {round: {level: n}}} instead,
    grouping subdistricts by the first ``group_length`` digits of their code.
    Either way the database does the counting: one row per group, round and
    level, not one per subdistrict.
    """
    columns = [Round.number, Assessment.level_code]
    if group_length:
        columns.insert(0, func.substr(Assessment.subdistrict_code, 1, group_length))
    rows = db.session.execute(
        select(*columns, func.count())
        .join(Round, Round.id == Assessment.round_id)
        .where(Round.fiscal_year == fiscal_year, Assessment.status == "approved",
               Assessment.subdistrict_code.startswith(prefix, autoescape=True))
        .group_by(*columns))
    if not group_length:
        return _add_levels({}, ((number, level, n) for number, level, n in rows))
    nested = {}
    for code, number, level, n in rows:
        _add_levels(nested.setdefault(code, {}), [(number, level, n)])
    return nested


def _add_levels(per_round, rows):
    """Add (round number, level code, n) rows into {round: {level: n}}; return it."""
    for number, level, n in rows:
        levels = per_round.setdefault(number, {})
        levels[level or "?"] = levels.get(level or "?", 0) + n
    return per_round


def flatten_levels(by_group):
    """Return {round: {level: n}} summed over the groups of ``level_counts``."""
    flat = {}
    for per_round in by_group.values():
        _add_levels(flat, ((number, level, n) for number, levels in per_round.items()
                           for level, n in levels.items()))
    return flat


def indicator_averages(fiscal_year, prefix):
    """Return {round number: {framework version: {indicator code: (average score, n)}}}."""
    rows = db.session.execute(
        select(Round.number, Assessment.framework_version, Answer.indicator_code,
               func.avg(Answer.score), func.count(Answer.score))
        .join(Assessment, Assessment.id == Answer.assessment_id)
        .join(Round, Round.id == Assessment.round_id)
        .where(Round.fiscal_year == fiscal_year, Assessment.status == "approved",
               Answer.score.is_not(None),
               Assessment.subdistrict_code.startswith(prefix, autoescape=True))
        .group_by(Round.number, Assessment.framework_version, Answer.indicator_code))
    result = {}
    for number, version, code, avg, n in rows:
        result.setdefault(number, {}).setdefault(version, {})[code] = (float(avg), n)
    return result


# ---------------------------------------------------------------- progress report


def progress_data(prefix, fiscal_year):
    """Return the plain data ``progress_report.progress_counts`` needs for an area."""
    first, last = fiscal_year_bounds(fiscal_year)
    in_area = Committee.area_code.startswith(prefix, autoescape=True)
    committees = {c_id: {"kind": kind, "area_code": code, "orders": [], "meetings": []}
                  for c_id, kind, code in db.session.execute(
                      select(Committee.id, Committee.kind, Committee.area_code)
                      .where(in_area))}
    orders = db.session.execute(
        select(AppointmentOrder.committee_id, AppointmentOrder.order_date,
               AppointmentOrder.term_end, func.count(CommitteeMember.id))
        .join(Committee, Committee.id == AppointmentOrder.committee_id)
        .outerjoin(CommitteeMember, CommitteeMember.order_id == AppointmentOrder.id)
        .where(in_area, AppointmentOrder.order_date <= last)
        .group_by(AppointmentOrder.id, AppointmentOrder.committee_id,
                  AppointmentOrder.order_date, AppointmentOrder.term_end))
    for c_id, order_date, term_end, members in orders:
        committees[c_id]["orders"].append(
            {"order_date": order_date, "term_end": term_end, "members": members})
    meetings = db.session.execute(
        select(Meeting.committee_id, Meeting.held_on)
        .join(Committee, Committee.id == Meeting.committee_id)
        .where(in_area, Meeting.held_on.between(first, last)))
    for c_id, held_on in meetings:
        committees[c_id]["meetings"].append(held_on)
    assessments = list(db.session.execute(
        select(Assessment.subdistrict_code, Round.number, Assessment.status)
        .join(Round, Round.id == Assessment.round_id)
        .where(Round.fiscal_year == fiscal_year,
               Assessment.subdistrict_code.startswith(prefix, autoescape=True))))
    activities = list(db.session.execute(
        select(Activity.subdistrict_code, Activity.fiscal_year, Activity.in_plan)
        .where(Activity.fiscal_year == fiscal_year,
               Activity.subdistrict_code.startswith(prefix, autoescape=True))))
    return list(committees.values()), [tuple(a) for a in assessments], \
        [tuple(a) for a in activities]


def live_counts(area_code, fiscal_year):
    """Return parts (1)-(6) computed now from the data of a district or province."""
    committees, assessments, activities = progress_data(area_code, fiscal_year)
    return progress_report.progress_counts(fiscal_year, committees, assessments,
                                           activities)


def find_report(district_code, fiscal_year):
    """Return the district's report for a fiscal year, or None."""
    return db.session.scalar(select(DistrictReport).where(
        DistrictReport.district_code == district_code,
        DistrictReport.fiscal_year == fiscal_year))


def save_report(district_code, fiscal_year, fields):
    """Create or update the district's draft report from the typed fields."""
    report = find_report(district_code, fiscal_year)
    if report is None:
        report = DistrictReport(district_code=district_code, fiscal_year=fiscal_year)
        db.session.add(report)
    elif report.status == "submitted":
        raise ServiceError("report_submitted")
    for key in ("problems", "suggestions", "reporter_name", "reporter_position"):
        setattr(report, key, (fields.get(key) or "").strip())
    report.updated_at = utcnow()
    db.session.flush()
    return report


def submit_report(district_code, fiscal_year, fields, actor):
    """Save and send the report to the province, freezing its counts."""
    report = save_report(district_code, fiscal_year, fields)
    if not report.reporter_name or not report.reporter_position:
        raise ServiceError("reporter_missing", field="reporter_name")
    report.counts = live_counts(district_code, fiscal_year)
    report.status = "submitted"
    report.submitted_at = report.updated_at = utcnow()
    report.submitted_by = actor.id
    db.session.flush()
    # Sent up the chain in the same transaction: the province can return it.
    from ..chain.progress import send_district_report

    send_district_report(report, actor, now=report.submitted_at)
    return report


def report_counts(area_code, fiscal_year, report=None):
    """Return a submitted report's frozen counts, else the live ones."""
    if report is not None and report.status == "submitted" and report.counts:
        return report.counts
    return live_counts(area_code, fiscal_year)


def district_reports(province_code, fiscal_year):
    """Return [(district Area, DistrictReport or None)] for a province."""
    districts = list(db.session.scalars(select(Area).where(
        Area.level == "district", Area.parent_code == province_code).order_by(Area.code)))
    reports = {r.district_code: r for r in db.session.scalars(select(DistrictReport).where(
        DistrictReport.fiscal_year == fiscal_year,
        DistrictReport.district_code.startswith(province_code, autoescape=True)))}
    return [(d, reports.get(d.code)) for d in districts]
