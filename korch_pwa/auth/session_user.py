"""The logged-in person as every request reads them: one light query.

Flask-Login loads the person on every request, and for a phone's sync the
ORM load (the user with its areas, identity map, instrumented instance) was
a fifth of the request. A ``SessionUser`` holds what the checks need (role,
areas, active, session epoch, the names pages show), read by one Core
statement; the stored ``User`` is loaded only when a request asks for more
(``record``), for instance to change the account. Nothing is cached between
requests: a deactivated or logged-out person is refused on the next one.
A sync does without even this statement: it reads the person in its own
first statement (``claims``).
"""

from sqlalchemy import bindparam, select

from ..driver import comma_list
from ..extensions import db
from .models import AccessRules, User, UserScope

USERS = User.__table__
SCOPES = UserScope.__table__

# Grouped by the primary key, so the other user columns may be selected as they are.
PERSON = (select(USERS.c.id, USERS.c.username, USERS.c.full_name, USERS.c.role,
                 USERS.c.locale, USERS.c.active, USERS.c.session_epoch,
                 comma_list(SCOPES.c.area_code).label("scopes"))
          .select_from(USERS.outerjoin(SCOPES, SCOPES.c.user_id == USERS.c.id))
          .where(USERS.c.id == bindparam("user_id"))
          .group_by(USERS.c.id))


def scope_codes(areas):
    """Return the sorted area codes of a person's areas read as one comma list."""
    return sorted(areas.split(",")) if areas else []


class SessionUser(AccessRules):
    """The person a request acts for; ``record`` is the stored User, loaded on demand."""

    def __init__(self, row):
        self.id, self.username, self.full_name = row.id, row.username, row.full_name
        self.role, self.locale, self.active = row.role, row.locale, row.active
        self.session_epoch = row.session_epoch or 0
        self.scope_codes = scope_codes(row.scopes)
        self._record = None

    @property
    def record(self):
        """Return the stored User, to change the account or read what is not held here."""
        if self._record is None:
            self._record = db.session.get(User, self.id)
        return self._record

    def __getattr__(self, name):
        """Read anything else (position, created_at...) from the stored User."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.record, name)

    def __repr__(self):
        return f"<SessionUser {self.id} {self.username}>"


def person(user_id):
    """Return the SessionUser with ``user_id``, or None."""
    row = db.session.connection().execute(PERSON, {"user_id": user_id}).first()
    return SessionUser(row) if row is not None else None
