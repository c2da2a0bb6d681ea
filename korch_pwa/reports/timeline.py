"""How many of an area's subdistricts sent and were approved, day by day, in a round.

The database counts per Bangkok calendar day (a handful of rows, whatever
the area), so the country's chart costs what a district's does.
"""

from datetime import date

from sqlalchemy import func, select

from ..assessment.models import Assessment, AssessmentEvent
from ..domain.workflow import Action, Status
from ..extensions import db
from .services import first_submissions


def bangkok_day(column):
    """Return an SQL expression: the Bangkok calendar date of a stored UTC moment."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Bangkok", column))
    return func.date(column, "+7 hours")  # SQLite keeps UTC as text


def _by_day(rows):
    """Return {date: n} from (day, n) rows (SQLite gives the day as text)."""
    return {d if isinstance(d, date) else date.fromisoformat(d): n for d, n in rows if d}


def daily_counts(rnd, prefix):
    """Return ({day: first sent}, {day: first approved, of those approved now})."""
    in_area = Assessment.subdistrict_code.startswith(prefix, autoescape=True)
    first = first_submissions(rnd.id, prefix)
    sent_day = bangkok_day(first.c.first_at)
    sent = db.session.execute(select(sent_day, func.count()).group_by(sent_day))
    approval = (select(AssessmentEvent.assessment_id, func.min(AssessmentEvent.at).label("at"))
                .join(Assessment, Assessment.id == AssessmentEvent.assessment_id)
                .where(AssessmentEvent.action == Action.APPROVE.value,
                       Assessment.round_id == rnd.id, Assessment.status == Status.APPROVED.value,
                       in_area)
                .group_by(AssessmentEvent.assessment_id).subquery())
    approved_day = bangkok_day(approval.c.at)
    approved = db.session.execute(select(approved_day, func.count()).group_by(approved_day))
    return _by_day(sent), _by_day(approved)
