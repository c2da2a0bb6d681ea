"""/healthz and /readyz: what a load balancer asks a host, on a real migrated database."""

import pytest
from flask_migrate import downgrade, upgrade
from limits.storage import MemoryStorage
from sqlalchemy import create_engine

from korch_pwa.extensions import db
from korch_pwa.operations.readiness import database_problems, migration_head, store_problem

from tests.conftest import make_app
from tests.concurrency.server import free_port


@pytest.fixture
def migrated(empty_database_url):
    """An app over a database built by ``flask db upgrade``, as in production."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        downgrade(revision="base")
        db.engine.dispose()


def test_healthz_answers_without_the_database():
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


def test_ready_on_a_migrated_database(migrated):
    response = migrated.test_client().get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {"status": "ready", "checks": {
        "database": "ok", "migrations": "ok", "rate_limit_store": "ok"}}


def test_not_ready_before_the_last_migration(migrated):
    with migrated.app_context():
        downgrade(revision="-1")
    response = migrated.test_client().get("/readyz")
    assert response.status_code == 503
    assert "code needs" in response.json["checks"]["migrations"]


def test_not_ready_without_a_database():
    port = free_port()  # nothing listens there
    app = make_app(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"].startswith("database does not answer")
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_ready_needs_the_configured_redis(migrated, redis_url):
    migrated.config["RATELIMIT_STORAGE_URI"] = redis_url
    assert migrated.test_client().get("/readyz").status_code == 200
    migrated.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{free_port()}/0"
    response = migrated.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["rate_limit_store"] == "rate-limit store does not answer"


def test_the_checks_on_their_own(database_url):
    from korch_pwa import ROOT

    head = migration_head(str(ROOT / "migrations"))
    engine = create_engine(database_url)
    # The test database is built by create_all, without Alembic's table.
    verdicts = database_problems(engine, head)
    assert verdicts["database"] is None
    assert verdicts["migrations"] == "database has no migrations applied (run flask db upgrade)"
    engine.dispose()
    refused = create_engine(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none")
    assert list(database_problems(refused, head)) == ["database"]
    assert store_problem(None) is None
    assert store_problem(MemoryStorage()) is None
