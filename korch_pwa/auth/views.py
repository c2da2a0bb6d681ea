"""Login, logout and the choice of language."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from ..accounts.services import mark_login, note_failed_login
from ..extensions import db
from .claims import claimed
from .forms import LoginForm
from .models import User, parse_session_id
from .session_user import person
from .throttle import count_attempt

bp = Blueprint("auth", __name__)


def load_user(session_user_id):
    """Flask-Login loader: only a session of the person's current epoch, if active.

    A view that confirms the person itself gets the session's claims instead
    (``claims.claimed``), without a statement.
    """
    claimed_user = claimed(session_user_id)
    if claimed_user is not None:
        return claimed_user
    parsed = parse_session_id(session_user_id)
    if parsed is None:
        return None
    user = person(parsed[0])
    if user is None or not user.active or user.session_epoch != parsed[1]:
        return None
    return user


def _safe_next(target):
    """Return ``target`` only when it is a path on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log the person in, a bounded number of wrong tries at a time."""
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form, 422 if form.errors else 200)
    throttle, attempt, refusal = count_attempt(form.username.data)
    if refusal is not None:
        if refusal.status == 429:
            note_failed_login(form.username.data, None, "throttled")
        form.password.errors.append(refusal.message)
        return _login_page(form, refusal.status, retry_after=refusal.retry_after)
    user = db.session.scalar(select(User).where(
        func.lower(User.username) == form.username.data.strip().lower()))
    if user is None or not user.check_password(form.password.data):
        note_failed_login(form.username.data, user, "password")
        form.password.errors.append(_("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"))
        return _login_page(form, 422)
    if throttle is not None:
        throttle.succeeded(attempt)
    if not user.active:
        note_failed_login(form.username.data, user, "inactive")
        form.username.errors.append(_("บัญชีนี้ถูกระงับ กรุณาติดต่อพัฒนากร"))
        return _login_page(form, 422)
    session.permanent = True
    # A language chosen on the login page is the person's choice.
    if session.get("lang") in ("th", "en") and session["lang"] != user.locale:
        user.locale = session["lang"]
    mark_login(user)
    db.session.commit()
    login_user(user)
    return redirect(_safe_next(request.args.get("next")) or url_for("org.home"))


def _login_page(form, status, retry_after=None):
    """Render the login form (what was typed stays in it) with ``status``."""
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return render_template("auth/login.html", form=form), status, headers


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out; the form posts so that a link cannot log someone out.

    Every session of the person ends, not only this cookie: a copy of the
    cookie kept from before (another tab, a stolen phone) no longer works.
    """
    if current_user.is_authenticated:
        current_user.record.end_sessions()
        db.session.commit()
    logout_user()
    flash(_("ออกจากระบบแล้ว"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code):
    """Switch between Thai and English."""
    if code not in ("th", "en"):
        return redirect(url_for("org.home"))
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.record.locale = code
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("org.home"))
