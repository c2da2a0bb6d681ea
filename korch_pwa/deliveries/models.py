"""A person's delivery choices, their browsers' push subscriptions, and each delivery."""

from ..auth.models import utcnow
from ..domain.limits import EMAIL_MAX, LINE_USER_ID_MAX, PUSH_ENDPOINT_MAX
from ..extensions import db


class DeliveryPreference(db.Model):
    """How a person wants to be told, besides the inbox every notice goes to."""

    __tablename__ = "delivery_preferences"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                        primary_key=True)
    email = db.Column(db.String(EMAIL_MAX), nullable=False, default="")
    email_on = db.Column(db.Boolean, nullable=False, default=False)
    line_user_id = db.Column(db.String(LINE_USER_ID_MAX), nullable=False, default="")
    line_on = db.Column(db.Boolean, nullable=False, default=False)
    # A one-time code the person sends the LINE official account to link it.
    line_link_code = db.Column(db.String(12))
    line_link_expires = db.Column(db.DateTime(timezone=True))
    mute_reminders = db.Column(db.Boolean, nullable=False, default=False)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class Delivery(db.Model):
    """One notice sent (or being sent, or failed) on one channel.

    The row is the claim: whoever inserts it sends, so two hosts running
    ``flask notify send`` at once never send one notice twice.
    """

    __tablename__ = "deliveries"
    __table_args__ = (db.UniqueConstraint("notice_id", "channel"),
                      db.Index("ix_deliveries_retry", "state", "next_try_at"))

    id = db.Column(db.Integer, primary_key=True)
    notice_id = db.Column(db.Integer, db.ForeignKey("notices.id", ondelete="CASCADE"),
                          nullable=False)
    channel = db.Column(db.String(8), nullable=False)
    state = db.Column(db.String(8), nullable=False)  # sending, sent, failed, gave_up
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.String(300), nullable=False, default="")
    claimed_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    next_try_at = db.Column(db.DateTime(timezone=True))
    sent_at = db.Column(db.DateTime(timezone=True))


class PushSubscription(db.Model):
    """One browser's Web Push subscription: where its push service takes messages for it.

    The keys are the browser's: ``p256dh`` its public ECDH key, ``auth`` the
    shared secret, both base64url (RFC 8291); only that browser can read
    what is sent.
    """

    __tablename__ = "push_subscriptions"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    endpoint = db.Column(db.String(PUSH_ENDPOINT_MAX), nullable=False, unique=True)
    p256dh = db.Column(db.String(100), nullable=False)
    auth = db.Column(db.String(40), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
