"""A person's delivery choices, and LINE's webhook that links an account."""

import base64
import hashlib
import hmac
import json

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.deliveries import may_mute_own
from ..domain.limits import LINE_USER_ID_MAX, text_problem
from ..extensions import csrf, db
from . import preferences
from .forms import DeliveryForm, LineCodeForm

bp = Blueprint("deliveries", __name__)
# How long the page waits for the browser's push service before saying it failed.
PUSH_WAIT_MS = 15000


def _render(form, code=None, status=200):
    prefs = preferences.preferences_of(current_user.id)
    return render_template(
        "account/notifications.html", form=form, prefs=prefs, code=code,
        line_ready=bool(current_app.config.get("LINE_CHANNEL_TOKEN")),
        line_name=current_app.config.get("LINE_ACCOUNT_NAME") or "",
        push_key=current_app.config.get("VAPID_PUBLIC_KEY") or "", push_wait_ms=PUSH_WAIT_MS,
        mutes_own=may_mute_own(current_user.role)), status


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def index():
    """Choose e-mail and LINE, and whether reminders are muted."""
    prefs = preferences.preferences_of(current_user.id)
    form = DeliveryForm(obj=prefs)
    if request.method == "POST":
        if not form.validate():
            return _render(form, status=422)
        preferences.save_preferences(current_user.id, form.email.data, form.email_on.data,
                                     form.line_on.data, form.mute_reminders.data)
        db.session.commit()
        flash(_("บันทึกการตั้งค่าการแจ้งเตือนแล้ว"), "success")
        return redirect(url_for(".index"))
    return _render(form)


@bp.route("/account/notifications/line-code", methods=["POST"])
@login_required
def line_code():
    """Give the person a one-time code to send to the LINE official account."""
    if not current_app.config.get("LINE_CHANNEL_TOKEN") or not LineCodeForm().validate():
        abort(404)
    code = preferences.new_line_code(current_user.id)
    db.session.commit()
    return _render(DeliveryForm(obj=preferences.preferences_of(current_user.id)), code=code)


@bp.route("/account/notifications/line-unlink", methods=["POST"])
@login_required
def line_unlink():
    """Forget the person's LINE account."""
    if not LineCodeForm().validate():
        abort(400)
    preferences.unlink_line(current_user.id)
    db.session.commit()
    flash(_("ยกเลิกการเชื่อมบัญชี LINE แล้ว"), "success")
    return redirect(url_for(".index"))


def _signed(body):
    """Return True when LINE signed ``body`` with the channel secret (X-Line-Signature)."""
    secret = current_app.config.get("LINE_CHANNEL_SECRET") or ""
    given = request.headers.get("X-Line-Signature", "")
    if not secret or not given:
        return False
    wanted = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(wanted, given.encode())


@bp.route("/line/webhook", methods=["POST"])
@csrf.exempt  # LINE signs its requests instead (X-Line-Signature)
def line_webhook():
    """Link the LINE user who sends a valid one-time code; ignore everything else."""
    body = request.get_data(cache=False)
    if not _signed(body):
        abort(403)
    try:
        events = json.loads(body).get("events") or []
    except (ValueError, AttributeError):
        abort(400)
    linked = 0
    for event in events if isinstance(events, list) else []:
        if not isinstance(event, dict) or event.get("type") != "message":
            continue
        message, source = event.get("message") or {}, event.get("source") or {}
        text, user_id = message.get("text"), source.get("userId")
        if not (isinstance(text, str) and isinstance(user_id, str)) or text_problem(text) \
                or text_problem(user_id) or len(user_id) > LINE_USER_ID_MAX:
            continue
        if len(text.strip()) == preferences.LINK_CODE_DIGITS and text.strip().isdigit():
            linked += preferences.link_line(text, user_id) is not None
    db.session.commit()
    return {"linked": linked}
