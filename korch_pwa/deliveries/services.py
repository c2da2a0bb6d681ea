"""Sending notices out by e-mail and LINE: what ``flask notify send`` runs every few minutes.

The notices table is the log: each notice is delivered at most once per
channel. A delivery row is inserted (the claim) and committed before the
message goes out, so two hosts running at once never both send it; a
failure is tried again later (domain/deliveries.py says when) by whoever
claims it back. A row left "sending" by a process that died is claimed back
after ``STALE``.
"""

from collections import Counter
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import and_, delete, or_, select, update

from ..auth.models import User, utcnow
from ..domain.deliveries import DELIVER_WITHIN, channels_for, next_try
from ..extensions import db
from ..inserts import insert_ignore_key
from ..notifications.models import Notice
from ..notifications.rendering import notice_texts
from .channels import DeliveryFailed
from .models import Delivery, DeliveryPreference, PushSubscription

STALE = timedelta(minutes=15)
DELIVERIES = Delivery.__table__


def _address(channel, prefs, user_id):
    """Return where a channel reaches a person: an address, a LINE id, their browsers."""
    if channel == "push":
        return [tuple(row) for row in db.session.execute(
            select(PushSubscription.id, PushSubscription.endpoint, PushSubscription.p256dh,
                   PushSubscription.auth).where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.id))]
    if prefs is None:
        return None
    return prefs.email if channel == "email" else prefs.line_user_id


def _message(notice, locale):
    """Return (subject, text, link) of a notice in the person's language."""
    with force_locale(locale or "th"):
        text = notice_texts([notice], locale or "th")[0]
        subject = gettext("ศอช.ต.: %(text)s", text=text[:60])
    base = (current_app.config.get("APP_URL") or "").rstrip("/")
    return subject, text, f"{base}{notice.link}" if notice.link else ""


def _forget(subscription_ids):
    """Delete the push subscriptions their service says are gone (the browser unsubscribed)."""
    if subscription_ids:
        db.session.execute(delete(PushSubscription).where(
            PushSubscription.id.in_(subscription_ids)))


def _send(delivery, notice, address, locale, channel, now):
    """Send one claimed delivery and record how it went; return its state."""
    subject, text, link = _message(notice, locale)
    key = f"notice-{notice.id}-{delivery.channel}"
    # No transaction held open (SQLite's write lock) while the network answers.
    db.session.commit()
    delivery.attempts += 1
    try:
        answer = channel.send(address, subject, text, retry_key=key, link=link) or {}
    except DeliveryFailed as exc:
        _forget(exc.gone)
        delivery.last_error = str(exc)[:300]
        later = None if exc.permanent else next_try(delivery.attempts, now)
        delivery.state = "failed" if later else "gave_up"
        delivery.next_try_at = later
    else:
        _forget(answer.get("gone"))
        delivery.state, delivery.sent_at, delivery.last_error = "sent", now, ""
        delivery.next_try_at = None
    db.session.commit()
    return delivery.state


def _new_claims(now, configured, limit):
    """Insert (and commit) a claim for each new notice and channel; return the claimed ids."""
    has_push = select(PushSubscription.id).where(
        PushSubscription.user_id == Notice.user_id).exists()
    rows = db.session.execute(
        select(Notice.id, DeliveryPreference, has_push)
        .outerjoin(DeliveryPreference, DeliveryPreference.user_id == Notice.user_id)
        .join(User, User.id == Notice.user_id)
        .where(Notice.created_at >= now - DELIVER_WITHIN, User.active.is_(True),
               or_(and_(DeliveryPreference.email_on.is_(True), DeliveryPreference.email != ""),
                   and_(DeliveryPreference.line_on.is_(True),
                        DeliveryPreference.line_user_id != ""),
                   has_push))
        .order_by(Notice.id).limit(limit)).all()
    done = {(n, c) for n, c in db.session.execute(
        select(Delivery.notice_id, Delivery.channel).where(
            Delivery.notice_id.in_([r[0] for r in rows])))} if rows else set()
    claimed = []
    connection = db.session.connection()
    for notice_id, prefs, pushes in rows:
        chosen = channels_for(prefs.email_on, prefs.email, prefs.line_on,
                              prefs.line_user_id) if prefs is not None else []
        for channel in chosen + (["push"] if pushes else []):
            if channel not in configured or (notice_id, channel) in done:
                continue
            row = {"notice_id": notice_id, "channel": channel, "state": "sending",
                   "attempts": 0, "last_error": "", "claimed_at": now}
            key = insert_ignore_key(connection, DELIVERIES, row)
            if key is not None:
                claimed.append(key[0])
    db.session.commit()
    return claimed


def _retry_claims(now, limit):
    """Claim back failed deliveries that are due, and ones left sending by a dead process."""
    due = list(db.session.scalars(select(Delivery.id).where(or_(
        and_(Delivery.state == "failed", Delivery.next_try_at <= now),
        and_(Delivery.state == "sending", Delivery.claimed_at < now - STALE)))
        .order_by(Delivery.id).limit(limit)))
    claimed = []
    for delivery_id in due:
        # Only one process moves the row from what it read to "sending".
        won = db.session.execute(update(Delivery).where(
            Delivery.id == delivery_id, or_(
                and_(Delivery.state == "failed", Delivery.next_try_at <= now),
                and_(Delivery.state == "sending", Delivery.claimed_at < now - STALE)))
            .values(state="sending", claimed_at=now)).rowcount
        db.session.commit()
        if won == 1:
            claimed.append(delivery_id)
    return claimed


def deliver_pending(channels, now=None, limit=500):
    """Send what is owed on the configured ``channels``; return Counter((channel, state))."""
    now = now or utcnow()
    done = Counter()
    for delivery_id in _retry_claims(now, limit) + _new_claims(now, channels, limit):
        delivery = db.session.get(Delivery, delivery_id)
        notice = db.session.get(Notice, delivery.notice_id)
        prefs = db.session.get(DeliveryPreference, notice.user_id)
        address = _address(delivery.channel, prefs, notice.user_id)
        locale = db.session.scalar(select(User.locale).where(User.id == notice.user_id))
        channel = channels.get(delivery.channel)
        if channel is None or not address:
            delivery.state, delivery.last_error = "gave_up", "channel or address removed"
            db.session.commit()
            done[(delivery.channel, "gave_up")] += 1
            continue
        done[(delivery.channel, _send(delivery, notice, address, locale, channel, now))] += 1
    return done
