"""A notice in a person's inbox."""

from ..auth.models import utcnow
from ..domain.limits import NOTICE_KEY_MAX, NOTICE_LINK_MAX
from ..extensions import db


class Notice(db.Model):
    """One thing a person is told: an event and its values, rendered when read.

    ``key`` makes one event one notice per person (a submission sent twice
    by a phone that lost the answer tells nobody twice).
    """

    __tablename__ = "notices"
    __table_args__ = (db.UniqueConstraint("user_id", "key"),
                      # The unread count in every page's header, and the inbox newest first.
                      db.Index("ix_notices_user_unread", "user_id", "read_at"),
                      db.Index("ix_notices_user_newest", "user_id", "id"))

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                        nullable=False)
    key = db.Column(db.String(NOTICE_KEY_MAX), nullable=False)
    event = db.Column(db.String(40), nullable=False)
    params = db.Column(db.JSON, nullable=False, default=dict)
    link = db.Column(db.String(NOTICE_LINK_MAX), nullable=False, default="")
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    read_at = db.Column(db.DateTime(timezone=True))
