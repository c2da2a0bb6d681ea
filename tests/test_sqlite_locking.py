"""SQLite transactions of writing requests take the write lock first (no HTTP)."""

import pytest

from korch_pwa.sqlite import begin_statement


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_writing_request_begins_immediate(method):
    """Its read-merge-write cannot interleave with another worker's."""
    assert begin_statement(method) == "BEGIN IMMEDIATE"


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", None])
def test_reads_and_commands_begin_deferred(method):
    """Pages and CLI commands keep readers concurrent (WAL)."""
    assert begin_statement(method) == "BEGIN"


def test_a_post_holds_the_write_lock_from_its_first_read(tmp_path):
    """While a POST's transaction is open, another connection cannot start writing."""
    import sqlite3

    from korch_pwa.extensions import db
    from tests.conftest import make_app

    path = tmp_path / "lock.sqlite"
    app = make_app(f"sqlite:///{path}")
    with app.test_request_context("/x", method="POST"):
        db.session.execute(db.text("SELECT 1"))
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        db.session.rollback()
    with app.test_request_context("/x", method="GET"):
        db.session.execute(db.text("SELECT 1"))
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a page's read does not hold the lock
        other.execute("ROLLBACK")
        other.close()
        db.session.rollback()
    with app.app_context():
        db.engine.dispose()
