"""The login throttle's counters in the app's own database (the default store).

The same two methods as the ``limits`` storages the throttle also runs on
(Redis in production): ``incr`` is one atomic upsert, so workers racing the
same key each see a different count.
"""

import time

from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .models import RateLimitCounter

INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}


class DatabaseStore:
    """Fixed-window counters in ``rate_limit_counters``, through a SQLAlchemy session.

    Each call commits the session: a count must stand even when the login it
    counts fails, and the session's transaction must not hold SQLite's write
    lock while the password hash is computed.
    """

    def __init__(self, session, clock=time.time):
        self.session = session
        self.clock = clock

    def incr(self, key, expiry, amount=1):
        """Add ``amount`` to the key's count (a new window if it expired); return the count."""
        now = self.clock()
        table = RateLimitCounter.__table__
        insert = INSERTS[self.session.get_bind().dialect.name](table)
        expired = table.c.expires_at <= now
        statement = insert.values(key=key, count=max(amount, 0), expires_at=now + expiry)
        statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={
            "count": case((expired, max(amount, 0)), else_=table.c.count + amount),
            "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
        }).returning(table.c.count)
        count = self.session.execute(statement).scalar_one()
        self._drop_ended(now)
        self.session.commit()
        return count

    def _drop_ended(self, now):
        """Delete some rows whose window ended a while ago (dead weight).

        SKIP LOCKED: two logins clearing the same old rows in opposite order
        would otherwise deadlock on PostgreSQL (SQLite has one writer at a time
        and ignores it). A hundred at a time keeps every login short.
        """
        ended = (select(RateLimitCounter.key).where(RateLimitCounter.expires_at < now - 60)
                 .limit(100).with_for_update(skip_locked=True))
        self.session.execute(delete(RateLimitCounter).where(RateLimitCounter.key.in_(ended)))

    def get_expiry(self, key):
        """Return when the key's window ends (now if it has none)."""
        expires = self.session.scalar(select(RateLimitCounter.expires_at).where(
            RateLimitCounter.key == key))
        self.session.commit()
        return expires if expires is not None else self.clock()

