"""The committee's self-assessment pages."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..access import area_in_scope, permission_required
from ..domain import next_steps
from ..domain.deadlines import countdown
from ..domain.limits import NOTE_MAX
from ..domain.roles import Permission
from ..domain.workflow import EDITABLE, Status
from ..evidence.attachments import by_indicator
from ..errors import Incomplete, ServiceError
from ..extensions import db
from ..org.services import subdistricts_under
from . import services
from .forms import AssessmentForm, answer_changes, bases_readable, typed_values
from .models import Round

bp = Blueprint("assessment", __name__, url_prefix="/assessment")


def my_subdistricts():
    """Return the subdistricts the current person works in."""
    areas = []
    for code in current_user.scope_codes:
        areas.extend(subdistricts_under(code))
    return areas


@bp.route("/")
@login_required
def mine():
    """List the person's subdistricts with this round's status."""
    rnd = services.current_round(clock.today())
    areas = my_subdistricts()
    if rnd and len(areas) == 1:
        return redirect(url_for(".form", code=areas[0].code, round_id=rnd.id))
    rows = [(area, rnd and services.find_assessment(rnd.id, area.code)) for area in areas]
    return render_template("assessment/mine.html", rnd=rnd, rows=rows)


def _page_values(assessment):
    """Return code -> (score, note) as stored."""
    if assessment is None:
        return {}
    return {code: (a.score, a.note) for code, a in assessment.answer_map().items()}


def _field_errors(exc):
    """Return indicator code -> message for a refusal about one indicator's answer."""
    prefix = "answers."
    if exc.field and exc.field.startswith(prefix):
        return {exc.field[len(prefix):]: exc.message}
    return {}


def _next_steps(rnd, area, assessment, framework):
    """Return (next steps, moves since the round before or None) once approved."""
    if assessment is None or assessment.status != Status.APPROVED.value:
        return [], None
    scores = assessment.score_map()
    earlier = services.approved_assessment(rnd.fiscal_year, rnd.number - 1, area.code)
    moved = next_steps.moves(framework, earlier.score_map(), scores) if earlier else None
    return next_steps.next_steps(framework, scores), moved


def _render(rnd, area, assessment, form, values=None, conflicts=(), status=200, errors=None):
    """Render the form page with stored (or typed) values and messages per indicator."""
    framework = services.framework_in_use(rnd, assessment)
    stored = _page_values(assessment)
    returned = assessment and services.latest_return(assessment)
    result = services.score_values(framework, values or stored)
    editable = (assessment is None or Status(assessment.status) in EDITABLE) and \
        current_user.can(Permission.EDIT_ASSESSMENT)
    return render_template(
        "assessment/form.html", rnd=rnd, area=area, assessment=assessment, form=form,
        framework=framework, stored=stored, values=values or stored, result=result,
        conflicts={c.indicator: c for c in conflicts}, editable=editable,
        review=returned if assessment and assessment.status == Status.RETURNED.value else None,
        province_due=rnd.province_due(area.code[:2]), note_max=NOTE_MAX,
        countdowns=_countdowns(rnd, area, assessment), errors=errors or {},
        next_steps=_next_steps(rnd, area, assessment, framework),
        evidence=by_indicator(assessment.id, area.code) if assessment else {}), status


def _countdowns(rnd, area, assessment):
    """Return (province's, department's) countdown for the committee on the page."""
    sent = assessment is not None and assessment.submitted_at is not None
    today = clock.today()
    return (countdown(rnd.province_due(area.code[:2]), today, sent),
            countdown(rnd.department_due, today, sent))


@bp.route("/<code>/<int:round_id>", methods=["GET", "POST"])
@permission_required(Permission.VIEW_ASSESSMENT)
def form(code, round_id):
    """Show and save one subdistrict's assessment for a round."""
    area = area_in_scope(code, ("subdistrict",))
    rnd = db.session.get(Round, round_id)
    if rnd is None:
        abort(404)
    assessment = services.find_assessment(rnd.id, code)
    form = AssessmentForm(version=assessment.version if assessment else 0)
    if request.method == "GET":
        return _render(rnd, area, assessment, form)
    if not current_user.can(Permission.EDIT_ASSESSMENT):
        abort(403)
    framework = services.framework_in_use(rnd, assessment)
    typed = typed_values(framework, request.form)
    if not form.validate() or not bases_readable(framework, request.form):
        flash(_("หน้านี้หมดอายุ กรุณากดบันทึกอีกครั้ง สิ่งที่กรอกไว้ยังอยู่"), "error")
        return _render(rnd, area, assessment, form, typed, status=400)
    try:
        assessment, conflicts = services.record_answers(
            rnd, code, answer_changes(framework, request.form), current_user,
            send=form.action.data == "submit")
        db.session.commit()
        if conflicts:
            flash(_("มีผู้อื่นแก้ไขบางตัวชี้วัดเป็นค่าอื่น กรุณาเลือกค่าที่ถูกต้องในช่องที่มีกรอบสีส้ม"),
                  "warning")
            form.version.data = assessment.version
            return _render(rnd, area, assessment, form, typed, conflicts, status=409)
        if form.action.data == "submit":
            flash(_("ส่งแบบประเมินให้อำเภอแล้ว"), "success")
        else:
            flash(_("บันทึกร่างแล้ว"), "success")
    except Incomplete as exc:
        # Saved as a draft, only not sent: keep the answers, show what is missing.
        db.session.commit()
        flash(exc.message, "error")
        form.version.data = exc.assessment.version
        return _render(rnd, area, exc.assessment, form, typed, status=exc.status)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        assessment = services.find_assessment(rnd.id, code)
        return _render(rnd, area, assessment, form, typed, status=exc.status,
                       errors=_field_errors(exc))
    return redirect(url_for(".form", code=code, round_id=rnd.id))
