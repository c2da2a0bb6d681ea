"""Users, their role and the areas they may see."""

from datetime import datetime, timezone

from flask import current_app, has_app_context
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import roles
from ..domain.limits import FULL_NAME_MAX, POSITION_MAX, USERNAME_MAX
from ..extensions import db


def utcnow():
    """Return an aware UTC timestamp (stored naive-UTC by SQLite)."""
    return datetime.now(timezone.utc)


def session_id(user_id, epoch):
    """Return the id kept in a session cookie: ``<user id>:<epoch>``."""
    return f"{user_id}:{epoch}"


def parse_session_id(value):
    """Return (user id, epoch) from a session's id, or None when it is not one.

    A bare ``<user id>`` (sessions made before epochs existed) is epoch 0.
    """
    user_id, _, epoch = str(value).partition(":")
    if not user_id.isdigit() or (epoch and not epoch.isdigit()):
        return None
    return int(user_id), int(epoch or 0)


class AccessRules(UserMixin):
    """What a person may do, from their role, areas, state and session epoch.

    Shared by the stored ``User`` and the ``SessionUser`` each request reads.
    """

    @property
    def is_active(self):
        """Let Flask-Login refuse deactivated accounts."""
        return self.active

    def get_id(self):
        """Return the session's user id: the person and their session epoch."""
        return session_id(self.id, self.session_epoch or 0)

    def can(self, permission):
        """Return True when this person's role holds ``permission``."""
        return roles.can(self.role, permission)

    def covers(self, area_code):
        """Return True when ``area_code`` is inside this person's area."""
        return roles.in_scope(self.role, self.scope_codes, area_code)


class User(AccessRules, db.Model):
    """A person who logs in: a committee member or a CDD officer."""

    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(USERNAME_MAX), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    full_name = db.Column(db.String(FULL_NAME_MAX), nullable=False)
    position = db.Column(db.String(POSITION_MAX), nullable=False, default="")
    role = db.Column(db.String(32), nullable=False)
    locale = db.Column(db.String(5), nullable=False, default="th")
    active = db.Column(db.Boolean, nullable=False, default=True)
    # Part of the id in every session cookie: raising it ends every earlier
    # session of this person, on every phone and every server.
    session_epoch = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime(timezone=True))
    # Joined: every request loads the user with its areas in one query.
    scopes = db.relationship("UserScope", cascade="all, delete-orphan",
                             lazy="joined", order_by="UserScope.area_code")

    @property
    def scope_codes(self):
        """Return the area codes this person works in."""
        return [s.area_code for s in self.scopes]

    @property
    def record(self):
        """Return the stored account: this one (a SessionUser loads it)."""
        return self

    def end_sessions(self):
        """End every session of this person made before now (logout, new password)."""
        self.session_epoch = (self.session_epoch or 0) + 1

    def deactivate(self):
        """Stop the account and end its sessions at once."""
        self.active = False
        self.end_sessions()

    def set_password(self, password):
        """Store a salted hash of ``password``; earlier sessions end."""
        method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
        self.password_hash = generate_password_hash(password, method or "scrypt")
        if self.id is not None:
            self.end_sessions()

    def check_password(self, password):
        """Return True when ``password`` matches."""
        return check_password_hash(self.password_hash, password)


class UserScope(db.Model):
    """One area (by DOPA code) a person works in."""

    __tablename__ = "user_scopes"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                        primary_key=True)
    area_code = db.Column(db.String(6), db.ForeignKey("areas.code"), primary_key=True)
