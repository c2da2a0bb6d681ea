"""The year's due items: the department's dates and each province's earlier ones."""

from sqlalchemy import select, update

from ..assessment.models import Round
from ..domain.due_items import Kind, default_dates, department_due_problem
from ..domain.rounds import province_due_problem
from ..errors import FieldProblems
from ..extensions import db
from ..inserts import insert_ignore
from ..rounds import services as rounds
from .models import DueItem, DueItemDeadline

ITEMS = DueItem.__table__
YEAR_KINDS = (Kind.REGISTER, Kind.ORDER_COPIES, Kind.PROGRESS_REPORT)


class DueDateError(FieldProblems):
    """A due date that breaks the rules, with a Message per field."""

    def __init__(self, problems):
        super().__init__("invalid_due_date", problems)


def items_of_year(fiscal_year):
    """Return a year's due items by the department's date."""
    items = db.session.scalars(select(DueItem).where(DueItem.fiscal_year == fiscal_year))
    return sorted(items, key=lambda i: (i.department_date, i.kind, i.id))


def find_year_item(fiscal_year, kind):
    """Return the year's item of a kind other than round results, or None."""
    return db.session.scalar(select(DueItem).where(
        DueItem.fiscal_year == fiscal_year, DueItem.kind == Kind(kind).value,
        DueItem.round_id.is_(None)))


def year_item(fiscal_year, kind):
    """Return the year's item of ``kind``, made with the letters' date if the department set none.

    A district that sends before the department has set its calendar is
    still recorded, and judged against the date the letters suggest.
    """
    item = find_year_item(fiscal_year, kind)
    if item is None:
        insert_ignore(db.session.connection(), ITEMS, {
            "fiscal_year": fiscal_year, "kind": Kind(kind).value, "round_id": None,
            "department_due": default_dates(kind, fiscal_year)[1]})
        item = find_year_item(fiscal_year, kind)
    return item


def item_years():
    """Return every fiscal year with due items or rounds, newest first."""
    years = set(db.session.scalars(select(DueItem.fiscal_year).distinct()))
    years |= set(db.session.scalars(select(Round.fiscal_year).distinct()))
    return sorted(years, reverse=True)


def set_year_dates(fiscal_year, dates):
    """Create or move the department's dates of a year's items; ``dates`` maps Kind -> date.

    Every date is checked before any is written: a form with one bad date
    changes nothing.
    """
    problems = {}
    for kind, due in dates.items():
        problem = department_due_problem(fiscal_year, due)
        if problem is not None:
            problems[Kind(kind).value] = problem
    if problems:
        raise DueDateError(problems)
    connection = db.session.connection()
    for kind, due in dates.items():
        values = {"fiscal_year": fiscal_year, "kind": Kind(kind).value, "round_id": None}
        # Two department officers saving at once: one inserts, both updates land.
        if not insert_ignore(connection, ITEMS, {**values, "department_due": due}):
            connection.execute(update(ITEMS).where(
                ITEMS.c.fiscal_year == fiscal_year, ITEMS.c.kind == Kind(kind).value,
                ITEMS.c.round_id.is_(None)).values(department_due=due))
    db.session.expire_all()


def suggested_year_dates(fiscal_year):
    """Return Kind -> the department's date from the letters' calendar."""
    return {kind: default_dates(kind, fiscal_year)[1] for kind in YEAR_KINDS}


def suggested_province_due(item):
    """Return the province date the letters' calendar suggests, never after the department's."""
    number = item.round.number if item.round is not None else None
    suggested = default_dates(item.kind, item.fiscal_year, number)[0]
    return min(suggested, item.department_date)


def set_province_due(item, province_code, due):
    """Set a province's date for an item, or raise DueDateError (a round's: RoundError)."""
    if item.round is not None:
        rounds.set_province_due(item.round, province_code, due)
        return
    problem = province_due_problem(due, item.department_due, item.fiscal_year)
    if problem is not None:
        raise DueDateError({"due": problem})
    rounds.put_province_due(item.deadlines, DueItemDeadline, province_code, due)
