"""Reporting-rate rules: each subdistrict's status in a round and its timeliness.

Rules (pure, so they are tested over every case without a database):

- Status: no assessment record means "not started"; otherwise the
  assessment's own status (draft, submitted, returned, approved).
- Submitted on: the Bangkok date of the committee's FIRST submission. A
  return for corrections and a later re-submission do not make a committee
  that sent on time late.
- Timeliness, judged separately against the province's and the
  department's due date:
  * no due date set (a province that set none): ``no_date``;
  * submitted on or before the due date: ``on_time``; after it: ``late``;
  * not submitted and today is after the due date: ``late``;
  * not submitted and the due date has not passed: ``waiting``.
- On-time rate: subdistricts submitted on time / all subdistricts, so that
  those not yet submitted pull the rate down, as in a reporting-rate report.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

NOT_STARTED = "not_started"
STATUSES = (NOT_STARTED, "draft", "submitted", "returned", "approved")

ON_TIME = "on_time"
LATE = "late"
WAITING = "waiting"
NO_DATE = "no_date"
TIMELINESS = (ON_TIME, LATE, WAITING, NO_DATE)

BANGKOK = timezone(timedelta(hours=7))


def bangkok_time(moment):
    """Return a stored moment as Bangkok's wall clock (SQLite gives naive UTC back)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BANGKOK)


def bangkok_date(moment):
    """Return the Bangkok calendar date of a timestamp (naive ones are UTC)."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return bangkok_time(moment).date()
    if isinstance(moment, date):
        return moment
    raise TypeError(f"not a date or datetime: {moment!r}")


def status_of(assessment_status):
    """Return the dashboard status of a subdistrict from its assessment's status."""
    if assessment_status is None:
        return NOT_STARTED
    if assessment_status not in STATUSES:
        raise ValueError(f"unknown assessment status {assessment_status!r}")
    return assessment_status


def timeliness(submitted_on, due, today):
    """Return on_time, late, waiting or no_date for one due date."""
    if due is None:
        return NO_DATE
    if submitted_on is not None:
        return ON_TIME if submitted_on <= due else LATE
    return LATE if today > due else WAITING


@dataclass(frozen=True)
class Countdown:
    """How a due date stands for a committee that has not sent yet."""

    state: str  # "days_left", "due_today" or "overdue"
    days: int


def countdown(due, today, sent=False):
    """Return the Countdown to ``due``, or None once sent or without a date.

    A committee that has sent is not late whatever happens after (see the
    rules above), so it is told nothing.
    """
    if due is None or sent:
        return None
    days = (due - today).days
    if days > 0:
        return Countdown("days_left", days)
    if days == 0:
        return Countdown("due_today", 0)
    return Countdown("overdue", -days)


@dataclass(frozen=True)
class SubdistrictState:
    """One subdistrict's line on the dashboard."""

    code: str
    status: str
    submitted_on: date | None
    province: str
    department: str


def subdistrict_state(code, assessment_status, submitted_on, province_due,
                      department_due, today):
    """Return the dashboard line of one subdistrict."""
    return SubdistrictState(code, status_of(assessment_status), submitted_on,
                            timeliness(submitted_on, province_due, today),
                            timeliness(submitted_on, department_due, today))


def percent(part, whole):
    """Return part/whole as a percentage with one decimal, 0 for an empty whole."""
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class Tally:
    """Counts and percentages for a group of subdistricts."""

    total: int
    status: dict
    status_percent: dict
    province: dict
    department: dict
    province_on_time_rate: float
    department_on_time_rate: float

    @property
    def all_approved(self):
        """Return True when every subdistrict of the group is approved."""
        return self.total > 0 and self.status["approved"] == self.total


def tally(states):
    """Return the Tally of an iterable of SubdistrictState."""
    states = list(states)
    total = len(states)
    status = Counter({s: 0 for s in STATUSES})
    status.update(s.status for s in states)
    province = Counter({t: 0 for t in TIMELINESS})
    province.update(s.province for s in states)
    department = Counter({t: 0 for t in TIMELINESS})
    department.update(s.department for s in states)
    return Tally(
        total=total,
        status=dict(status),
        status_percent={s: percent(n, total) for s, n in status.items()},
        province=dict(province),
        department=dict(department),
        province_on_time_rate=percent(province[ON_TIME], total),
        department_on_time_rate=percent(department[ON_TIME], total),
    )


def group_by_prefix(states, length):
    """Return {code prefix of ``length``: [states]} in code order."""
    groups = {}
    for state in sorted(states, key=lambda s: s.code):
        groups.setdefault(state.code[:length], []).append(state)
    return groups
