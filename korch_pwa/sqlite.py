"""SQLite settings for a server with several threads and workers.

WAL lets readers go on while one writer commits, and a busy timeout makes a
writer wait for the lock instead of failing with "database is locked".
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 30000


def _on_connect(dbapi_connection, _record):
    """Set the pragmas on every new SQLite connection (no-op for PostgreSQL)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit is on disk before the phone hears "stored" and deletes its
    # copy. NORMAL would be faster but could lose acknowledged items on power loss.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def register_sqlite_pragmas():
    """Listen for new connections of every engine (once per process)."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
