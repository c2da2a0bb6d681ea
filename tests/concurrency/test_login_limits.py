"""Login guesses racing through real gunicorn workers on two "hosts": the limit holds exactly.

Two gunicorn instances (4 and 2 workers) behind one pretend proxy (PROXY_COUNT=1,
the client's address in X-Forwarded-For) share one store: the run's database
(the default) or a real Redis. Guesses are sent all at once, alternating
between the instances. Per-process counters (the old memory:// default)
let 4 workers check 4 times the limit.
"""

import threading

import pytest

from korch_pwa.extensions import db
from korch_pwa.security.login_throttle import DEFAULT_POLICY, parse_policy

from tests.conftest import PASSWORD

from .server import Client, Gunicorn

LIMITS = {name: item.amount for name, item in parse_policy(DEFAULT_POLICY).items()}


@pytest.fixture(params=["database", "redis"])
def hosts(request, app, world, database_url):
    """Two gunicorn instances over one database and one login-counter store."""
    store = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    with app.app_context():
        db.engine.dispose()
    env = {"RATELIMIT_ENABLED": "1", "RATELIMIT_STORAGE_URI": store, "PROXY_COUNT": "1"}
    servers = [Gunicorn(database_url, workers=4, env=env, wait=False),
               Gunicorn(database_url, workers=2, env=env, wait=False)]
    for server in servers:  # booting side by side
        server.ready()
    yield [s.port for s in servers]
    for server in servers:
        server.stop()


def try_login(port, username, password, address):
    """One login attempt from ``address``; return the HTTP status."""
    status, _ = Client(port).request("POST", "/login",
                                     form={"username": username, "password": password},
                                     headers={"X-Forwarded-For": address})
    return status


def all_at_once(hosts, attempts):
    """Send every (username, password, address) at the same moment, alternating hosts."""
    results = [None] * len(attempts)
    start = threading.Barrier(len(attempts))

    def run(index):
        start.wait()
        username, password, address = attempts[index]
        results[index] = try_login(hosts[index % len(hosts)], username, password, address)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_one_guesser_racing_gets_exactly_the_limit(hosts):
    statuses = all_at_once(hosts, [("member_a", f"guess{i}", "203.0.113.5") for i in range(40)])
    assert statuses.count(422) == LIMITS["account_address"], statuses
    assert statuses.count(429) == 40 - LIMITS["account_address"], statuses
    assert try_login(hosts[0], "member_a", PASSWORD, "203.0.113.5") == 429
    assert try_login(hosts[1], "member_a", PASSWORD, "203.0.113.6") == 302


def test_guesses_from_many_addresses_meet_the_account_limit(hosts):
    attempts = [("member_a", f"guess{i}", f"10.7.{i // 200}.{i % 200}")
                for i in range(LIMITS["account"] + 10)]
    statuses = all_at_once(hosts, attempts)
    assert statuses.count(422) == LIMITS["account"], statuses
    assert statuses.count(429) == 10, statuses


def test_spraying_from_one_address_meets_the_address_limit(hosts):
    attempts = [(f"someone{i}", "123456", "198.51.100.9") for i in range(LIMITS["address"] + 10)]
    statuses = all_at_once(hosts, attempts)
    assert statuses.count(422) == LIMITS["address"], statuses
    assert statuses.count(429) == 10, statuses
