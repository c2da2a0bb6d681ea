"""The audit log of accounts and logins, and one-time codes for setting a password."""

from sqlalchemy import DDL, event

from ..auth.models import utcnow
from ..extensions import db


class AuditEvent(db.Model):
    """Something that happened to an account or a login: append-only.

    ``area_code`` is the area of the person it happened to, so that officers
    read the log of their own area; a login with an unknown username has none
    and only the department reads it.
    """

    __tablename__ = "audit_events"
    # ``area_code LIKE '52%'`` (an officer's area) uses it on PostgreSQL too.
    __table_args__ = (db.Index("ix_audit_events_area_prefix", "area_code",
                               postgresql_ops={"area_code": "varchar_pattern_ops"}),)

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    action = db.Column(db.String(32), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    subject_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)
    area_code = db.Column(db.String(6))
    ip = db.Column(db.String(45))
    details = db.Column(db.JSON, nullable=False, default=dict)

    actor = db.relationship("User", foreign_keys=[actor_id], lazy="joined")
    subject = db.relationship("User", foreign_keys=[subject_id], lazy="joined")


class AccountCode(db.Model):
    """A one-time code (stored as an HMAC) that lets a person set their password once."""

    __tablename__ = "account_codes"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    code_hash = db.Column(db.String(64), nullable=False)
    purpose = db.Column(db.String(16), nullable=False)  # "activate" or "reset"
    issued_by = db.Column(db.Integer, db.ForeignKey("users.id"))
    issued_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime(timezone=True), nullable=False)
    used_at = db.Column(db.DateTime(timezone=True))
    revoked_at = db.Column(db.DateTime(timezone=True))


# The database itself refuses to change or remove an audit row, whoever asks:
# a bug, a console session or a stolen application account cannot rewrite history.
APPEND_ONLY = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
           FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
        """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    ],
}
DROP_APPEND_ONLY = {
    "postgresql": ["DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
                   "DROP FUNCTION IF EXISTS audit_events_append_only()"],
    "sqlite": ["DROP TRIGGER IF EXISTS audit_events_no_update",
               "DROP TRIGGER IF EXISTS audit_events_no_delete"],
}

for _dialect, _statements in APPEND_ONLY.items():
    for _sql in _statements:
        event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect=_dialect))
