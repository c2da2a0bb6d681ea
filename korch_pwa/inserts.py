"""An INSERT that leaves an existing row alone, on PostgreSQL and SQLite alike."""

from functools import lru_cache


@lru_cache(maxsize=None)
def _statement(table, dialect):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing()


def insert_ignore(connection, table, values):
    """Insert ``values`` unless a row with the same key exists; return True if inserted.

    ``ON CONFLICT DO NOTHING``: two workers inserting the same key at once
    both succeed, one of them as a no-op, without failing the transaction.
    """
    result = connection.execute(_statement(table, connection.dialect.name), values)
    return result.rowcount == 1
