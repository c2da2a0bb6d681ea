"""The person a sync acts for, as the session claims them, confirmed by the sync's own statement.

A phone's sync paid one statement just to read the person (role, areas,
active, session epoch) before doing anything. The signed session now also
carries what that read last found (the *claims*: role, areas, language), so
a view that opts in (``claims_accepted``) starts from them, and the
person's current row rides along the view's first statement
(``PERSON_COLUMNS``). ``confirm`` compares the two before anything is
committed; when they differ (the person was deactivated, logged out
everywhere, or given another role or other areas) the view's transaction is
rolled back and the request starts again with the person read as every
other request reads them, which also renews the claims.

The claims only ever choose what the first statement reads (for a sync,
whether it locks the assessment); nothing a request writes or answers
stands on them unconfirmed. The cookie is signed, so a phone cannot write
its own claims.
"""

from functools import wraps

from flask import abort, current_app, g, session
from flask_babel import refresh
from flask_login import current_user
from sqlalchemy import and_, bindparam, select

from ..driver import DriverStatement, comma_list
from ..extensions import db
from .models import parse_session_id
from .session_user import SCOPES, USERS, SessionUser, scope_codes

KEY = "_claims"

# What a request's first statement adds to confirm the claims: the person's
# epoch (NULL when missing or deactivated), role, language and areas.
PERSON_COLUMNS = [
    select(USERS.c.session_epoch).where(and_(USERS.c.id == bindparam("user_id"),
                                             USERS.c.active.is_(True)))
    .scalar_subquery().label("person_epoch"),
    select(USERS.c.role).where(USERS.c.id == bindparam("user_id"))
    .scalar_subquery().label("person_role"),
    select(USERS.c.locale).where(USERS.c.id == bindparam("user_id"))
    .scalar_subquery().label("person_locale"),
    select(comma_list(SCOPES.c.area_code))
    .where(SCOPES.c.user_id == bindparam("user_id"))
    .scalar_subquery().label("person_scopes"),
]
PERSON_NOW = DriverStatement(select(*PERSON_COLUMNS))


class StaleClaims(Exception):
    """The session's claims no longer describe the person: read them and start again."""


def _claims_of(user):
    """Return what the session keeps about ``user``."""
    return {"id": user.id, "epoch": user.session_epoch or 0, "role": user.role,
            "locale": user.locale, "scopes": sorted(user.scope_codes)}


class ClaimedUser(SessionUser):
    """The person as the session claims them, until ``confirm`` compares the stored row.

    Names and other fields are not claimed: they come from the stored User
    should anything ask (``SessionUser.record``).
    """

    def __init__(self, claims):
        self.id, self.session_epoch = claims["id"], claims["epoch"]
        self.role, self.locale, self.active = claims["role"], claims["locale"], True
        self.scope_codes = list(claims["scopes"])
        self._record = None
        self.confirmed = False

    def confirm(self, row):
        """Raise StaleClaims unless ``row``'s ``PERSON_COLUMNS`` match the claims."""
        if self.confirmed:
            return
        if (row.person_epoch != self.session_epoch or row.person_role != self.role
                or row.person_locale != self.locale
                or scope_codes(row.person_scopes) != self.scope_codes):
            raise StaleClaims()
        self.confirmed = True

    def __repr__(self):
        return f"<ClaimedUser {self.id}>"


def confirm(user, row):
    """Confirm a claimed person by the ``PERSON_COLUMNS`` of ``row``; others need nothing."""
    if isinstance(user, ClaimedUser):
        user.confirm(row)


def confirm_now(user):
    """Confirm a claimed person that no statement has yet, with a statement of its own."""
    if isinstance(user, ClaimedUser) and not user.confirmed:
        user.confirm(PERSON_NOW.first(db.session.connection(), {"user_id": user.id}))


def claimed(session_user_id):
    """Return the ClaimedUser of this session, or None when the view or the session has none.

    ``session_user_id`` is Flask-Login's ``<id>:<epoch>``; claims about
    another person or epoch (someone else logged in since) are not used.
    """
    if not g.get("claims_accepted"):
        return None
    claims, parsed = session.get(KEY), parse_session_id(session_user_id)
    if not isinstance(claims, dict) or parsed is None \
            or (claims.get("id"), claims.get("epoch")) != parsed:
        return None
    return ClaimedUser(claims)


def claims_accepted(permission):
    """Decorate a view whose statements confirm the person (``confirm``) before it commits.

    Only logged-in holders of ``permission`` pass, as with
    ``access.permission_required``. The view runs again with the person
    read from the database when the claims turn out stale.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            g.claims_accepted = True
            try:
                return _run(view, permission, args, kwargs)
            except StaleClaims:
                db.session.rollback()
                g.claims_accepted = False
                g.pop("_login_user", None)  # Flask-Login reads the person again
                refresh()  # and Babel their language
                return _run(view, permission, args, kwargs)

        return wrapped

    return decorator


def _run(view, permission, args, kwargs):
    """Check the person, run the view, and make sure the person was confirmed."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not user.can(permission):
        confirm_now(user)  # refused only on what is stored
        abort(403)
    if not isinstance(user, ClaimedUser):
        kept = _claims_of(user)
        if session.get(KEY) != kept:
            session[KEY] = kept
    response = view(*args, **kwargs)
    # A view that answered before any statement (a body it cannot read) has
    # committed nothing; the person is still checked before it is answered.
    confirm_now(user)
    return response
