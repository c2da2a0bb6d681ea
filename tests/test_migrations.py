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
