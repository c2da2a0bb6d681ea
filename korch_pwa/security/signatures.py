"""Signed strings (itsdangerous) verified once per worker, then remembered by their exact text.

A phone sends the same session cookie and CSRF token with every sync, and
checking their HMACs again each time cost 3-4% of a sync's server time. A
string whose signature verified under a serializer (its keys and salt) is
remembered with its payload and when it was signed; its age is still
checked by each caller against its own limit. A string that fails is never
remembered, so every try at a forged one is checked in full.
"""

from datetime import datetime, timezone
from functools import lru_cache

from itsdangerous import BadSignature

# Per worker: about as many as the people syncing through it at once, times two.
REMEMBERED = 4096


@lru_cache(maxsize=REMEMBERED)
def verified(serializer, signed):
    """Return (payload bytes, signed_at) of ``signed``; raise BadSignature when it is not good.

    ``serializer``: an itsdangerous TimedSerializer, made once per keys (the
    cache knows it by identity, so a new key never matches an old entry).
    """
    error = None
    for signer in serializer.iter_unsigners():
        try:
            return signer.unsign(signed, return_timestamp=True)
        except BadSignature as exc:
            error = exc
    raise error


def expired(signed_at, max_age):
    """True when a value signed at ``signed_at`` is older than ``max_age`` seconds, or from the future.

    As itsdangerous's ``max_age``; ``None``: no limit.
    """
    age = (datetime.now(timezone.utc) - signed_at).total_seconds()
    return age < 0 or (max_age is not None and age > max_age)
