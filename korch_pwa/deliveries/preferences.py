"""Reading and saving a person's delivery choices, and linking their LINE account."""

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from ..auth.models import utcnow
from ..extensions import db
from ..inserts import insert_ignore
from .models import DeliveryPreference

LINK_CODE_DIGITS = 6
LINK_CODE_LIFE = timedelta(minutes=30)
PREFERENCES = DeliveryPreference.__table__


def preferences_of(user_id):
    """Return a person's choices; everything off when they never chose."""
    found = db.session.get(DeliveryPreference, user_id)
    return found or DeliveryPreference(user_id=user_id, email="", email_on=False,
                                       line_user_id="", line_on=False, mute_reminders=False)


def _put(user_id, **values):
    """Insert the person's row or update it, safely when two saves race."""
    values["updated_at"] = utcnow()
    connection = db.session.connection()
    if not insert_ignore(connection, PREFERENCES, {
            "user_id": user_id, "email": "", "email_on": False, "line_user_id": "",
            "line_on": False, "mute_reminders": False, **values}):
        connection.execute(update(PREFERENCES).where(PREFERENCES.c.user_id == user_id)
                           .values(**values))
    db.session.expire_all()


def save_preferences(user_id, email, email_on, line_on, mute_reminders):
    """Save the choices from the form (LINE needs a linked account to be on)."""
    linked = bool(preferences_of(user_id).line_user_id)
    _put(user_id, email=(email or "").strip(), email_on=bool(email_on),
         line_on=bool(line_on) and linked, mute_reminders=bool(mute_reminders))


def new_line_code(user_id, now=None):
    """Return a fresh one-time code the person sends to the LINE official account."""
    now = now or utcnow()
    code = "".join(secrets.choice("0123456789") for _ in range(LINK_CODE_DIGITS))
    _put(user_id, line_link_code=code, line_link_expires=now + LINK_CODE_LIFE)
    return code


def link_line(code, line_user_id, now=None):
    """Link the LINE user who sent a valid code to its person; return their id, or None."""
    now = now or utcnow()
    found = db.session.scalars(select(DeliveryPreference).where(
        DeliveryPreference.line_link_code == code.strip())).all()
    for prefs in found:
        expires = prefs.line_link_expires
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=now.tzinfo)
        if expires is not None and expires >= now:
            prefs.line_user_id, prefs.line_on = line_user_id, True
            prefs.line_link_code, prefs.line_link_expires = None, None
            prefs.updated_at = now
            db.session.flush()
            return prefs.user_id
    return None


def unlink_line(user_id):
    """Forget the person's LINE account."""
    _put(user_id, line_user_id="", line_on=False, line_link_code=None, line_link_expires=None)
