"""Accounts for committee members, from the register: tick, make, print the slips."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..access import AREA_CODE, area_in_scope
from ..auth.models import User
from ..committees.services import log_export
from ..domain import delegation
from ..domain.limits import SLIPS_MAX
from ..errors import ServiceError
from ..extensions import db
from . import from_register
from .people_views import manage
from .slips import slips_response

bp = Blueprint("member_accounts", __name__, url_prefix="/people/register")


def _managed_area(code, levels=None):
    """Return the area if the officer covers it and manages its members; else 404/403."""
    area = area_in_scope(code, levels)
    if not delegation.may_manage(current_user.role, current_user.scope_codes, "member",
                                 [code]):
        abort(403)
    return area


@bp.route("/<code>")
@manage
def committee(code):
    """A committee's current members with their accounts; accounts of people who left."""
    area = _managed_area(code, ("subdistrict",))
    members = [m for _, m in from_register.current_members(code)]
    accounts = {u.id: u for u in _users({m.user_id for m in members if m.user_id})}
    return render_template("people/register.html", area=area, members=members,
                           accounts=accounts,
                           departed=from_register.departed_accounts(code))


def _users(ids):
    """Return the accounts with ``ids``."""
    if not ids:
        return []
    return db.session.scalars(select(User).where(User.id.in_(ids))).unique()


@bp.route("/<code>/slips", methods=["POST"])
@manage
def committee_slips(code):
    """Make accounts (or new codes) for the ticked members; answer their slips as a PDF."""
    _managed_area(code, ("subdistrict",))
    ticked = {int(v) for v in request.form.getlist("member") if v.isascii() and v.isdigit()
              and len(v) <= 9}
    chosen = [(c, m) for c, m in from_register.current_members(code) if m.id in ticked]
    if not chosen:
        flash(_("กรุณาเลือกกรรมการอย่างน้อยหนึ่งคน"), "error")
        return redirect(url_for("member_accounts.committee", code=code))
    return _slips_response(chosen, code)


@bp.route("/slips", methods=["POST"])
@manage
def area_slips():
    """Accounts for every current member without one in a district or province, in one go."""
    code = request.form.get("area", "")
    if not AREA_CODE.fullmatch(code) or len(code) not in (2, 4):
        flash(_("กรุณาเลือกอำเภอหรือจังหวัด"), "error")
        return redirect(url_for("people.index"))
    _managed_area(code)
    waiting = [(c, m) for c, m in from_register.current_members(code) if not m.user_id]
    if not waiting:
        flash(_("กรรมการทุกคนในทะเบียนของพื้นที่นี้มีบัญชีแล้ว"), "info")
        return redirect(url_for("people.index"))
    if len(waiting) > SLIPS_MAX:
        flash(_("กรรมการที่ยังไม่มีบัญชีมี %(count)s คน เกินกว่าที่พิมพ์ได้ในครั้งเดียว "
                "(%(max)s คน) กรุณาเลือกทีละอำเภอ",
                count=format(len(waiting), ","), max=format(SLIPS_MAX, ",")), "error")
        return redirect(url_for("people.index"))
    return _slips_response(waiting, code)


def _slips_response(members, code):
    """Make the members' accounts or codes; answer their slips' PDF, the codes' only copy."""
    back = url_for("member_accounts.committee", code=code) if len(code) == 6 \
        else url_for("people.index")
    try:
        slips = from_register.make_accounts(current_user, members)
    except (IntegrityError, ServiceError) as error:
        # Two officers (or one double tap) made the same people's accounts at once.
        db.session.rollback()
        flash((error if isinstance(error, ServiceError) else ServiceError("accounts_busy"))
              .message, "error")
        return redirect(back)
    if not slips:
        db.session.rollback()
        flash(_("ไม่มีบัญชีที่ออกรหัสได้ (บัญชีที่ถูกระงับต้องเปิดใช้ก่อน)"), "error")
        return redirect(back)
    response = slips_response(
        slips, from_register.area_labels({s.area_code for s in slips}), code)
    log_export(current_user, code, "account_slips")
    db.session.commit()
    return response
