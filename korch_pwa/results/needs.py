"""The approved scores of an area's subdistricts in a round, for planning support."""

from sqlalchemy import select

from ..assessment.models import Answer, Assessment
from ..domain.workflow import Status
from ..extensions import db


def approved_scores(round_id, prefix):
    """Return {subdistrict code: {indicator code: score}} of approved assessments."""
    found = {}
    for code, indicator, score in db.session.execute(
            select(Assessment.subdistrict_code, Answer.indicator_code, Answer.score)
            .join(Answer, Answer.assessment_id == Assessment.id)
            .where(Assessment.round_id == round_id,
                   Assessment.status == Status.APPROVED.value,
                   Assessment.subdistrict_code.startswith(prefix, autoescape=True))):
        found.setdefault(code, {})[indicator] = score
    return found
