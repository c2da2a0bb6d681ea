"""INSERTs that leave an existing row alone or replace it, on PostgreSQL and SQLite alike."""

from functools import lru_cache


def _insert(table, dialect):
    """Return the dialect's INSERT of ``table``, the one with ON CONFLICT."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


@lru_cache(maxsize=None)
def ignoring(table, dialect):
    """Return the dialect's INSERT of ``table`` that skips a row whose key exists.

    ``ON CONFLICT DO NOTHING RETURNING`` the key: it returns a row only when
    it inserted one. The helpers below run it; a caller may also build on it.
    """
    # RETURNING, not rowcount: psycopg 3 reports -1 for an INSERT that
    # SQLAlchemy runs with RETURNING of its own, inserted or not.
    return _insert(table, dialect).on_conflict_do_nothing().returning(*table.primary_key.columns)


def insert_ignore(connection, table, values):
    """Insert ``values`` unless a row with the same key exists; return True if inserted.

    ``ON CONFLICT DO NOTHING``: two workers inserting the same key at once
    both succeed, one of them as a no-op, without failing the transaction.
    """
    return insert_ignore_key(connection, table, values) is not None


def insert_ignore_key(connection, table, values):
    """Insert ``values`` unless a row with the same key exists; return the new primary key.

    None when the row existed. For a claim whose id the caller needs next.
    """
    row = connection.execute(ignoring(table, connection.dialect.name), values).first()
    return tuple(row) if row is not None else None


def insert_ignore_many(connection, table, rows, batch=1000):
    """Insert each of ``rows`` unless its key exists; return how many were inserted.

    In batches of multi-row INSERTs; RETURNING gives back only the rows
    inserted, so the count is true on both databases.
    """
    statement = ignoring(table, connection.dialect.name)
    inserted = 0
    for start in range(0, len(rows), batch):
        inserted += len(connection.execute(statement, rows[start:start + batch]).all())
    return inserted


@lru_cache(maxsize=None)
def _upsert_statement(table, dialect, keys):
    statement = _insert(table, dialect)
    return statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={column.name: statement.excluded[column.name] for column in table.columns
              if column.name not in keys})


def upsert(connection, table, values, keys):
    """Insert ``values``, or replace the other columns of the row with the same ``keys``.

    ``ON CONFLICT DO UPDATE``: two workers writing the same key at once both
    succeed, the later one's values kept.
    """
    connection.execute(_upsert_statement(table, connection.dialect.name, tuple(keys)), values)
