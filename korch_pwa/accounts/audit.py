"""Writing the audit log: one row per account change or login, in the caller's transaction."""

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from .models import AuditEvent

ACTIONS = ("created", "changed", "code_issued", "password_set", "password_reset",
           "password_changed", "deactivated", "reactivated", "login", "login_failed")


def area_of(user):
    """Return the area an event about ``user`` is filed under (None: country-wide)."""
    codes = user.scope_codes if user is not None else []
    return codes[0] if codes else None


def record(action, subject=None, details=None, actor=None):
    """Add an audit row for ``action`` on ``subject``; the caller's commit writes it.

    Written in the same transaction as the change it describes, so a change
    is never stored without its row, nor a row without its change.
    """
    assert action in ACTIONS, action
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(action=action, actor_id=actor.id if actor is not None else None,
                       subject_id=subject.id if subject is not None else None,
                       area_code=area_of(subject), details=details or {},
                       ip=client_address())
    db.session.add(event)
    return event


def client_address():
    """Return the client's address as the proxy chain reports it, if in a request."""
    return (request.remote_addr or "")[:45] or None if has_request_context() else None
