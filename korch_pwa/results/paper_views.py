"""One assessment as a PDF, for whoever may read it (the committee, its officers)."""

from io import BytesIO

from flask import Blueprint, send_file
from flask_login import current_user

from ..access import permission_required, row_in_scope
from ..assessment.models import Assessment
from ..assessment.services import framework_of
from ..committees.services import log_export
from ..domain.roles import Permission
from ..evidence.attachments import by_indicator
from ..extensions import db
from ..org.models import Area
from .assessment_paper import Paper, Step, build_pdf

bp = Blueprint("paper", __name__, url_prefix="/paper")


def _place(code):
    """Return 'ตำบลX อำเภอY จังหวัดZ' for a subdistrict code."""
    names = []
    for length, word in ((6, "ตำบล"), (4, "อำเภอ"), (2, "จังหวัด")):
        area = db.session.get(Area, code[:length])
        names.append(f"{word}{area.name_th}" if area else code[:length])
    return " ".join(names)


def paper_of(assessment):
    """Return the Paper of an assessment: its answers, files and history."""
    answers = assessment.answer_map()
    files = by_indicator(assessment.id, assessment.subdistrict_code)
    history = tuple(Step(e.at, e.actor.full_name, e.action, e.comment)
                    for e in assessment.events)
    approvals = [s for s in history if s.action == "approve"]
    return Paper(
        framework=framework_of(assessment), place=_place(assessment.subdistrict_code),
        fiscal_year=assessment.round.fiscal_year, round_number=assessment.round.number,
        status=assessment.status, percent=assessment.percent,
        level_code=assessment.level_code,
        scores=assessment.score_map(),
        notes={code: a.note for code, a in answers.items()},
        evidence={code: [f.caption or f.filename or f.content_type for f in shown]
                  for code, shown in files.items()},
        history=history,
        approver=approvals[-1].actor if approvals and assessment.status == "approved"
        else None)


@bp.route("/assessment/<assessment_id>.pdf")
@permission_required(Permission.VIEW_ASSESSMENT)
def assessment_pdf(assessment_id):
    """Send one assessment as a PDF to print, sign and file."""
    assessment = row_in_scope(Assessment, assessment_id, lambda a: a.subdistrict_code)
    body = build_pdf(paper_of(assessment))
    # The paper names the members who sent it and the officers who decided.
    log_export(current_user, assessment.subdistrict_code, "assessment_pdf")
    db.session.commit()
    name = (f"korch-assessment-{assessment.subdistrict_code}-{assessment.round.fiscal_year}"
            f"-r{assessment.round.number}.pdf")
    return send_file(BytesIO(body), mimetype="application/pdf", as_attachment=False,
                     download_name=name)
