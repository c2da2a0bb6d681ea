"""A person's own account: activating it with a code, the password, their personal data."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..auth.throttle import count_attempt
from ..domain.passwords import PASSWORD_MAX
from ..errors import ServiceError
from ..extensions import db
from . import my_data, services
from .forms import ActivateForm, ChangePasswordForm
from ..org.services import areas_by_code

bp = Blueprint("account", __name__)


@bp.context_processor
def password_limits():
    """The password field's maxlength is the limit the server checks."""
    return {"password_max": PASSWORD_MAX}


@bp.route("/activate", methods=["GET", "POST"])
def activate():
    """Set one's password with the one-time code from the slip, then go in.

    A wrong code costs a token of the login throttle for that username and
    address, exactly like a wrong password: a guess is a guess.
    """
    form = ActivateForm()
    if request.method == "GET" and request.args.get("u"):
        form.username.data = request.args["u"][:80]
    if not form.validate_on_submit():
        return _activate_page(form, 422 if form.errors else 200)
    throttle, attempt, refusal = count_attempt(form.username.data)
    if refusal is not None:
        form.code.errors.append(refusal.message)
        return _activate_page(form, refusal.status,
                              {"Retry-After": str(refusal.retry_after)})
    try:
        user = services.redeem_code(form.username.data, form.code.data, form.password.data)
    except ServiceError as error:
        db.session.rollback()
        form.code.errors.append(error.message)
        return _activate_page(form, error.status)
    if throttle is not None:
        throttle.succeeded(attempt)
    services.mark_login(user)
    db.session.commit()
    login_user(user)
    flash(_("ตั้งรหัสผ่านแล้ว ยินดีต้อนรับ %(name)s", name=user.full_name), "info")
    return redirect(url_for("org.home"))


def _activate_page(form, status, headers=None):
    return render_template("account/activate.html", form=form), status, headers or {}


@bp.route("/account")
@login_required
def index():
    """What the system knows of the person's account."""
    return render_template("account/index.html", user=current_user.record,
                           areas=areas_by_code(current_user.scope_codes))


@bp.route("/account/data")
@login_required
def data():
    """The personal data the system holds about the person, and who saw it."""
    user = current_user.record
    entries = my_data.register_entries(user)
    return render_template("account/data.html", user=user, entries=entries,
                           areas=areas_by_code({code for code, _, _ in entries}),
                           events=my_data.account_events(user),
                           accesses=my_data.register_accesses({c for c, _, _ in entries}))


@bp.route("/account/data.json")
@login_required
def data_json():
    """The same, as a file the person can keep (PDPA: a copy of one's data)."""
    response = jsonify(my_data.as_json(current_user.record))
    response.headers["Content-Disposition"] = "attachment; filename=my-data.json"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; every other session of the person ends."""
    form = ChangePasswordForm()
    form.person_username = current_user.username
    form.person_name = current_user.full_name
    if not form.validate_on_submit():
        return render_template("account/password.html", form=form), 422 if form.errors else 200
    user = current_user.record
    try:
        services.change_password(user, form.current.data, form.password.data)
    except ServiceError as error:
        db.session.rollback()
        form.current.errors.append(error.message)
        return render_template("account/password.html", form=form), error.status
    db.session.commit()
    login_user(user)  # this phone stays in with the new session epoch
    flash(_("เปลี่ยนรหัสผ่านแล้ว เครื่องอื่นที่เคยเข้าระบบไว้จะต้องเข้าสู่ระบบใหม่"), "info")
    return redirect(url_for("account.index"))
