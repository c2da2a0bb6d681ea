"""Pooled connections are pinged only after idling, and dead ones are replaced (korch_pwa/pool.py)."""

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from korch_pwa.extensions import db
from korch_pwa.pool import ping_when_idle
from tests.conftest import make_app


@pytest.fixture
def pings(monkeypatch):
    """Count the pings of engines' dialects: ``pings.watch(engine)``, then ``pings.count``."""

    class Pings:
        count = 0

        def watch(self, engine):
            real = engine.dialect.do_ping

            def counted(dbapi_connection):
                self.count += 1
                return real(dbapi_connection)

            monkeypatch.setattr(engine.dialect, "do_ping", counted)
            return engine

    return Pings()


@pytest.fixture
def engine_idling(database_url):
    """Return a maker of engines on the test database pinging after ``idle`` seconds."""
    engines = []

    def make(idle):
        engine = create_engine(database_url)
        ping_when_idle(engine, idle)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


def _select_one(engine):
    """Run SELECT 1 on a pooled connection; return the driver's connection it used."""
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
        return connection.connection.dbapi_connection


def _kill(engine, dbapi_connection, database_url):
    """End a connection the way a restarted server or a dropped link does."""
    if engine.dialect.name == "postgresql":
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                               {"pid": dbapi_connection.info.backend_pid})
        admin.dispose()
    else:
        dbapi_connection.close()


def test_a_connection_given_back_moments_ago_is_used_without_a_ping(engine_idling, pings):
    engine = pings.watch(engine_idling(10))
    first = _select_one(engine)  # a new connection: nothing to check
    for _ in range(3):
        assert _select_one(engine) is first
    assert pings.count == 0


def test_a_connection_idle_past_the_limit_is_pinged_once_per_checkout(engine_idling, pings):
    engine = pings.watch(engine_idling(0.05))
    first = _select_one(engine)
    time.sleep(0.1)
    assert _select_one(engine) is first
    assert pings.count == 1


def test_a_dead_idle_connection_is_replaced_before_anyone_uses_it(engine_idling, database_url):
    engine = engine_idling(0.05)
    first = _select_one(engine)
    _kill(engine, first, database_url)
    time.sleep(0.1)
    assert _select_one(engine) is not first  # the ping found it dead; the query still ran


def test_a_dead_connection_used_within_the_limit_fails_once_then_the_pool_recovers(
        engine_idling, database_url):
    # The trade made for the saved pings (korch_pwa/pool.py): one failure, no more.
    engine = engine_idling(60)
    first = _select_one(engine)
    _kill(engine, first, database_url)
    with pytest.raises(DBAPIError) as failed:
        _select_one(engine)
    assert failed.value.connection_invalidated
    assert _select_one(engine) is not first


def test_the_app_pings_after_the_configured_idle_time(database_url, pings):
    for idle, expected in ((10.0, 0), (0.0, 2)):
        app = make_app(database_url, DATABASE_PING_AFTER_IDLE=idle)
        with app.app_context():
            pings.watch(db.engine)
            before = pings.count
            for _ in range(3):
                db.session.execute(text("SELECT 1"))
                db.session.remove()
            assert pings.count - before == expected, idle
            db.engine.dispose()
