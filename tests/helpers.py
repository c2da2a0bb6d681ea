"""Helpers shared by the tests."""

import os
from contextlib import contextmanager

from sqlalchemy import event

from korch_pwa.domain.framework import framework_for
from korch_pwa.extensions import db


def examples(count):
    """Return how many Hypothesis examples a generated test runs on this pass.

    scripts/test.sh runs the suite twice: on SQLite, then on PostgreSQL
    (DATABASE_URL set). The SQLite pass explores the whole budget; the
    PostgreSQL pass runs a third of it, enough to catch what only that
    dialect refuses (NUL in text, lengths, integer ranges), while every
    hand-kept list of known junk still runs in full on both.
    """
    return max(count // 3, 5) if os.environ.get("DATABASE_URL") else count


def full_form(version=0, score=3, action="save", fiscal_year=2570, base=None, **overrides):
    """Return form data answering every indicator with ``score``."""
    data = {"version": str(version), "action": action}
    for indicator in framework_for(fiscal_year).indicators:
        data[f"score-{indicator.code}"] = str(score)
        data[f"note-{indicator.code}"] = ""
        old = (base or {}).get(indicator.code, ("", ""))
        data[f"base-score-{indicator.code}"] = "" if old[0] is None else str(old[0])
        data[f"base-note-{indicator.code}"] = old[1]
    data.update(overrides)
    return data


def record_as(app, world, username, scores, send=False, code="520101"):
    """Store answers of ``code`` in the open round as ``username`` (and maybe submit).

    ``scores`` maps indicator code to score. Returns the assessment's
    (id, version) after the commit.
    """
    from korch_pwa.assessment import services
    from korch_pwa.assessment.models import Round
    from korch_pwa.auth.models import User
    from korch_pwa.domain.merge import EMPTY, Answer, Change
    from korch_pwa.extensions import db

    with app.app_context():
        user = db.session.get(User, world[username])
        rnd = db.session.get(Round, world["round"])
        changes = [Change(c, Answer(s, ""), EMPTY) for c, s in scores.items()]
        assessment, _ = services.record_answers(rnd, code, changes, user, send=send)
        db.session.commit()
        result = assessment.id, assessment.version
        db.session.remove()
    return result


def submitted_assessment(app, world):
    """520101's assessment, every indicator at 2, submitted by member_a: (id, version)."""
    scores = {i.code: 2 for i in framework_for(2570).indicators}
    return record_as(app, world, "member_a", scores, send=True)


def new_postgres_database(database_url, suffix):
    """Yield the URL of a new, empty PostgreSQL database next to the test one; drop it after.

    A generator for fixtures: ``yield from new_postgres_database(url, "restore")``.
    """
    from sqlalchemy import create_engine, make_url, text

    url = make_url(database_url)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def audit_guard_lifted(conn):
    """Let ``conn`` delete audit rows (the database refuses it otherwise), then guard again.

    For tests that put the whole database back to an earlier state.
    """
    from sqlalchemy import text

    from korch_pwa.accounts.models import APPEND_ONLY, DROP_APPEND_ONLY

    dialect = conn.dialect.name
    for sql in DROP_APPEND_ONLY[dialect]:
        conn.execute(text(sql))
    yield
    for sql in APPEND_ONLY[dialect]:
        conn.execute(text(sql))


def statements_during(app, send):
    """Return the SQL statements ``send()`` ran, and its response."""
    statements = []
    with app.app_context():
        engine = db.engine

    def counted(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", counted)
    try:
        response = send()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return statements, response
