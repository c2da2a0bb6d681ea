"""Accounts managed by area: create, change, stop, restart, one-time codes, passwords.

Every operation checks the delegation rules itself (domain/delegation.py),
whatever the view did, and writes its audit row in the same transaction.
"""

from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import and_, exists, func, not_, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..auth.models import User, UserScope
from ..domain import account_codes, delegation
from ..domain.roles import covers_country
from ..errors import ServiceError
from ..extensions import db
from ..org.models import Area
from .audit import record
from .models import AccountCode

# A new account has no password until its person sets one with a code;
# werkzeug never matches a hash without its "method$salt$hash" shape.
NO_PASSWORD = "!"


def now():
    """Return the current time (aware UTC)."""
    return datetime.now(timezone.utc)


def _aware(moment):
    """Return ``moment`` as aware UTC (SQLite gives naive UTC back)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def managed_by(actor):
    """Return a WHERE clause: accounts ``actor`` may see and change."""
    roles = [role.value for role in delegation.assignable_roles(actor.role)]
    clause = User.role.in_(roles)
    if covers_country(actor.role):
        return clause
    inside = or_(*[UserScope.area_code.startswith(code) for code in actor.scope_codes]) \
        if actor.scope_codes else False
    has_scope = exists().where(UserScope.user_id == User.id)
    outside = exists().where(UserScope.user_id == User.id, not_(inside))
    return and_(clause, has_scope, not_(outside))


def may_manage(actor, user):
    """Return True when ``actor`` may see and change ``user``'s account."""
    return delegation.may_manage(actor.role, actor.scope_codes, user.role, user.scope_codes)


def managed_account(actor, user_id):
    """Return the account ``user_id`` if ``actor`` manages it, else raise not_found."""
    user = db.session.get(User, user_id)
    if user is None or not may_manage(actor, user):
        raise ServiceError("not_found")
    return user


def check_assignment(actor, role, scopes):
    """Raise when ``actor`` may not give ``role`` over ``scopes`` or an area does not exist."""
    problems = delegation.assignment_problems(actor.role, actor.scope_codes, role, scopes)
    if problems:
        raise ServiceError("bad_role" if "role" in problems else
                           "bad_areas" if "scopes" in problems else "area_outside",
                           field="role" if "role" in problems else "areas")
    found = set(db.session.scalars(select(Area.code).where(Area.code.in_(scopes))))
    missing = [code for code in scopes if code not in found]
    if missing:
        raise ServiceError("no_such_area", field="areas", detail={"codes": ", ".join(missing)})


def next_username(prefix):
    """Return ``<prefix>-<n>`` with the next free number (two digits at least)."""
    taken = db.session.scalars(select(User.username).where(
        User.username.startswith(f"{prefix}-", autoescape=True)))
    numbers = [int(name.rsplit("-", 1)[1]) for name in taken
               if name.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:02d}"


def username_taken(username):
    """Return True when ``username`` (any case) belongs to someone."""
    return db.session.scalar(select(func.count()).where(
        func.lower(User.username) == username.lower())) > 0


def create_account(actor, full_name, position, role, scopes, username=None):
    """Create an account without a password; its person sets one with a code.

    The username is the one given, or derived from the area code and a
    number (never from the name: names are personal data, and repeat).
    """
    check_assignment(actor, role, scopes)
    if username and username_taken(username):
        raise ServiceError("username_taken", field="username")
    for _ in range(5):
        name = username or next_username(scopes[0] if scopes else "dept")
        try:
            with db.session.begin_nested():
                user = User(username=name, full_name=full_name, position=position, role=role,
                            password_hash=NO_PASSWORD,
                            scopes=[UserScope(area_code=code) for code in scopes])
                db.session.add(user)
            break
        except IntegrityError:
            # Another officer took the same next number at the same moment.
            if username:
                raise ServiceError("username_taken", field="username") from None
    else:
        raise ServiceError("username_taken", field="username")
    record("created", user, {"role": role, "areas": list(scopes), "username": name},
           actor=actor)
    return user


def update_account(actor, user, full_name, position, role, scopes):
    """Change name, position, role and areas; return what changed ({field: [old, new]})."""
    if not may_manage(actor, user):
        raise ServiceError("not_found")
    check_assignment(actor, role, scopes)
    changes = {}
    for field, value in (("full_name", full_name), ("position", position), ("role", role)):
        if getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    if sorted(user.scope_codes) != sorted(scopes):
        changes["areas"] = [user.scope_codes, sorted(scopes)]
        user.scopes = [UserScope(area_code=code) for code in sorted(scopes)]
    if "role" in changes or "areas" in changes:
        # What the person may see changed: sessions made under the old rights end.
        user.end_sessions()
    if changes:
        db.session.flush()
        record("changed", user, changes, actor=actor)
    return changes


def set_active(actor, user, active):
    """Deactivate (sessions end at once) or reactivate an account."""
    if not may_manage(actor, user):
        raise ServiceError("not_found")
    if user.active == active:
        return False
    if active:
        user.active = True
    else:
        user.deactivate()
    record("reactivated" if active else "deactivated", user, actor=actor)
    return True


def issue_code(actor, user, purpose=None):
    """Issue a one-time code for ``user``; earlier unused codes stop working.

    Returns the code itself, which is shown once and never stored.
    """
    if not may_manage(actor, user):
        raise ServiceError("not_found")
    purpose = purpose or ("activate" if user.last_login_at is None else "reset")
    moment = now()
    db.session.execute(update(AccountCode).where(
        AccountCode.user_id == user.id, AccountCode.used_at.is_(None),
        AccountCode.revoked_at.is_(None)).values(revoked_at=moment))
    code = account_codes.new_code()
    db.session.add(AccountCode(
        user_id=user.id, purpose=purpose, issued_by=actor.id, issued_at=moment,
        code_hash=account_codes.code_hash(current_app.config["SECRET_KEY"], code),
        expires_at=moment + account_codes.CODE_LIFETIME))
    record("code_issued", user, {"purpose": purpose,
                                 "expires": (moment + account_codes.CODE_LIFETIME).isoformat()},
           actor=actor)
    return code


def redeem_code(username, typed_code, password):
    """Set ``password`` for ``username`` with a one-time code; return the user.

    The code is taken with one conditional UPDATE, so two workers racing the
    same code can use it only once. Raises ``bad_code`` for anything wrong
    (unknown person, wrong, used, revoked or expired code): saying which
    would help a guesser.
    """
    code = account_codes.normalise(typed_code)
    user = db.session.scalar(select(User).where(
        func.lower(User.username) == (username or "").strip().lower()))
    if code is None or user is None or not user.active:
        raise ServiceError("bad_code", field="code")
    moment = now()
    digest = account_codes.code_hash(current_app.config["SECRET_KEY"], code)
    taken = db.session.execute(update(AccountCode).where(
        AccountCode.user_id == user.id, AccountCode.code_hash == digest,
        AccountCode.used_at.is_(None), AccountCode.revoked_at.is_(None),
        AccountCode.expires_at > moment).values(used_at=moment)
        .returning(AccountCode.purpose)).first()
    if taken is None:
        raise ServiceError("bad_code", field="code")
    user.set_password(password)
    record("password_set" if taken.purpose == "activate" else "password_reset", user,
           actor=user)
    return user


def change_password(user, current, new):
    """Change one's own password after checking the current one; other sessions end."""
    if not user.check_password(current):
        raise ServiceError("wrong_password", field="current")
    user.set_password(new)
    record("password_changed", user, actor=user)


def code_state(user):
    """Return the newest code of ``user`` as (purpose, issued_at, expires_at, state) or None.

    State: ``waiting`` (usable), ``used``, ``revoked`` or ``expired``.
    """
    code = db.session.scalars(select(AccountCode).where(AccountCode.user_id == user.id)
                              .order_by(AccountCode.id.desc()).limit(1)).first()
    if code is None:
        return None
    state = ("used" if code.used_at else "revoked" if code.revoked_at
             else "expired" if _aware(code.expires_at) <= now() else "waiting")
    return code.purpose, _aware(code.issued_at), _aware(code.expires_at), state


def mark_login(user):
    """Note a successful login: when (for "never logged in") and in the audit log."""
    user.last_login_at = now()
    record("login", user, actor=user)


def note_failed_login(typed_username, user, reason):
    """Write a failed login to the audit log, in its own commit (the page shows an error)."""
    record("login_failed", user, {"username": (typed_username or "")[:80], "reason": reason},
           actor=None)
    db.session.commit()
