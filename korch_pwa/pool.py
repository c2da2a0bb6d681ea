"""Check a pooled database connection before use only when it has sat idle a while.

SQLAlchemy's ``pool_pre_ping`` pings the server on every checkout: one
more round trip, and the driver's autocommit switched off and on around
it, for every request. On PostgreSQL that was 11% of a sync's server CPU
(``bench/sync_throughput.py``, the same run with and without). A connection
that another request of the same worker gave back a moment ago is as alive
as a ping could show; PgBouncer skips its own check for the same reason
(``server_check_delay``, 30 s by default). So a connection is pinged only
when it has been idle for ``DATABASE_PING_AFTER_IDLE`` seconds or more, which
is where a restarted server, a failover or a firewall's idle timeout leave
dead connections behind.

What this gives up: a server that goes away within that time of a
connection's last use fails that connection's next request once (the
phone's outbox keeps the items and sends them again). SQLAlchemy then
takes every connection of the pool made before the failure as dead, so the
worker's other connections reconnect instead of failing too.
"""

import time
from functools import partial

from sqlalchemy import event
from sqlalchemy.exc import InvalidatePoolError

# Where a connection's pool record keeps when the connection was last given back.
RETURNED_AT = "korch_returned_at"


def _returned(_dbapi_connection, record):
    record.info[RETURNED_AT] = time.monotonic()


def _ping_if_idle(dialect, idle_seconds, dbapi_connection, record, _proxy):
    """Ping a connection idle for ``idle_seconds`` or more; a dead one is replaced."""
    returned_at = record.info.get(RETURNED_AT)
    # None: connected just now for this checkout.
    if returned_at is None or time.monotonic() - returned_at < idle_seconds:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as exc:
        if dialect.is_disconnect(exc, dbapi_connection, None):
            # As pre-ping does: the pool drops this connection and every one
            # made before it (the server went away for all of them), and
            # checks out a new one.
            raise InvalidatePoolError("connection found dead after idling") from exc
        raise


def ping_when_idle(engine, idle_seconds):
    """Ping ``engine``'s pooled connections on checkout only after ``idle_seconds`` idle."""
    event.listen(engine, "checkin", _returned)
    event.listen(engine, "checkout", partial(_ping_if_idle, engine.dialect, idle_seconds))
