"""Counters of the login throttle when no Redis is configured."""

from ..extensions import db


class RateLimitCounter(db.Model):
    """One fixed-window counter: how many tokens a key has taken until it expires.

    In the database rather than in a worker's memory so that every worker on
    every host counts the same guesses (a per-process counter multiplies the
    limit by the number of workers).
    """

    __tablename__ = "rate_limit_counters"

    key = db.Column(db.String(200), primary_key=True)
    count = db.Column(db.Integer, nullable=False)
    # Seconds since the epoch, as the ``limits`` stores report expiry.
    expires_at = db.Column(db.Float, nullable=False, index=True)
