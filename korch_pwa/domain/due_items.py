"""What an area must send up, by when, and where each sending stands: plain rules.

A due item is one thing of one fiscal year that every district sends to
its province and every province to the department: the committee
register, copies of the appointment orders, a round's results, the
progress report. The department sets its date; each province sets an
earlier one for its districts.

A sending (a "dispatch") goes sent -> returned -> sent ... -> accepted.
Lateness is judged on the FIRST time an area sent the item, against the
date of the level it sends to: a district against its province's date, a
province against the department's. Being returned for a correction does
not make an area that sent on time late, as with assessments.
"""

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import NamedTuple

from .deadlines import LATE, timeliness
from .limits import EXCEPTION_REASON_MAX, is_blank, text_problem
from .messages import N_, Message
from .roles import Role, covers_country, in_scope
from .thai_dates import fiscal_year_bounds, to_ce


class Kind(str, Enum):
    """What is sent up."""

    REGISTER = "register"
    ORDER_COPIES = "order_copies"
    ROUND_RESULTS = "round_results"
    PROGRESS_REPORT = "progress_report"


KIND_LABELS = {
    Kind.REGISTER: N_("ทะเบียนข้อมูลคณะกรรมการ ศอช."),
    Kind.ORDER_COPIES: N_("สำเนาคำสั่งแต่งตั้ง ศอช.อ. ศอช.ต. และ ก.บ.ต."),
    Kind.ROUND_RESULTS: N_("ผลการประเมิน ศอช.ต. ครั้งที่ %(number)s"),
    Kind.PROGRESS_REPORT: N_("รายงานความก้าวหน้าการดำเนินงาน ศอช."),
}


# The letters' calendar (Ubon, fiscal year 2567; Lampang, 2568) as
# (month, day) for (the province's date, the department's date). The
# department's own dates are the ones it stores; the province's are what a
# province's form suggests.
DEFAULT_DATES = {
    Kind.REGISTER: ((11, 24), (11, 30)),
    Kind.ORDER_COPIES: ((11, 15), (11, 30)),
    Kind.PROGRESS_REPORT: ((6, 24), (6, 28)),
}
ROUND_DEFAULT_DATES = {1: ((11, 24), (11, 30)), 2: ((6, 24), (6, 28))}


def in_fiscal_year(fiscal_year, month, day):
    """Return the date of ``month``/``day`` inside B.E. fiscal year ``fiscal_year``.

    The fiscal year starts on 1 October of the year before: November of
    2567 is November 2023, June of 2567 is June 2024.
    """
    ce = to_ce(fiscal_year)
    return date(ce - 1 if month >= 10 else ce, month, day)


def default_dates(kind, fiscal_year, round_number=None):
    """Return (the province's suggested date, the department's date) for a kind."""
    pair = ROUND_DEFAULT_DATES[round_number] if kind == Kind.ROUND_RESULTS \
        else DEFAULT_DATES[Kind(kind)]
    return tuple(in_fiscal_year(fiscal_year, *month_day) for month_day in pair)


def department_due_problem(fiscal_year, due):
    """Return a Message when the department's date is outside its fiscal year, else None."""
    start, end = fiscal_year_bounds(fiscal_year)
    if due is None:
        return Message(N_("กรุณาระบุวันกำหนดส่ง"))
    if not start <= due <= end:
        return Message(N_("วันกำหนดส่งต้องอยู่ในปีงบประมาณ %(year)s (%(start)s – %(end)s)"),
                       {"year": fiscal_year, "start": start, "end": end})
    return None


# ---------------------------------------------------------------- sending


class State(str, Enum):
    """Where an area's sending of an item stands; no row means not sent."""

    SENT = "sent"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class Act(str, Enum):
    """What the sender or the receiver does."""

    SEND = "send"
    RETURN = "return"
    ACCEPT = "accept"


TRANSITIONS = {
    (None, Act.SEND): State.SENT,
    (State.RETURNED, Act.SEND): State.SENT,
    (State.SENT, Act.RETURN): State.RETURNED,
    (State.SENT, Act.ACCEPT): State.ACCEPTED,
}


class DispatchError(ValueError):
    """An act the sending's state does not allow."""

    def __init__(self, state, act):
        super().__init__(f"cannot {Act(act).value} an item that is {state or 'not sent'}")
        self.state = state
        self.act = Act(act)


def next_state(state, act):
    """Return the state after ``act`` (``state`` None: never sent), or raise DispatchError."""
    state = State(state) if state else None
    try:
        return TRANSITIONS[(state, Act(act))]
    except KeyError:
        raise DispatchError(state, act) from None


def sends_to(area_code):
    """Return the level an area sends to: a district its province, a province the department."""
    return {4: "province", 2: "department"}[len(area_code)]


def may_send(role, scopes, area_code):
    """Return True when the person sends ``area_code``'s items (its own office does)."""
    wanted = {4: Role.DISTRICT_OFFICER, 2: Role.PROVINCE_OFFICER}.get(len(area_code))
    return wanted is not None and Role(role) == wanted and in_scope(role, scopes, area_code)


def may_decide(role, scopes, area_code):
    """Return True when the person accepts or returns ``area_code``'s sending.

    The province decides on its districts, the department on the provinces.
    """
    role = Role(role)
    if len(area_code) == 4:
        return role == Role.PROVINCE_OFFICER and in_scope(role, scopes, area_code[:2])
    if len(area_code) == 2:
        return role == Role.DEPARTMENT and covers_country(role)
    return False


def sent_from_item_page(kind, area_code):
    """Return True when an area sends ``kind`` from the item's page, as a snapshot.

    A district's progress report is sent from the report page, where its
    texts are written; everything else from the item's page.
    """
    return Kind(kind) != Kind.PROGRESS_REPORT or len(area_code) == 2


def exception_problems(statuses, reasons):
    """Return {subdistrict code: Message} for each one not approved and given no reason.

    A province accepts a district's round results when every subdistrict is
    approved or named as an exception with its reason (a subdistrict with
    no committee, say), instead of waiting for ever.
    """
    problems = {}
    for code, status in sorted(statuses.items()):
        if status == "approved":
            continue
        reason = reasons.get(code) or ""
        if is_blank(reason):
            problems[code] = Message(N_("ตำบลนี้ยังไม่อนุมัติ กรุณาระบุเหตุผลที่รับผลโดยยกเว้นตำบลนี้"))
        elif text_problem(reason):
            problems[code] = Message(N_("ข้อความมีอักขระที่ระบบเก็บไม่ได้ กรุณาลบแล้วพิมพ์ใหม่"))
        elif len(reason.strip()) > EXCEPTION_REASON_MAX:
            problems[code] = Message(N_("ยาวเกินไป กรุณาย่อให้ไม่เกิน %(max)s ตัวอักษร"),
                                     {"max": EXCEPTION_REASON_MAX})
    return problems


def exceptions_of(statuses, reasons):
    """Return {code: reason} of the subdistricts accepted without an approved result."""
    return {code: reasons[code].strip() for code, status in sorted(statuses.items())
            if status != "approved" and not is_blank(reasons.get(code))}


def due_for(area_code, province_due, department_due):
    """Return the date an area's sending is judged against (None: none set)."""
    return province_due if len(area_code) == 4 else department_due


class Standing(NamedTuple):
    """An area's line for one item: its state, timeliness and days late."""

    state: str | None
    timeliness: str
    days_late: int


def standing(state, first_sent_on, due, today):
    """Return the Standing of an area's sending against ``due``.

    Days late count to the first sending, or to today while nothing is sent.
    """
    judged = timeliness(first_sent_on, due, today)
    days = 0
    if judged == LATE:
        days = ((first_sent_on or today) - due).days
    return Standing(state, judged, days)


# ---------------------------------------------------------------- order copies


@dataclass(frozen=True)
class OrderCheck:
    """One committee the order-copies checklist asks about."""

    area_code: str
    kind: str        # "korch" or "kbt"
    has_order: bool
    has_scan: bool

    @property
    def complete(self):
        """Return True when the current order and its scan are both in the system."""
        return self.has_order and self.has_scan


def order_checklist(district_codes, subdistrict_codes, orders):
    """Return the OrderCheck of every committee an area sends orders for.

    The Lampang letter asks for each district's ศอช.อ. order and, in each
    subdistrict, the ศอช.ต. and the ก.บ.ต. orders; a province sends those
    of all its districts. ``orders`` maps (kind, area code) to (has an
    order, its order has a scan) for the committees on record.
    """
    wanted = [("korch", code) for code in sorted(district_codes)]
    for code in sorted(subdistrict_codes):
        wanted += [("korch", code), ("kbt", code)]
    checks = []
    for kind, code in wanted:
        has_order, has_scan = orders.get((kind, code), (False, False))
        checks.append(OrderCheck(code, kind, bool(has_order), bool(has_order and has_scan)))
    return checks


def item_title(kind, round_number=None):
    """Return the Message naming an item ("ผลการประเมิน ศอช.ต. ครั้งที่ 1")."""
    kind = Kind(kind)
    return Message(KIND_LABELS[kind], {"number": round_number}
                   if kind == Kind.ROUND_RESULTS else {})
