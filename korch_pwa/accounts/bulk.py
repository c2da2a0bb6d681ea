"""Many accounts and codes in a handful of statements, whatever the number of people.

Used by accounts from the register (a province's 3,000 members) and by the
officers' spreadsheet: rows go in with ``executemany`` instead of an ORM
object per person. Each person gets a one-time code; the codes are handed
back once, for the slips, and only their HMACs are kept.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import insert, select, update

from ..auth.models import User, UserScope
from ..domain import account_codes
from ..domain.limits import FULL_NAME_MAX, POSITION_MAX
from ..extensions import db
from .audit import client_address
from .models import AccountCode, AuditEvent
from .services import NO_PASSWORD, now

# The username prefix of a country-wide account (it has no area code).
COUNTRY_PREFIX = "dept"


@dataclass
class Slip:
    """What one person needs to log in the first time: printed, shared, then thrown away."""

    full_name: str
    position: str
    username: str
    code: str
    area_code: str | None
    expires_at: datetime
    new: bool  # a new account (else a new code for an existing one)


@dataclass
class NewAccount:
    """An account to make: who, which role over which areas, and its username if chosen."""

    full_name: str
    position: str
    role: str
    scopes: tuple
    username: str | None = None

    @property
    def prefix(self):
        """Return the prefix of a derived username: the first area code."""
        return self.scopes[0] if self.scopes else COUNTRY_PREFIX


@dataclass
class Holder:
    """An account that gets a code: its id and what its slip and audit row say."""

    user_id: int
    username: str
    full_name: str
    position: str
    area_code: str | None
    new: bool
    purpose: str = "activate"
    created: dict | None = None  # the "created" audit details of a new account


def _highest_numbers(prefixes):
    """Return {prefix: the highest n of usernames "<prefix>-<n>"} in one query."""
    highest = {prefix: 0 for prefix in prefixes}
    if not prefixes:
        return highest
    common = min(prefixes, key=len)
    while not all(p.startswith(common) for p in prefixes):
        common = common[:-1]
    for name in db.session.scalars(select(User.username).where(
            User.username.startswith(common, autoescape=True))):
        prefix, _, number = name.rpartition("-")
        if prefix in highest and number.isdigit():
            highest[prefix] = max(highest[prefix], int(number))
    return highest


def create_accounts(people, moment, extra=None):
    """Insert ``people`` (NewAccounts) without passwords; return their Holders, in order.

    Usernames not chosen are "<first area code>-<n>" with the next numbers
    (never the person's name: names are personal data, and repeat). A
    username taken meanwhile makes the INSERT fail, and the caller's
    transaction with it. ``extra(index)`` adds details to a "created" row.
    """
    if not people:
        return []
    numbers = _highest_numbers({p.prefix for p in people if not p.username})
    usernames = []
    for person in people:
        if person.username:
            usernames.append(person.username)
        else:
            numbers[person.prefix] += 1
            usernames.append(f"{person.prefix}-{numbers[person.prefix]:02d}")
    made = db.session.execute(insert(User.__table__).returning(
        User.__table__.c.id, User.__table__.c.username), [
        {"username": username, "password_hash": NO_PASSWORD,
         "full_name": person.full_name[:FULL_NAME_MAX],
         "position": person.position[:POSITION_MAX], "role": person.role, "locale": "th",
         "active": True, "session_epoch": 0, "created_at": moment}
        for person, username in zip(people, usernames)])
    ids = {username: user_id for user_id, username in made}
    scopes = [{"user_id": ids[username], "area_code": code}
              for person, username in zip(people, usernames) for code in person.scopes]
    if scopes:
        db.session.execute(insert(UserScope.__table__), scopes)
    return [Holder(ids[username], username, person.full_name, person.position,
                   person.scopes[0] if person.scopes else None, True,
                   created={"role": person.role, "areas": list(person.scopes),
                            "username": username, **(extra(index) if extra else {})})
            for index, (person, username) in enumerate(zip(people, usernames))]


def issue_codes(actor, holders, moment):
    """Give each Holder a new one-time code (earlier unused ones stop); return Slips.

    Writes the codes' HMACs and the audit rows (created, code issued) with
    one statement each.
    """
    if not holders:
        return []
    expires = moment + account_codes.CODE_LIFETIME
    secret = current_app.config["SECRET_KEY"]
    again = [h.user_id for h in holders if not h.new]
    if again:
        db.session.execute(update(AccountCode).where(
            AccountCode.user_id.in_(again), AccountCode.used_at.is_(None),
            AccountCode.revoked_at.is_(None)).values(revoked_at=moment))
    slips, codes, events = [], [], []
    for holder in holders:
        code = account_codes.new_code()
        codes.append({"user_id": holder.user_id, "purpose": holder.purpose,
                      "code_hash": account_codes.code_hash(secret, code),
                      "issued_by": actor.id, "issued_at": moment, "expires_at": expires})
        if holder.created is not None:
            events.append(_event("created", actor, holder, moment, holder.created))
        events.append(_event("code_issued", actor, holder, moment,
                             {"purpose": holder.purpose, "expires": expires.isoformat()}))
        slips.append(Slip(holder.full_name, holder.position, holder.username, code,
                          holder.area_code, expires, holder.new))
    db.session.execute(insert(AccountCode.__table__), codes)
    db.session.execute(insert(AuditEvent.__table__), events)
    return slips


def _event(action, actor, holder, moment, details):
    """Return an audit row to insert with the others (audit.record, for many at once)."""
    return {"action": action, "actor_id": actor.id, "subject_id": holder.user_id,
            "area_code": holder.area_code, "ip": client_address(), "at": moment,
            "details": details}


def make_officers(actor, officers):
    """Create accounts for checked Officers (domain/officer_import.py); return Slips."""
    moment = now()
    people = [NewAccount(o.full_name, o.position, o.role, tuple(o.scopes), o.username)
              for o in officers]
    holders = create_accounts(people, moment,
                              extra=lambda index: {"from_file_row": officers[index].row})
    slips = issue_codes(actor, holders, moment)
    db.session.expire_all()
    return slips
