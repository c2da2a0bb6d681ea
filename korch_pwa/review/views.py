"""Officers' list of subdistricts and the approve/return page."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import permission_required, require_area, row_in_scope
from ..assessment import services
from ..assessment.models import Assessment
from ..domain.limits import COMMENT_MAX
from ..domain.roles import Permission
from ..errors import ServiceError
from ..evidence.attachments import by_indicator
from ..extensions import db
from ..org.services import area_or_none, children, subdistricts_under
from ..rounds.picker import chosen_round, picker_rounds
from .forms import DecisionForm, evidence_wanted, indicator_comments

bp = Blueprint("review", __name__, url_prefix="/review")


def _start_area():
    """Return the area the list shows: ?area= if in scope, else the person's own."""
    code = request.args.get("area", "")
    if code:
        require_area(code)
        return code
    scopes = current_user.scope_codes
    return scopes[0] if len(scopes) == 1 else ""


@bp.route("/")
@permission_required(Permission.VIEW_DASHBOARD)
def index():
    """Subdistricts of the chosen area with the status of their assessment."""
    rnd = chosen_round()
    code = _start_area()
    rounds = picker_rounds()
    if len(code) < 4:
        # Above a district there are too many subdistricts for one list.
        areas = children(code) if code else [a for s in current_user.scope_codes
                                             for a in [area_or_none(s)] if a] or children("")
        return render_template("review/areas.html", rnd=rnd, rounds=rounds, areas=areas,
                               area=area_or_none(code) if code else None)
    subs = []
    for scope in ([code] if code else current_user.scope_codes):
        subs.extend(subdistricts_under(scope))
    found = {}
    if rnd:
        found = {a.subdistrict_code: a for a in db.session.scalars(select(Assessment).where(
            Assessment.round_id == rnd.id,
            Assessment.subdistrict_code.in_([s.code for s in subs])))}
    rows = [(s, found.get(s.code)) for s in subs]
    return render_template("review/index.html", rnd=rnd, rounds=rounds, rows=rows,
                           area=area_or_none(code) if code else None)


def _assessment_in_scope(assessment_id):
    """Return the assessment if the current person covers its subdistrict."""
    return row_in_scope(Assessment, assessment_id, lambda a: a.subdistrict_code)


def _render(assessment, form, status=200, comments=None, errors=None, wanted=()):
    """Render the review page (with messages per indicator comment)."""
    framework = services.framework_of(assessment)
    return render_template(
        "review/detail.html", assessment=assessment, framework=framework, form=form,
        answers=assessment.answer_map(), comments=comments or {}, wanted=set(wanted),
        evidence=by_indicator(assessment.id, assessment.subdistrict_code),
        can_decide=current_user.can(Permission.DECIDE_ASSESSMENT),
        history=assessment.events, comment_max=COMMENT_MAX, errors=errors or {}), status


def _comment_errors(form, exc):
    """Put a refused comment's message under its field; return code -> message."""
    if exc.field == "comment":
        form.comment.errors = [*form.comment.errors, exc.message]
    prefix = "comments."
    if exc.field and exc.field.startswith(prefix):
        return {exc.field[len(prefix):]: exc.message}
    return {}


@bp.route("/<assessment_id>")
@permission_required(Permission.VIEW_ASSESSMENT)
def detail(assessment_id):
    """Show an assessment with its rubric, score and history."""
    assessment = _assessment_in_scope(assessment_id)
    return _render(assessment, DecisionForm(version=assessment.version))


@bp.route("/<assessment_id>/decide", methods=["POST"])
@permission_required(Permission.DECIDE_ASSESSMENT)
def decide(assessment_id):
    """Approve or return the assessment the officer saw."""
    assessment = _assessment_in_scope(assessment_id)
    form = DecisionForm()
    framework = services.framework_of(assessment)
    comments = indicator_comments(framework, request.form)
    wanted = evidence_wanted(framework, request.form)
    if not form.validate():
        if form.version.errors:
            # The version is a hidden field: only a broken page or client loses it.
            flash(_("หน้านี้หมดอายุ กรุณาตรวจแล้วกดยืนยันผลการตรวจอีกครั้ง"), "error")
        return _render(assessment, form, 422, comments, wanted=wanted)
    try:
        services.decide(assessment, current_user, form.decision.data, form.version.data,
                        comments, form.comment.data or "", wanted)
        message = {"approve": _("อนุมัติผลการประเมินแล้ว"),
                   "return": _("ส่งกลับให้คณะกรรมการแก้ไขแล้ว"),
                   "reopen": _("เปิดให้คณะกรรมการแก้ไขอีกครั้งแล้ว")}[form.decision.data]
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _render(db.session.get(Assessment, assessment_id), form, exc.status, comments,
                       _comment_errors(form, exc), wanted)
    flash(message, "success")
    return redirect(url_for(".index", round=assessment.round_id,
                            area=assessment.subdistrict_code[:4]))
