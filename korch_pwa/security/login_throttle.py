"""How many wrong passwords a login may cost: per account and address, per account, per address.

Each attempt takes one token from every bucket *before* the password is
checked. Taking is one atomic increment in the shared store (Redis or the
database), so gunicorn workers on several hosts racing the same guesses
can never check more passwords than the limit allows; checking first and
counting afterwards would let every worker's in-flight request through.

A correct password gives its tokens back, and so does an attempt that was
refused without being checked: the counters hold wrong passwords that were
really tried, and people who log in correctly never use up a limit. This
matters because many people share one address (a district office's Wi-Fi,
a mobile carrier's NAT), so the per-address bucket is wide.

Three buckets, because each alone fails someone:
- account and address (strict): one guesser is slowed to a few tries per
  window, and locks only themselves out, not the account's owner elsewhere;
- account (looser): guesses spread over many addresses still hit a ceiling;
- address (wide): one address trying many accounts (password spraying).

While a bucket is full even the right password is refused: otherwise a
guesser would learn the password from the one attempt that is let through.
The page says how long to wait.

This module knows nothing of Flask; ``store`` is anything with the
``limits`` storage methods ``incr(key, expiry, amount)`` and ``get_expiry(key)``.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse

DEFAULT_POLICY = {
    "account_address": "5 per 15 minutes",
    "account": "30 per hour",
    "address": "60 per 10 minutes",
}
KEY_PREFIX = "login"


def parse_policy(policy):
    """Return ``{bucket: RateLimitItem}`` from ``{bucket: "N per period"}`` strings."""
    unknown = set(policy) - set(DEFAULT_POLICY)
    if unknown:
        raise ValueError(f"unknown login limit buckets: {sorted(unknown)}")
    return {name: text if isinstance(text, RateLimitItem) else parse(text)
            for name, text in policy.items()}


def account_key(username):
    """Return a fixed-length key for a typed username (case and spaces ignored).

    Hashed because the username is whatever the client sent, of any length;
    the same normalisation as the login lookup, so "Member_A " is member_a.
    """
    normal = (username or "").strip().lower()
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Bucket:
    """One counter an attempt takes a token from."""

    name: str
    limit: RateLimitItem
    identifiers: tuple

    @property
    def key(self):
        """Return the store's key for this bucket."""
        return self.limit.key_for(KEY_PREFIX, self.name, *self.identifiers)


@dataclass
class Attempt:
    """The outcome of asking to check one password."""

    allowed: bool
    taken: list
    retry_after: int = 0

    @property
    def wait_minutes(self):
        """Return the wait in whole minutes, at least one, for the page."""
        return max(1, math.ceil(self.retry_after / 60))


class LoginThrottle:
    """Counts wrong passwords in a shared store, per the policy's buckets."""

    def __init__(self, store, policy=None, clock=time.time):
        self.store = store
        self.policy = parse_policy(policy or DEFAULT_POLICY)
        self.clock = clock

    def buckets(self, username, address):
        """Return the buckets an attempt at ``username`` from ``address`` draws on."""
        account = account_key(username)
        address = address or "unknown"
        identifiers = {"account_address": (account, address), "account": (account,),
                       "address": (address,)}
        return [Bucket(name, limit, identifiers[name]) for name, limit in self.policy.items()]

    def attempt(self, username, address):
        """Take a token from every bucket; refuse (giving them back) if any is empty."""
        taken = []
        for bucket in self.buckets(username, address):
            count = self.store.incr(bucket.key, bucket.limit.get_expiry(), amount=1)
            taken.append(bucket)
            if count > bucket.limit.amount:
                retry = self.store.get_expiry(bucket.key) - self.clock()
                self.give_back(taken)
                return Attempt(False, [], max(1, math.ceil(retry)))
        return Attempt(True, taken)

    def succeeded(self, attempt):
        """The password was right: that attempt was no guess, so it costs nothing."""
        self.give_back(attempt.taken)
        attempt.taken = []

    def give_back(self, buckets):
        """Return one token to each bucket."""
        for bucket in buckets:
            self.store.incr(bucket.key, bucket.limit.get_expiry(), amount=-1)
