"""Sending a due item up, and the answer from above: send, return, accept.

Each step locks the sending's row, so that two officers acting at once
(or one tapping twice) make one step and the other is told what happened.
Operations flush; the request commits, notices included.
"""

from sqlalchemy import select, update

from ..auth.models import utcnow
from ..domain import due_items
from ..domain.deadlines import bangkok_date
from ..domain.due_items import Act, DispatchError, next_state
from ..errors import FieldProblems, ServiceError
from ..extensions import db
from ..inserts import insert_ignore
from ..notifications.services import notify
from ..org.models import Area
from . import snapshots
from .models import Dispatch, DispatchEvent

DISPATCHES = Dispatch.__table__


def dispatch_of(item, area_code, lock=False):
    """Return an area's sending of an item, or None when it never sent it."""
    query = select(Dispatch).where(Dispatch.due_item_id == item.id,
                                   Dispatch.area_code == area_code)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def _notice(event, item, dispatch, actor, comment=""):
    params = {"area": dispatch.area_code, "item": item.kind, "year": item.fiscal_year,
              "number": item.round.number if item.round is not None else None,
              "comment": comment}
    notify(db.session.connection(), event, f"dispatch-{dispatch.id}", dispatch.version,
           dispatch.area_code, params, f"/due/item/{item.id}/{dispatch.area_code}", actor.id)


def send(item, area_code, actor, now=None, taken=None):
    """Send an area's item with a snapshot of what it holds now; return the sending.

    ``taken``: what is sent, when the caller froze it (a district's report).
    """
    now = now or utcnow()
    if taken is None:
        if not due_items.sent_from_item_page(item.kind, area_code):
            raise ServiceError("not_found")
        taken = snapshots.snapshot(item, area_code)
    # The first sending inserts the row; a second officer's insert at the
    # same moment does nothing, and its lock below sees the row as sent.
    inserted = insert_ignore(db.session.connection(), DISPATCHES, {
        "due_item_id": item.id, "area_code": area_code, "state": "sent",
        "first_sent_at": now, "sent_at": now, "sent_by": actor.id, "snapshot": taken,
        "comment": "", "version": 1})
    dispatch = dispatch_of(item, area_code, lock=True)
    if not inserted:
        try:
            dispatch.state = next_state(dispatch.state, Act.SEND).value
        except DispatchError:
            raise ServiceError("item_already_sent") from None
        dispatch.sent_at, dispatch.sent_by, dispatch.snapshot = now, actor.id, taken
        dispatch.version += 1
    dispatch.events.append(DispatchEvent(act=Act.SEND.value, at=now, by=actor.id,
                                         snapshot=taken))
    db.session.flush()
    _notice("item_sent", item, dispatch, actor)
    return dispatch


def decide(item, area_code, act, comment, actor, version, now=None, reasons=None):
    """Accept or return an area's sending seen at ``version``; return the sending.

    ``reasons``: for a district's round results, {subdistrict code: why it
    is accepted without an approved result}; every one not approved needs one.
    """
    act = Act(act)
    comment = (comment or "").strip()
    if act == Act.RETURN and not comment:
        raise ServiceError("return_item_reason", field="comment")
    dispatch = dispatch_of(item, area_code, lock=True)
    if dispatch is None:
        raise ServiceError("not_found")
    if dispatch.version != version:
        raise ServiceError("item_changed")
    try:
        dispatch.state = next_state(dispatch.state, act).value
    except DispatchError:
        raise ServiceError("item_changed") from None
    exceptions = None
    if act == Act.ACCEPT and round_results_of_district(item, area_code):
        exceptions = _accept_round(item, area_code, reasons or {}, actor, now)
    dispatch.decided_at, dispatch.decided_by = now or utcnow(), actor.id
    dispatch.comment, dispatch.exceptions = comment, exceptions
    dispatch.version += 1
    dispatch.events.append(DispatchEvent(
        act=act.value, at=dispatch.decided_at, by=actor.id, comment=comment,
        snapshot={"exceptions": exceptions} if exceptions else None))
    if act == Act.RETURN and due_items.Kind(item.kind) == due_items.Kind.PROGRESS_REPORT \
            and len(area_code) == 4:
        _reopen_report(area_code, item.fiscal_year)
    db.session.flush()
    _notice("item_returned" if act == Act.RETURN else "item_accepted", item, dispatch,
            actor, comment)
    return dispatch


def round_results_of_district(item, area_code):
    """Return True for a district's sending of a round's results."""
    return due_items.Kind(item.kind) == due_items.Kind.ROUND_RESULTS and len(area_code) == 4


def _accept_round(item, district_code, reasons, actor, now):
    """Check the exceptions against today's statuses and lock the round for the district.

    Once the province accepts, the district can no longer reopen an approved
    assessment of the round (the DistrictAcceptance the review checks).
    """
    from ..reports.models import DistrictAcceptance

    statuses = snapshots.round_statuses(item, district_code)
    problems = due_items.exception_problems(statuses, reasons)
    if problems:
        raise FieldProblems("exceptions_missing",
                            {f"exception-{code}": m for code, m in problems.items()})
    insert_ignore(db.session.connection(), DistrictAcceptance.__table__, {
        "round_id": item.round_id, "district_code": district_code, "accepted_by": actor.id,
        "accepted_at": now or utcnow()})
    return due_items.exceptions_of(statuses, reasons) or None


def _reopen_report(district_code, fiscal_year):
    """A returned progress report is the district's to correct again."""
    from ..reports.models import DistrictReport

    db.session.execute(update(DistrictReport).where(
        DistrictReport.district_code == district_code,
        DistrictReport.fiscal_year == fiscal_year).values(status="draft"))


def senders_of(province_code):
    """Return the areas that send to ``province_code`` (its districts), or the provinces."""
    if province_code:
        query = select(Area).where(Area.level == "district",
                                   Area.parent_code == province_code)
    else:
        query = select(Area).where(Area.level == "province")
    return list(db.session.scalars(query.order_by(Area.code)))


def standings(item, areas, today):
    """Return (area, sending or None, Standing) for each area sending ``item``."""
    codes = [a.code for a in areas]
    sent = {d.area_code: d for d in db.session.scalars(select(Dispatch).where(
        Dispatch.due_item_id == item.id, Dispatch.area_code.in_(codes)))} if codes else {}
    rows = []
    for area in areas:
        dispatch = sent.get(area.code)
        due = due_items.due_for(area.code, item.province_due(area.code[:2]),
                                item.department_date)
        first = bangkok_date(dispatch.first_sent_at) if dispatch else None
        rows.append((area, dispatch, due_items.standing(
            dispatch.state if dispatch else None, first, due, today)))
    return rows
