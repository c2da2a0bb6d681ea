"""SQLite settings for a server with several threads and workers.

WAL lets readers go on while one writer commits, and a busy timeout makes a
writer wait for the lock instead of failing with "database is locked".

SQLite ignores ``SELECT ... FOR UPDATE``, so on its own a read-merge-write in
one gunicorn worker can interleave with another worker's and lose an answer.
A request that may write (any method but GET/HEAD/OPTIONS) therefore opens
its transactions with ``BEGIN IMMEDIATE``: it takes the database's write lock
before its first read, so writers run one after the other and each reads
what the previous one committed. Reads stay concurrent (WAL). This is
SQLAlchemy's documented recipe for pysqlite: the driver's own implicit BEGIN
is turned off and the engine's ``begin`` event emits ours.
"""

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 30000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A command outside any request that reads, then writes (``flask notify due``
# on two hosts at once): its transactions take the write lock first too, or
# the second one's read-then-write fails with "database is locked".
_WRITER = ContextVar("sqlite_writer", default=False)


@contextmanager
def writer():
    """Open every SQLite transaction inside the block with ``BEGIN IMMEDIATE``."""
    token = _WRITER.set(True)
    try:
        yield
    finally:
        _WRITER.reset(token)


def _on_connect(dbapi_connection, _record):
    """Set the pragmas on every new SQLite connection (no-op for PostgreSQL)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # No implicit BEGIN from the driver: _on_begin says how each transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit is on disk before the phone hears "stored" and deletes its
    # copy. NORMAL would be faster but could lose acknowledged items on power loss.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def begin_statement(method):
    """Return how a transaction of a request with ``method`` starts on SQLite."""
    if method is not None and method not in READ_ONLY_METHODS:
        return "BEGIN IMMEDIATE"
    return "BEGIN"


def _on_begin(connection):
    """Start every SQLite transaction; a writing request's takes the write lock."""
    if connection.dialect.name != "sqlite":
        return
    method = request.method if has_request_context() else None
    if _WRITER.get():
        method = "POST"
    connection.exec_driver_sql(begin_statement(method))


def register_sqlite_pragmas():
    """Listen for new connections and transactions of every engine (once per process)."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
    if not event.contains(Engine, "begin", _on_begin):
        event.listen(Engine, "begin", _on_begin)
