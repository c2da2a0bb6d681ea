"""Rounds: the department creates them, a province sets its own due date."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import permission_required, require_area
from ..assessment.models import Round
from ..domain.roles import Permission, Role
from ..extensions import db
from ..i18n import render_message
from . import services
from .forms import ProvinceDueForm, RoundForm

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


def _my_province():
    """Return the province code of a province officer, else None."""
    if current_user.role == Role.PROVINCE_OFFICER.value and current_user.scope_codes:
        return current_user.scope_codes[0]
    return None


@bp.route("/")
@permission_required(Permission.VIEW_DASHBOARD)
def index():
    """List rounds with the department's and (for a province) its own dates."""
    return render_template("rounds/index.html", rounds=services.all_rounds(),
                           province=_my_province(), form=RoundForm(),
                           can_manage=current_user.can(Permission.MANAGE_ROUNDS))


@bp.route("/", methods=["POST"])
@permission_required(Permission.MANAGE_ROUNDS)
def create():
    """Create a round."""
    form = RoundForm()
    if form.validate():
        try:
            services.create_round(form.fiscal_year.data, form.number.data,
                                  form.department_due.data)
            db.session.commit()
            flash(_("เพิ่มรอบการประเมินแล้ว"), "success")
            return redirect(url_for(".index"))
        except services.RoundError as exc:
            db.session.rollback()
            for field, message in exc.problems.items():
                getattr(form, field).errors = list(getattr(form, field).errors) + [
                    render_message(message)]
    return render_template("rounds/index.html", rounds=services.all_rounds(), province=None,
                           form=form, can_manage=True), 422


@bp.route("/<int:round_id>/province-due", methods=["GET", "POST"])
@permission_required(Permission.SET_PROVINCE_DUE)
def province_due(round_id):
    """Set the province's own due date for a round."""
    rnd = db.session.get(Round, round_id)
    province = _my_province()
    if rnd is None or province is None:
        abort(404)
    require_area(province)
    form = ProvinceDueForm(due=rnd.province_due(province))
    if form.validate_on_submit():
        try:
            services.set_province_due(rnd, province, form.due.data)
            db.session.commit()
            flash(_("บันทึกวันกำหนดส่งของจังหวัดแล้ว"), "success")
            return redirect(url_for(".index"))
        except services.RoundError as exc:
            db.session.rollback()
            form.due.errors = list(form.due.errors) + [exc.message]
    status = 422 if form.errors else 200
    return render_template("rounds/province_due.html", rnd=rnd, form=form), status
