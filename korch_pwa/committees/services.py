"""Operations on the register: committees, orders, members, meetings, ก.บ.ต., activities.

Operations flush; the request commits (or rolls back on ServiceError).
"""

from sqlalchemy import select

from ..auth.models import utcnow
from ..domain.register import meetings_check
from ..domain.thai_dates import fiscal_year_bounds
from ..errors import ServiceError
from ..extensions import db
from ..files.services import has_upload, store_upload
from ..org.models import Area
from ..org.services import area_or_none, children
from .models import (KORCH, AppointmentOrder, Committee, CommitteeMember, ExportLog,
                     Meeting, StrongSubdistrictActivity)

QUALIFIED = "ผู้ทรงคุณวุฒิ"
MEMBER_FIELDS = ("title", "first_name", "last_name", "position", "organisation", "phone")


def find_committee(area_code, kind=KORCH):
    """Return the committee of ``kind`` for an area, or None."""
    return db.session.scalar(select(Committee).where(Committee.kind == kind,
                                                     Committee.area_code == area_code))


def committee_for(area_code, kind=KORCH):
    """Return the area's committee, creating it on first use."""
    committee = find_committee(area_code, kind)
    if committee is None:
        committee = Committee(kind=kind, area_code=area_code)
        db.session.add(committee)
        db.session.flush()
    return committee


def register_areas(code):
    """Return the area and, above subdistrict level, the areas directly below it."""
    area = area_or_none(code)
    if area is None:
        return []
    return [area] + (children(code) if len(code) < 6 else [])


def register_rows(areas, be_year):
    """Return (area, committee, current order, MeetingCheck) for each area."""
    codes = [a.code for a in areas]
    committees = {c.area_code: c for c in db.session.scalars(
        select(Committee).where(Committee.kind == KORCH, Committee.area_code.in_(codes)))}
    first, last = fiscal_year_bounds(be_year)
    dates = {}
    if committees:
        query = select(Meeting.committee_id, Meeting.held_on).where(
            Meeting.committee_id.in_([c.id for c in committees.values()]),
            Meeting.held_on.between(first, last))
        for committee_id, held_on in db.session.execute(query):
            dates.setdefault(committee_id, []).append(held_on)
    rows = []
    for area in areas:
        committee = committees.get(area.code)
        held = dates.get(committee.id, []) if committee else []
        rows.append((area, committee, committee and committee.current_order,
                     meetings_check(held, be_year)))
    return rows


def record_order(committee, data, upload, user, copy_members=False):
    """Record a new appointment order (a new term), optionally copying the members."""
    previous = committee.current_order
    order = AppointmentOrder(committee=committee, number=data["number"],
                             order_date=data["order_date"], term_start=data.get("term_start"),
                             term_end=data.get("term_end"), created_by=user.id)
    db.session.add(order)
    if has_upload(upload):
        order.file = store_upload(upload, committee.area_code, user)
    if copy_members and previous is not None:
        order.members = [CommitteeMember(**{f: getattr(m, f) for f in MEMBER_FIELDS},
                                         korch_member_id=m.korch_member_id,
                                         user_id=m.user_id)
                         for m in previous.members]
    db.session.add(order)
    db.session.flush()
    db.session.expire(committee, ["orders"])
    return order


def current_order_or_error(committee):
    """Return the committee's current order; raise no_order when there is none."""
    order = committee.current_order if committee else None
    if order is None:
        raise ServiceError("no_order")
    return order


def _check_current(member):
    """Raise past_term unless ``member`` belongs to its committee's current term."""
    if member.order.committee.current_order is not member.order:
        raise ServiceError("past_term")


def add_member(committee, data):
    """Add a member to the committee's current term."""
    order = current_order_or_error(committee)
    member = CommitteeMember(order=order, **{f: data.get(f) or "" for f in MEMBER_FIELDS})
    db.session.add(member)
    db.session.flush()
    return member


def update_member(member, data):
    """Change a current-term member's register details."""
    _check_current(member)
    for name in MEMBER_FIELDS:
        setattr(member, name, data.get(name) or "")
    db.session.flush()
    return member


def remove_member(member):
    """Take a member off the current term."""
    _check_current(member)
    db.session.delete(member)
    db.session.flush()


def add_meeting(committee, data, upload, user):
    """Record a meeting, with its minutes if a file was chosen."""
    meeting = Meeting(committee=committee, held_on=data["held_on"], title=data.get("title") or "",
                      attendees=data["attendees"], created_by=user.id)
    db.session.add(meeting)
    if has_upload(upload):
        meeting.minutes_file = store_upload(upload, committee.area_code, user)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def delete_meeting(meeting):
    """Delete a meeting recorded by mistake."""
    db.session.delete(meeting)
    db.session.flush()


def set_qualified_persons(kbt_order, korch_member_ids):
    """Make the chosen current ศอช.ต. members the ก.บ.ต. order's qualified persons.

    Each is a CommitteeMember on the ก.บ.ต. order pointing at the ศอช.ต.
    member, so the register shows who sits on both.
    """
    korch = find_committee(kbt_order.committee.area_code, KORCH)
    current = {m.id: m for m in (korch.current_order.members
                                 if korch and korch.current_order else [])}
    wanted = set(korch_member_ids)
    if not wanted <= set(current):
        raise ServiceError("not_korch_member", "korch_member")
    for member in list(kbt_order.members):
        if member.korch_member_id is not None and member.korch_member_id not in wanted:
            kbt_order.members.remove(member)
    have = {m.korch_member_id for m in kbt_order.members}
    for member_id in sorted(wanted - have):
        source = current[member_id]
        kbt_order.members.append(CommitteeMember(
            title=source.title, first_name=source.first_name, last_name=source.last_name,
            # No phone copied: it stays on the ศอช.ต. row the link points to (PDPA).
            position=QUALIFIED, organisation=source.organisation, phone="",
            korch_member_id=member_id))
    db.session.flush()
    return kbt_order


def activities_of(subdistrict_code, be_year):
    """Return the Strong Subdistrict activities of a subdistrict in a fiscal year."""
    return list(db.session.scalars(select(StrongSubdistrictActivity).where(
        StrongSubdistrictActivity.subdistrict_code == subdistrict_code,
        StrongSubdistrictActivity.fiscal_year == be_year).order_by(
        StrongSubdistrictActivity.id)))


def save_activity(activity, data, subdistrict_code=None, user=None):
    """Create (``activity`` None) or change a Strong Subdistrict activity."""
    if activity is None:
        activity = StrongSubdistrictActivity(subdistrict_code=subdistrict_code,
                                             created_by=user.id)
        db.session.add(activity)
    activity.fiscal_year = data["fiscal_year"]
    activity.title = data["title"]
    activity.in_plan = bool(data.get("in_plan"))
    db.session.flush()
    return activity


def delete_activity(activity):
    """Delete an activity entered by mistake."""
    db.session.delete(activity)
    db.session.flush()


def existing_order_keys(area_codes):
    """Return (area, number, date) of the ศอช. orders already recorded for ``area_codes``."""
    query = select(Committee.area_code, AppointmentOrder.number,
                   AppointmentOrder.order_date).join(AppointmentOrder.committee).where(
        Committee.kind == KORCH, Committee.area_code.in_(area_codes))
    return {tuple(row) for row in db.session.execute(query)}


def known_area_codes(codes):
    """Return which of ``codes`` are real areas."""
    codes = [c for c in codes if c]
    if not codes:
        return set()
    return set(db.session.scalars(select(Area.code).where(Area.code.in_(codes))))


def apply_import(orders, user):
    """Write checked OrderRecords: one new order (term) per area with its members."""
    for record in orders:
        committee = committee_for(record.area_code)
        order = AppointmentOrder(committee=committee, number=record.order_number,
                                 order_date=record.order_date, term_start=record.term_start,
                                 term_end=record.term_end, created_by=user.id)
        order.members = [CommitteeMember(**member) for member in record.members]
        db.session.add(order)
    db.session.flush()
    return sum(len(r.members) for r in orders)


def register_members(prefix):
    """Return (area, order, member) for current ศอช. terms of areas under ``prefix``."""
    query = select(Committee).where(Committee.kind == KORCH,
                                    Committee.area_code.startswith(prefix)).order_by(
        Committee.area_code)
    rows = []
    for committee in db.session.scalars(query):
        order = committee.current_order
        for member in (order.members if order else []):
            rows.append((committee.area, order, member))
    return rows


def log_export(user, area_code, what):
    """Record that ``user`` exported ``what`` for ``area_code`` (PDPA)."""
    db.session.add(ExportLog(user_id=user.id, area_code=area_code, what=what))
    db.session.flush()


def log_view(user, area_code, what, moment=None):
    """Record that ``user`` saw ``what`` of ``area_code`` (PDPA), once a day each.

    An officer opens a committee's page many times a day while keeping its
    register; one row a day says who saw the phone numbers without burying
    the exports under page views.
    """
    moment = moment or utcnow()
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    seen = db.session.scalar(select(ExportLog.id).where(
        ExportLog.user_id == user.id, ExportLog.area_code == area_code,
        ExportLog.what == what, ExportLog.at >= start).limit(1))
    if seen is None:
        db.session.add(ExportLog(user_id=user.id, area_code=area_code, what=what, at=moment))
        db.session.flush()
