"""Receipts that make the sync API idempotent by the client's item id."""

from ..auth.models import utcnow
from ..extensions import db


class SyncReceipt(db.Model):
    """The stored answer to one outbox item, returned again if it is resent.

    A phone that lost the response of a sync sends the same items again; the
    receipt lets the server answer without applying them twice.
    """

    __tablename__ = "sync_receipts"

    client_id = db.Column(db.String(36), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    item_type = db.Column(db.String(32), nullable=False)
    status = db.Column(db.String(16), nullable=False)
    response = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
