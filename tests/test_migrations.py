"""`flask db upgrade` on an empty database gives the schema of the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from korch_pwa.extensions import db
from tests.conftest import make_app

SCHEMA = "migration_check"


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """An empty database next to the test one: a new SQLite file or a PG schema."""
    if database_url.startswith("sqlite"):
        yield "sqlite:///" + str(tmp_path / "empty.sqlite")
        return
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    sep = "&" if "?" in database_url else "?"
    yield f"{database_url}{sep}options=-csearch_path%3D{SCHEMA}"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def test_upgrade_from_empty_matches_models_and_downgrades(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diffs == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"assessments", "answers", "committees", "district_reports"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_single_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from korch_pwa import ROOT

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_session_epoch_upgrade_keeps_every_user(empty_database_url):
    """The previous release's database with people in it: same rows, epoch 0, downgrade back."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="s3_sync_receipts")
        with db.engine.begin() as conn:
            for n in range(3):
                conn.execute(text(
                    "INSERT INTO users (username, password_hash, full_name, position, role, "
                    "locale, active, created_at) VALUES (:u, 'x', :f, '', 'member', 'th', :a, "
                    "CURRENT_TIMESTAMP)"), {"u": f"person{n}", "f": f"คนที่ {n}", "a": n != 1})
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT username, active, session_epoch FROM users ORDER BY username")).all()
        assert [(r[0], bool(r[1]), r[2]) for r in rows] == [
            ("person0", True, 0), ("person1", False, 0), ("person2", True, 0)]
        downgrade(revision="s3_sync_receipts")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 3
        downgrade(revision="base")
        db.engine.dispose()
