"""What a host needs before a load balancer sends it people: each check's verdict.

Plain functions over a SQLAlchemy connection and a ``limits`` storage, so that
they are tested without HTTP. A check returns None when it passes, else a
short reason (no secrets, no addresses: the answer is public).
"""

from functools import lru_cache

from sqlalchemy import text


@lru_cache(maxsize=1)
def migration_head(script_location):
    """Return the newest migration shipped with this code (it never changes at run time)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", script_location)
    return ScriptDirectory.from_config(config).get_current_head()


def database_problems(engine, head):
    """Return the database's verdicts: it answers, and its schema is at ``head``.

    ``migrations`` is left out when the database does not answer at all.
    """
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            return {"database": None, "migrations": migration_problem(connection, head)}
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return {"database": f"database does not answer ({type(exc).__name__})"}


def migration_problem(connection, head):
    """Return why the schema is not the one this code expects, or None."""
    try:
        versions = [row[0] for row in connection.execute(
            text("SELECT version_num FROM alembic_version"))]
    except Exception:  # noqa: BLE001 - no table: never migrated
        return "database has no migrations applied (run flask db upgrade)"
    if versions != [head]:
        return f"database is at {', '.join(versions) or 'nothing'}, code needs {head}"
    return None


def store_problem(storage):
    """Return why the shared login counters cannot be reached, or None (no store: the database)."""
    if storage is None:
        return None
    try:
        if storage.check():
            return None
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        pass
    return "rate-limit store does not answer"
