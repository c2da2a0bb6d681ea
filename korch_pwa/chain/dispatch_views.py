"""Sending an item up and answering it: the item's senders, one sending, send, decide."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..access import area_in_scope, permission_required
from ..domain import due_items
from ..domain.roles import Permission, covers_country
from ..domain.limits import EXCEPTION_REASON_MAX
from ..errors import FieldProblems, ServiceError
from ..extensions import db
from ..i18n import render_message
from ..org.models import Area
from . import dispatch_services, snapshots
from .forms import DecideForm, SendForm
from .models import DueItem

bp = Blueprint("dispatch", __name__, url_prefix="/due")


@bp.app_template_global()
def due_item_title(item):
    """Name a due item in the reader's language."""
    number = item.round.number if item.round is not None else None
    return render_message(due_items.item_title(item.kind, number))


def _item(item_id):
    item = db.session.get(DueItem, item_id)
    if item is None:
        abort(404)
    return item


def _item_and_area(item_id, code):
    """Return the item and the sending area the person covers; else 404."""
    return _item(item_id), area_in_scope(code, ("district", "province"))


@bp.route("/item/<int:item_id>")
@permission_required(Permission.VIEW_DASHBOARD)
def senders(item_id):
    """Where every district of a province (or every province) stands on one item."""
    item = _item(item_id)
    code = request.args.get("area", "").strip()
    if not code and not covers_country(current_user.role):
        code = next((c[:2] for c in current_user.scope_codes), "")
    receiver = area_in_scope(code, ("province",)) if code else None
    if receiver is None and not covers_country(current_user.role):
        abort(404)
    areas = dispatch_services.senders_of(receiver.code if receiver else "")
    rows = dispatch_services.standings(item, areas, clock.today())
    return render_template("chain/senders.html", item=item, receiver=receiver, rows=rows,
                           due=item.province_due(receiver.code) if receiver
                           else item.department_date)


def _render(item, area, send_form=None, decide_form=None, status=200, reasons=None,
            problems=None):
    dispatch = dispatch_services.dispatch_of(item, area.code)
    role, scopes = current_user.role, current_user.scope_codes
    may_send = (due_items.may_send(role, scopes, area.code)
                and due_items.sent_from_item_page(item.kind, area.code))
    may_decide = due_items.may_decide(role, scopes, area.code)
    # The sender sees what would go now; everyone else sees what was sent.
    can_send_now = may_send and (dispatch is None or dispatch.state == "returned")
    shown = (snapshots.snapshot(item, area.code) if can_send_now
             else dispatch.snapshot if dispatch else None)
    can_decide = may_decide and dispatch is not None and dispatch.state == "sent"
    # Accepting a district's round results names each subdistrict not approved.
    pending = {}
    if can_decide and dispatch_services.round_results_of_district(item, area.code):
        pending = {code: s for code, s in snapshots.round_statuses(item, area.code).items()
                   if s != "approved"}
    due = due_items.due_for(area.code, item.province_due(area.code[:2]),
                            item.department_date)
    standing = dispatch_services.standings(item, [area], clock.today())[0][2]
    if decide_form is None and dispatch is not None:
        decide_form = DecideForm(version=dispatch.version)
    return render_template(
        "chain/dispatch.html", item=item, area=area, dispatch=dispatch, shown=shown,
        live=can_send_now, due=due, standing=standing,
        send_form=send_form or SendForm(), decide_form=decide_form,
        can_send=can_send_now, can_decide=can_decide, pending=pending,
        names=_names(pending), reasons=reasons or {}, problems=problems or {},
        reason_max=EXCEPTION_REASON_MAX), status


def _names(codes):
    """Return {code: Area} for the codes, in one query."""
    if not codes:
        return {}
    return {a.code: a for a in db.session.scalars(select(Area).where(Area.code.in_(list(codes))))}


@bp.route("/item/<int:item_id>/<code>")
@permission_required(Permission.VIEW_DASHBOARD)
def dispatch(item_id, code):
    """One area's sending of an item: what was sent, its history, and the buttons."""
    item, area = _item_and_area(item_id, code)
    return _render(item, area)


@bp.route("/item/<int:item_id>/<code>/send", methods=["POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def send(item_id, code):
    """The district (or province) sends what it holds now."""
    item, area = _item_and_area(item_id, code)
    if not due_items.may_send(current_user.role, current_user.scope_codes, area.code):
        abort(403)
    if not due_items.sent_from_item_page(item.kind, area.code):
        abort(404)  # a district's report goes from its report page, with its texts
    form = SendForm()
    if not form.validate():
        return _render(item, area, send_form=form, status=422)
    try:
        dispatch_services.send(item, area.code, current_user)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _render(item, area, status=exc.status)
    flash(_("ส่ง%(item)s แล้ว", item=due_item_title(item)), "success")
    return redirect(url_for(".dispatch", item_id=item.id, code=area.code))


@bp.route("/item/<int:item_id>/<code>/decide", methods=["POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def decide(item_id, code):
    """The province (or the department) accepts or returns a sending."""
    item, area = _item_and_area(item_id, code)
    if not due_items.may_decide(current_user.role, current_user.scope_codes, area.code):
        abort(403)
    form = DecideForm()
    # Typed reasons for the exceptions, kept to show again if anything is refused.
    reasons = {key.removeprefix("exception-"): value for key, value in request.form.items()
               if key.startswith("exception-") and len(key) == len("exception-") + 6}
    if not form.validate():
        return _render(item, area, decide_form=form, status=422, reasons=reasons)
    try:
        dispatch_services.decide(item, area.code, form.act.data, form.comment.data,
                                 current_user, form.version.data, reasons=reasons)
        db.session.commit()
    except FieldProblems as exc:
        db.session.rollback()
        flash(exc.message, "error")
        problems = {field.removeprefix("exception-"): render_message(message)
                    for field, message in exc.problems.items()}
        return _render(item, area, decide_form=form, status=exc.status, reasons=reasons,
                       problems=problems)
    except ServiceError as exc:
        db.session.rollback()
        if exc.field == "comment":
            form.comment.errors = [*form.comment.errors, exc.message]
        else:
            flash(exc.message, "error")
        return _render(item, area, decide_form=form, status=exc.status, reasons=reasons)
    flash(_("รับแล้ว") if form.act.data == "accept" else _("ส่งกลับให้แก้ไขแล้ว"), "success")
    return redirect(url_for(".dispatch", item_id=item.id, code=area.code))
