"""Fixtures: an app on SQLite (or PostgreSQL via DATABASE_URL), a small world."""

import os
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from korch_pwa import create_app
from korch_pwa.extensions import db

TODAY = date(2026, 11, 20)  # round 1 of FY 2570 is open; Lampang's due date is 24 Nov
PASSWORD = "pw-123456"


def _url(tmp_path_factory):
    """Return the test database URL: DATABASE_URL if set, else a temp SQLite file."""
    from config import _database_url

    if os.environ.get("DATABASE_URL"):
        return _database_url()
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


def make_app(url, **extra):
    """Build an app for tests."""
    os.environ["KORCH_ENV"] = "testing"
    config = {"SQLALCHEMY_DATABASE_URI": url, "TODAY": TODAY}
    config.update(extra)
    return create_app(config)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The database every test in this run uses."""
    return _url(tmp_path_factory)


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the tables once per run."""
    app = make_app(database_url)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        db.engine.dispose()
    return True


def wipe(app):
    """Delete every row so that each test starts from an empty database."""
    with app.app_context():
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(t.name for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                # The audit log refuses DELETE (TRUNCATE fires no row trigger on
                # PostgreSQL): lift the guard for the wipe, then put it back.
                from korch_pwa.accounts.models import APPEND_ONLY, DROP_APPEND_ONLY

                for sql in DROP_APPEND_ONLY["sqlite"]:
                    conn.execute(text(sql))
                for table in tables:
                    conn.execute(table.delete())
                for sql in APPEND_ONLY["sqlite"]:
                    conn.execute(text(sql))
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database_url, _schema):
    """A fresh app over an empty database."""
    app = make_app(database_url)
    yield app
    wipe(app)


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.remove()


USERS = {
    # username: (role, scopes)
    "member_a": ("member", ["520101"]),
    "member_a2": ("member", ["520101"]),
    "member_b": ("member", ["520102"]),
    "member_y": ("member", ["520201"]),
    "tambon": ("subdistrict_officer", ["520101", "520103"]),
    "district_x": ("district_officer", ["5201"]),
    "district_y": ("district_officer", ["5202"]),
    "province": ("province_officer", ["52"]),
    "department": ("department", []),
}


@pytest.fixture
def world(app):
    """Lampang's real geography, a user of each role and FY 2570's rounds.

    Returns a dict with the round ids and user ids.
    """
    from korch_pwa.demo import ensure_rounds, ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.org.services import load_geography

    with app.app_context():
        load_geography(province_codes={"52"})
        ids = {}
        for username, (role, scopes) in USERS.items():
            user = ensure_user(username, f"คุณ {username}", "", Role(role), scopes, PASSWORD)
            db.session.flush()
            ids[username] = user.id
        rounds = ensure_rounds("52")
        db.session.commit()
        ids["round"] = rounds[2].id  # FY 2570 round 1
        ids["round2"] = rounds[3].id
        ids["last_round"] = rounds[1].id
        db.session.remove()
    return ids


class Auth:
    """Log a test client in and out."""

    def __init__(self, client):
        self.client = client

    def login(self, username, password=PASSWORD):
        """Log in as ``username``."""
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        """Log out."""
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    """Login helper bound to the test client."""
    return Auth(client)


@pytest.fixture(scope="session")
def _redis_server():
    """One real redis-server for the run."""
    from tests.redis_server import RedisServer

    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def redis_url(_redis_server):
    """The URL of a real, empty Redis."""
    _redis_server.flush()
    return _redis_server.url


@pytest.fixture(scope="session")
def _s3_server():
    """One S3-compatible server for the run."""
    from tests.s3_server import S3Server

    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(_s3_server, monkeypatch):
    """An empty bucket of a real S3-compatible server, with the AWS settings that reach it."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", _s3_server.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "korch-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "korch-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return _s3_server.new_bucket()


MIGRATION_SCHEMA = "migration_check"


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """An empty database next to the test one: a new SQLite file or a PG schema."""
    if database_url.startswith("sqlite"):
        yield "sqlite:///" + str(tmp_path / "empty.sqlite")
        return
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {MIGRATION_SCHEMA}"))
    sep = "&" if "?" in database_url else "?"
    yield f"{database_url}{sep}options=-csearch_path%3D{MIGRATION_SCHEMA}"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE"))
    engine.dispose()
