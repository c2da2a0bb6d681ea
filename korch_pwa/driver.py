"""Statements of a sync's hot path, compiled once and run straight on the database driver.

SQLAlchemy executing an already compiled statement still looks it up in
its cache, processes every parameter, and builds a Result of Row objects
with a processor per column. For a sync's locked read of 23 answer rows
that cost more than the driver's own work: 171 µs of CPU through
``Connection.execute`` against 73 µs on the driver's cursor (PostgreSQL,
measured in process). A ``DriverStatement`` is still built with SQLAlchemy
Core and runs on the session's connection, in its transaction; listeners of
``before_cursor_execute`` still see it.

The caller gives parameters as the driver takes them (str, int, float,
datetime, lists; JSON as text), and gets rows as the driver gives them
(a JSON column as text on SQLite: ``json_value``).
"""

import json
from collections import namedtuple

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class comma_list(GenericFunction):  # noqa: N801 (a SQL function's name)
    """``comma_list(column)``: the group's values joined by commas, in no given order.

    ``func.aggregate_strings`` does the same, but its separator is rendered
    only at execution time, which a statement compiled once cannot have.
    """

    type = String()
    inherit_cache = True


@compiles(comma_list, "postgresql")
def _comma_list_postgresql(element, compiler, **kw):
    return f"string_agg({compiler.process(element.clauses, **kw)}, ',')"


@compiles(comma_list)
def _comma_list_sqlite(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


class DriverStatement:
    """A Core statement compiled once per dialect and run on the DBAPI cursor."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled = {}

    def _for(self, dialect):
        """Return (SQL, parameter names in order for a positional driver, row type)."""
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            order = tuple(compiled.positiontup) if compiled.positional else None
            row = namedtuple("Row", self.statement.selected_columns.keys(), rename=True)
            found = self._compiled[dialect.name] = (str(compiled), order, row)
        return found

    def _run(self, connection, params):
        sql, order, row = self._for(connection.dialect)
        values = tuple(params[name] for name in order) if order is not None else params
        cursor = connection.connection.cursor()
        if connection._has_events or connection.engine._has_events:
            connection.dispatch.before_cursor_execute(connection, cursor, sql, values,
                                                      None, False)
        cursor.execute(sql, values)
        return cursor, row

    def rows(self, connection, params):
        """Run the statement; return its rows as named tuples."""
        cursor, row = self._run(connection, params)
        try:
            return [row._make(r) for r in cursor.fetchall()]
        finally:
            cursor.close()

    def _one(self, connection, params):
        """Run the statement; return (its first row as the driver gives it, or None; row type)."""
        cursor, row = self._run(connection, params)
        try:
            return cursor.fetchone(), row
        finally:
            cursor.close()

    def first(self, connection, params):
        """Run the statement; return its first row as a named tuple, or None."""
        found, row = self._one(connection, params)
        return row._make(found) if found is not None else None

    def scalar(self, connection, params):
        """Run the statement; return the first column of its first row, or None."""
        found, _ = self._one(connection, params)
        return found[0] if found is not None else None


def json_value(value):
    """Return a JSON column's value as Python: SQLite's driver gives the text."""
    return json.loads(value) if isinstance(value, str) else value
