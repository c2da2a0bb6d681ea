"""The login throttle's rules, on each store it runs on: memory, a real Redis, the database."""

import time

import pytest
from limits.storage import MemoryStorage, storage_from_string

from korch_pwa.extensions import db
from korch_pwa.security.db_store import DatabaseStore
from korch_pwa.security.login_throttle import LoginThrottle, account_key, parse_policy
from korch_pwa.security.models import RateLimitCounter

POLICY = {"account_address": "3 per 15 minutes", "account": "5 per hour",
          "address": "8 per 10 minutes"}


@pytest.fixture(params=["memory", "redis", "database"])
def store(request):
    """Each store the throttle is deployed on."""
    if request.param == "memory":
        yield MemoryStorage()
    elif request.param == "redis":
        yield storage_from_string(request.getfixturevalue("redis_url"))
    else:
        app = request.getfixturevalue("app")
        with app.app_context():
            yield DatabaseStore(db.session)
            db.session.remove()


def guesses(throttle, username, address, times):
    """Try ``times`` wrong passwords; return how many were let through to be checked."""
    return sum(throttle.attempt(username, address).allowed for _ in range(times))


def test_one_guesser_gets_the_strict_limit_then_waits(store):
    throttle = LoginThrottle(store, POLICY)
    assert guesses(throttle, "member_a", "10.0.0.1", 10) == 3
    refused = throttle.attempt("member_a", "10.0.0.1")
    assert not refused.allowed
    assert 0 < refused.retry_after <= 15 * 60
    assert refused.wait_minutes == 15


def test_the_same_account_typed_differently_is_one_account(store):
    throttle = LoginThrottle(store, POLICY)
    assert guesses(throttle, "Member_A ", "10.0.0.1", 2) == 2
    assert guesses(throttle, " member_a", "10.0.0.1", 2) == 1


def test_the_owner_elsewhere_is_not_locked_out_by_one_guesser(store):
    throttle = LoginThrottle(store, POLICY)
    guesses(throttle, "member_a", "10.0.0.1", 10)
    assert throttle.attempt("member_a", "10.0.0.2").allowed


def test_guesses_from_many_addresses_meet_the_account_limit(store):
    throttle = LoginThrottle(store, POLICY)
    let_through = sum(guesses(throttle, "member_a", f"10.0.1.{i}", 1) for i in range(12))
    assert let_through == 5


def test_one_address_spraying_many_accounts_meets_the_address_limit(store):
    throttle = LoginThrottle(store, POLICY)
    let_through = sum(guesses(throttle, f"user{i}", "10.0.0.9", 1) for i in range(20))
    assert let_through == 8


def test_right_passwords_give_their_tokens_back(store):
    """An office of thirty on one Wi-Fi logging in never fills the address's bucket."""
    throttle = LoginThrottle(store, POLICY)
    for i in range(30):  # far more than any limit, all correct
        throttle.succeeded(throttle.attempt(f"member{i}", "10.0.0.1"))
        throttle.succeeded(throttle.attempt("member_a", "10.0.0.1"))
    assert guesses(throttle, "member_a", "10.0.0.1", 10) == 3


def test_refused_attempts_cost_nothing(store):
    """Only checked wrong passwords count: ten refusals leave the address 5 of its 8."""
    throttle = LoginThrottle(store, POLICY)
    assert guesses(throttle, "member_a", "10.0.0.1", 13) == 3
    assert sum(guesses(throttle, f"user{i}", "10.0.0.1", 1) for i in range(10)) == 5


def test_windows_end(store):
    throttle = LoginThrottle(store, {"account_address": "2 per 1 second"})
    assert guesses(throttle, "member_a", "10.0.0.1", 4) == 2
    time.sleep(1.2)
    assert guesses(throttle, "member_a", "10.0.0.1", 4) == 2


def test_keys_have_a_fixed_length_whatever_was_typed():
    assert account_key("x" * 100_000) == account_key("X" * 100_000)
    assert len(account_key("\udc00\x00" * 10)) == 32


def test_an_unknown_bucket_is_a_configuration_error():
    with pytest.raises(ValueError, match="buckets"):
        parse_policy({"acount": "5 per minute"})


def test_the_database_store_restarts_an_ended_window_and_drops_old_rows(app):
    now = [1000.0]
    with app.app_context():
        store = DatabaseStore(db.session, clock=lambda: now[0])
        assert [store.incr("k", 60) for _ in range(3)] == [1, 2, 3]
        assert store.get_expiry("k") == 1060.0
        store.incr("old", 10)
        now[0] = 1100.0  # both windows have ended
        assert store.incr("k", 60) == 1
        assert store.get_expiry("k") == 1160.0
        # A token given back after its window ended starts the new window at 0, not -1.
        assert store.incr("k2", 60, amount=-1) == 0
        now[0] = 1200.0
        store.incr("k", 60)
        assert db.session.get(RateLimitCounter, "old") is None
        assert store.get_expiry("never") == 1200.0
        db.session.remove()
