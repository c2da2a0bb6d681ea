"""What the system holds about one person, for them to read and take away (PDPA s.30).

Everything keyed to the account: the account itself, the register entries
linked to it (with the phone number officers see), what was done to the
account and by whom, and who opened, exported or printed the register that
holds the person's entry.
"""

from sqlalchemy import select

from ..committees.models import AppointmentOrder, Committee, CommitteeMember, ExportLog
from ..domain.roles import covering_codes
from ..extensions import db
from .models import AuditEvent

HISTORY_MAX = 200  # newest events and accesses shown; older ones stay in the log


def register_entries(user):
    """Return (area code, AppointmentOrder, CommitteeMember) of the register entries of ``user``."""
    rows = db.session.execute(
        select(Committee.area_code, AppointmentOrder, CommitteeMember)
        .join(AppointmentOrder, AppointmentOrder.id == CommitteeMember.order_id)
        .join(Committee, Committee.id == AppointmentOrder.committee_id)
        .where(CommitteeMember.user_id == user.id)
        .order_by(AppointmentOrder.order_date.desc(), AppointmentOrder.id.desc()))
    return [tuple(row) for row in rows]


def account_events(user):
    """Return the newest audit events about ``user``'s account."""
    return db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id)
                              .order_by(AuditEvent.id.desc()).limit(HISTORY_MAX)).unique().all()


def register_accesses(area_codes):
    """Return who opened, exported or printed a register holding these areas, newest first.

    A row about a district or province covers every subdistrict in it.
    """
    holders = {above for code in area_codes for above in covering_codes(code)}
    if not holders:
        return []
    return db.session.scalars(select(ExportLog).where(ExportLog.area_code.in_(holders))
                              .order_by(ExportLog.id.desc()).limit(HISTORY_MAX)).unique().all()


def _text(value):
    """Return a date or time as ISO text, anything else as it is."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def as_json(user):
    """Return everything above as plain data, for the download."""
    entries = register_entries(user)
    return {
        "account": {key: _text(getattr(user, key)) for key in (
            "username", "full_name", "position", "role", "locale", "active", "created_at",
            "last_login_at")} | {"areas": user.scope_codes},
        "register": [{
            "area_code": code, "order_number": order.number,
            "order_date": _text(order.order_date), "term_start": _text(order.term_start),
            "term_end": _text(order.term_end), "title": member.title,
            "first_name": member.first_name, "last_name": member.last_name,
            "position": member.position, "organisation": member.organisation,
            "phone": member.phone} for code, order, member in entries],
        "account_events": [{
            "at": _text(event.at), "action": event.action,
            "by": event.actor.full_name if event.actor else None, "ip": event.ip}
            for event in account_events(user)],
        "register_accesses": [{
            "at": _text(row.at), "by": row.user.full_name, "area_code": row.area_code,
            "what": row.what} for row in register_accesses({c for c, _, _ in entries})],
    }
