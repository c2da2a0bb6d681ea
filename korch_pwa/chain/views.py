"""The province names its coordinator; its officers' pages show who that is."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import permission_required, require_area
from ..domain.roles import Permission
from ..extensions import db
from . import services
from .forms import CoordinatorForm

bp = Blueprint("chain", __name__, url_prefix="/province")


@bp.app_context_processor
def province_coordinator():
    """Give officers' pages their province's coordinator, looked up only where shown."""
    def coordinator():
        if not current_user.is_authenticated or current_user.role == "member":
            return None
        return services.coordinator_of(services.province_of(current_user))
    return {"province_coordinator": coordinator}


@bp.route("/coordinator", methods=["GET", "POST"])
@permission_required(Permission.NAME_COORDINATOR)
def coordinator():
    """Name the province's coordinator: name, position and phone."""
    province = services.province_of(current_user)
    if province is None:
        abort(404)
    require_area(province)
    current = services.coordinator_of(province)
    form = CoordinatorForm(obj=current)
    if form.validate_on_submit():
        services.set_coordinator(province, form.name.data.strip(),
                                 (form.position.data or "").strip(), form.phone.digits,
                                 current_user)
        db.session.commit()
        flash(_("บันทึกผู้ประสานงานของจังหวัดแล้ว"), "success")
        return redirect(url_for("rounds.index"))
    return render_template("chain/coordinator.html", form=form), 422 if form.errors else 200
