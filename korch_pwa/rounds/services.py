"""Creating rounds and setting a province's due date."""

from sqlalchemy import select

from ..assessment.models import ProvinceDeadline, Round
from ..domain.messages import N_, Message
from ..domain.rounds import province_due_problem, round_problems
from ..errors import FieldProblems
from ..extensions import db


class RoundError(FieldProblems):
    """A round or due date that breaks the rules, with a Message per field."""

    def __init__(self, problems):
        super().__init__("invalid_round", problems)


def all_rounds(newest_first=True):
    """Return every round, newest first unless asked otherwise."""
    order = ((Round.fiscal_year.desc(), Round.number.desc()) if newest_first
             else (Round.fiscal_year, Round.number))
    return list(db.session.scalars(select(Round).order_by(*order)))


def create_round(fiscal_year, number, department_due):
    """Create a round, or raise RoundError."""
    problems = round_problems(fiscal_year, number, department_due)
    exists = db.session.scalar(select(Round).where(Round.fiscal_year == fiscal_year,
                                                   Round.number == number))
    if exists is not None:
        problems["number"] = Message(N_("มีครั้งที่ %(number)s ของปีงบประมาณ %(year)s แล้ว"),
                                     {"number": number, "year": fiscal_year})
    if problems:
        raise RoundError(problems)
    rnd = Round(fiscal_year=fiscal_year, number=number, department_due=department_due)
    db.session.add(rnd)
    db.session.flush()
    return rnd


def set_province_due(rnd, province_code, due):
    """Set or change a province's due date for a round, or raise RoundError."""
    problem = province_due_problem(due, rnd.department_due, rnd.fiscal_year)
    if problem is not None:
        raise RoundError({"due": problem})
    put_province_due(rnd.deadlines, ProvinceDeadline, province_code, due)


def put_province_due(deadlines, model, province_code, due):
    """Set a province's row among ``deadlines`` to ``due``, adding a ``model`` row if none."""
    for deadline in deadlines:
        if deadline.province_code == province_code:
            deadline.due = due
            break
    else:
        deadlines.append(model(province_code=province_code, due=due))
    db.session.flush()
