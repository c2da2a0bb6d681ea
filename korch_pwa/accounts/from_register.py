"""Accounts for committee members, made from the register in one go, with their slips.

A district or province makes accounts for a whole area's committees in one
request, in a handful of statements (accounts/bulk.py).
"""

from sqlalchemy import bindparam, func, select, update

from ..auth.models import User, UserScope
from ..committees.models import KORCH, AppointmentOrder, Committee, CommitteeMember
from ..domain import delegation
from ..domain.roles import covering_codes
from ..errors import ServiceError
from ..extensions import db
from ..org.models import Area
from .bulk import Holder, NewAccount, create_accounts, issue_codes
from .services import now


def current_members(prefix):
    """Return the current-term members of every ศอช.ต. under ``prefix``, by area then order.

    The current term of a committee is its latest order (the later entry wins a
    same-day tie), as ``Committee.current_order`` says; here for all at once.
    """
    rows = db.session.execute(
        select(AppointmentOrder.id, AppointmentOrder.order_date, Committee.area_code)
        .join(Committee, Committee.id == AppointmentOrder.committee_id)
        .where(Committee.kind == KORCH, func.length(Committee.area_code) == 6,
               Committee.area_code.startswith(prefix, autoescape=True)))
    latest = {}
    for order_id, order_date, area_code in rows:
        if area_code not in latest or (order_date, order_id) > latest[area_code][:2]:
            latest[area_code] = (order_date, order_id, area_code)
    area_of_order = {order_id: area for (_, order_id, area) in latest.values()}
    if not area_of_order:
        return []
    members = db.session.scalars(select(CommitteeMember).where(
        CommitteeMember.order_id.in_(area_of_order)).order_by(CommitteeMember.id))
    return sorted(((area_of_order[m.order_id], m) for m in members), key=lambda r: r[0])


def departed_accounts(subdistrict_code):
    """Return member accounts of a subdistrict that no current-term member holds.

    They are offered for deactivation: the person's term ended, or the
    officer took them off the register.
    """
    held = {m.user_id for _, m in current_members(subdistrict_code) if m.user_id}
    accounts = db.session.scalars(
        select(User).where(User.role == "member", User.active.is_(True),
                           User.scopes.any(UserScope.area_code == subdistrict_code))
        .order_by(User.username)).unique()
    return [user for user in accounts if user.id not in held]


def make_accounts(actor, members):
    """Give each ``(area code, CommitteeMember)`` an account and a one-time code; return Slips.

    A member without an account gets one (username "<area code>-<n>", role
    member, their subdistrict); a member who has one gets a new code, which
    stops their earlier one. Members of areas the actor does not manage, and
    deactivated accounts, are left out (the caller checked the area; this is
    the second lock).
    """
    members = [(code, m) for code, m in members
               if delegation.may_manage(actor.role, actor.scope_codes, "member", [code])]
    existing = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_([m.user_id for _, m in members if m.user_id]))).unique()}
    members = [(code, m) for code, m in members
               if not m.user_id or (m.user_id in existing and existing[m.user_id].active)]
    if not members:
        return []
    moment = now()
    fresh = [m for _, m in members if not m.user_id]
    made = create_accounts(
        [NewAccount(m.display_name, m.position, "member", (code,))
         for code, m in members if not m.user_id], moment,
        extra=lambda index: {"from_register": fresh[index].id})
    if made:
        members_table = CommitteeMember.__table__
        db.session.execute(
            update(members_table)
            .where(members_table.c.id == bindparam("member_id"), members_table.c.user_id.is_(None))
            .values(user_id=bindparam("account_id")),
            [{"member_id": m.id, "account_id": h.user_id} for m, h in zip(fresh, made)])
        linked = db.session.scalar(select(func.count()).select_from(members_table).where(
            members_table.c.user_id.in_([h.user_id for h in made])))
        if linked != len(made):
            # Another request gave some of these members an account first (its
            # usernames differed): this one's accounts would belong to nobody.
            raise ServiceError("accounts_busy")
    holder_of = {m.id: h for m, h in zip(fresh, made)}
    holders = []
    for code, member in members:
        if member.id in holder_of:
            holders.append(holder_of[member.id])
        else:
            user = existing[member.user_id]
            holders.append(Holder(user.id, user.username, member.display_name,
                                  member.position, code, False,
                                  "activate" if user.last_login_at is None else "reset"))
    slips = issue_codes(actor, holders, moment)
    db.session.expire_all()
    return slips


def area_labels(codes):
    """Return {area code: "ต.… อ.… จ.…"} for the slips, in one query (None: the country)."""
    codes = set(codes)
    wanted = {above for c in codes if c for above in covering_codes(c)}
    names = dict(db.session.execute(
        select(Area.code, Area.name_th).where(Area.code.in_(wanted))).all())
    labels = {None: "ทั้งประเทศ"}
    for code in codes - {None}:
        parts = [f"{mark}{names.get(code[:n], code[:n])}"
                 for mark, n in (("ต.", 6), ("อ.", 4), ("จ.", 2)) if n <= len(code)]
        labels[code] = " ".join(parts)
    return labels
