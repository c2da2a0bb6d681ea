"""The approved scores of an area's subdistricts in a round, for planning support."""

from sqlalchemy import select

from ..assessment.models import Answer, Assessment
from ..domain.workflow import Status
from ..extensions import db


def approved_scores(round_id, prefix, codes_of):
    """Return {subdistrict code: {indicator code: score}} of approved assessments.

    Only the scores ``codes_of(version)`` keeps for each assessment's
    framework version: those that mean what the page's framework means.
    """
    found = {}
    for code, version, indicator, score in db.session.execute(
            select(Assessment.subdistrict_code, Assessment.framework_version,
                   Answer.indicator_code, Answer.score)
            .join(Answer, Answer.assessment_id == Assessment.id)
            .where(Assessment.round_id == round_id,
                   Assessment.status == Status.APPROVED.value,
                   Assessment.subdistrict_code.startswith(prefix, autoescape=True))):
        scores = found.setdefault(code, {})
        if indicator in codes_of(version):
            scores[indicator] = score
    return found
