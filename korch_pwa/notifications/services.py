"""Writing notices when something happens, and reading a person's inbox.

Notices are written on the caller's connection, inside the transaction of
the event itself: a submission that rolls back tells nobody, and one that
commits has told everyone it must. Core statements, because a submission
may come through the sync API's hot path.
"""

from sqlalchemy import and_, func, or_, select, update

from ..assessment.models import Round
from ..auth.models import User, UserScope, utcnow
from ..domain.limits import NOTICES_PAGE
from ..domain.notices import notice_key, recipient_roles
from ..domain.roles import covering_codes, covers_country
from ..extensions import db
from ..inserts import insert_ignore
from .models import Notice

NOTICES = Notice.__table__
USERS = User.__table__
SCOPES = UserScope.__table__
ROUNDS = Round.__table__


def recipients(connection, event, area_code, actor_id):
    """Return the ids of the active people told of ``event`` about ``area_code``.

    Whoever did it is not told of their own act.
    """
    roles = recipient_roles(event, area_code)
    everywhere = sorted(r.value for r in roles if covers_country(r))
    scoped = sorted(r.value for r in roles if not covers_country(r))
    in_area = select(SCOPES.c.user_id).where(
        SCOPES.c.user_id == USERS.c.id,
        SCOPES.c.area_code.in_(covering_codes(area_code))).exists()
    query = (select(USERS.c.id)
             .where(USERS.c.active.is_(True), USERS.c.id != actor_id,
                    or_(USERS.c.role.in_(everywhere),
                        and_(USERS.c.role.in_(scoped), in_area)))
             .order_by(USERS.c.id))
    return list(connection.execute(query).scalars())


def notify(connection, event, subject_id, version, area_code, params, link, actor_id,
           now=None):
    """Tell everyone ``event`` concerns; return how many were told for the first time."""
    key = notice_key(event, subject_id, version)
    now = now or utcnow()
    told = 0
    for user_id in recipients(connection, event, area_code, actor_id):
        told += insert_ignore(connection, NOTICES, {
            "user_id": user_id, "key": key, "event": event, "params": params,
            "link": link, "created_at": now})
    return told


def notify_assessment(connection, event, assessment_id, version, round_id, subdistrict_code,
                      actor_id, now=None):
    """Tell people of an assessment's submission or an officer's decision on it."""
    number, year = connection.execute(
        select(ROUNDS.c.number, ROUNDS.c.fiscal_year).where(ROUNDS.c.id == round_id)).one()
    params = {"subdistrict": subdistrict_code, "number": number, "year": year}
    link = (f"/review/{assessment_id}" if event == "assessment_submitted"
            else f"/assessment/{subdistrict_code}/{round_id}")
    return notify(connection, event, assessment_id, version, subdistrict_code, params, link,
                  actor_id, now)


def unread_count(user_id):
    """Return how many of a person's notices are unread."""
    return db.session.scalar(select(func.count()).select_from(NOTICES).where(
        NOTICES.c.user_id == user_id, NOTICES.c.read_at.is_(None)))


def inbox(user_id, before=None, limit=NOTICES_PAGE):
    """Return a person's notices, newest first, older than notice id ``before``."""
    query = select(Notice).where(Notice.user_id == user_id)
    if before is not None:
        query = query.where(Notice.id < before)
    return list(db.session.scalars(query.order_by(Notice.id.desc()).limit(limit)))


def open_notice(user_id, notice_id):
    """Mark one of a person's own notices read; return it, or None when it is not theirs."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != user_id:
        return None
    if notice.read_at is None:
        notice.read_at = utcnow()
    return notice


def mark_all_read(user_id):
    """Mark every unread notice of a person read; return how many."""
    return db.session.execute(update(Notice).where(
        Notice.user_id == user_id, Notice.read_at.is_(None)).values(read_at=utcnow())).rowcount
