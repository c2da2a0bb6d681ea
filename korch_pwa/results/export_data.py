"""Read an area's results batch by batch, for exports in constant memory.

The whole country is about 7,300 subdistricts x 2 rounds x 23 indicators:
never loaded at once. Subdistricts are read in code order, ``BATCH`` at a
time (keyset, not OFFSET), and each batch costs the same five queries
whatever the area, so memory follows the batch and time follows the rows.
"""

from sqlalchemy import func, select

from ..assessment.models import Answer, Assessment, AssessmentEvent, Round
from ..auth.models import User
from ..domain.results_table import NOT_STARTED_FACTS, Facts, Place
from ..domain.workflow import Action
from ..evidence.models import EvidenceAttachment
from ..extensions import db
from ..org.models import Area

# Subdistricts per batch (x 2 rounds x 23 answers). Measured by
# bench/results_export.py: the process peak grows ~7 MiB at 50, ~15 at 250, ~50 at 2000.
BATCH = 250


def rounds_of(fiscal_year, number=None):
    """Return (id, number) of the rounds of a fiscal year (one when ``number`` is given).

    Plain rows, not ORM objects: an export streams on after its request commits.
    """
    query = (select(Round.id, Round.number).where(Round.fiscal_year == fiscal_year)
             .order_by(Round.number))
    if number:
        query = query.where(Round.number == number)
    return db.session.execute(query).all()


def _parent_names(prefix):
    """Return {code: name} of the provinces and districts under ``prefix``."""
    return dict(db.session.execute(
        select(Area.code, Area.name_th).where(
            Area.level.in_(("province", "district")),
            Area.code.startswith(prefix[:2], autoescape=True))).all())


def _subdistricts(prefix, after, size):
    """Return up to ``size`` (code, name, district code) under ``prefix``, after ``after``."""
    return db.session.execute(
        select(Area.code, Area.name_th, Area.parent_code)
        .where(Area.level == "subdistrict", Area.code.startswith(prefix, autoescape=True),
               Area.code > after)
        .order_by(Area.code).limit(size)).all()


def places(prefix, size=None):
    """Yield lists of Place under ``prefix``, in code order, ``size`` at a time."""
    size = size or BATCH
    names = _parent_names(prefix)
    after = ""
    while True:
        rows = _subdistricts(prefix, after, size)
        if not rows:
            return
        yield [Place(code[:2], names.get(code[:2], ""), district or code[:4],
                     names.get(district or code[:4], ""), code, name)
               for code, name, district in rows]
        after = rows[-1][0]


def _facts(codes, round_ids):
    """Return {(subdistrict code, round id): Facts} of the assessments there."""
    facts, by_id = {}, {}
    for row in db.session.execute(
            select(Assessment.id, Assessment.subdistrict_code, Assessment.round_id,
                   Assessment.status, Assessment.framework_version, Assessment.percent,
                   Assessment.level_code, Assessment.submitted_at)
            .where(Assessment.subdistrict_code.in_(codes),
                   Assessment.round_id.in_(round_ids))):
        item = Facts(row.status, row.framework_version, row.percent, row.level_code,
                     row.submitted_at)
        facts[(row.subdistrict_code, row.round_id)] = by_id[row.id] = item
    if not by_id:
        return facts
    ids = list(by_id)
    for assessment_id, code, score, note in db.session.execute(
            select(Answer.assessment_id, Answer.indicator_code, Answer.score, Answer.note)
            .where(Answer.assessment_id.in_(ids))):
        by_id[assessment_id].scores[code] = score
        by_id[assessment_id].notes[code] = note
    for assessment_id, code, count in db.session.execute(
            select(EvidenceAttachment.assessment_id, EvidenceAttachment.indicator_code,
                   func.count())
            .where(EvidenceAttachment.assessment_id.in_(ids),
                   EvidenceAttachment.removed_at.is_(None))
            .group_by(EvidenceAttachment.assessment_id, EvidenceAttachment.indicator_code)):
        by_id[assessment_id].evidence[code] = count
    approved = [i for i, item in by_id.items() if item.status == "approved"]
    if approved:
        # Ordered by id, so the last approval of a reopened one wins.
        for assessment_id, name, at in db.session.execute(
                select(AssessmentEvent.assessment_id, User.full_name, AssessmentEvent.at)
                .join(User, User.id == AssessmentEvent.actor_id)
                .where(AssessmentEvent.assessment_id.in_(approved),
                       AssessmentEvent.action == Action.APPROVE.value)
                .order_by(AssessmentEvent.id)):
            by_id[assessment_id].approved_by, by_id[assessment_id].approved_at = name, at
    return facts


def results(prefix, rounds, size=None):
    """Yield (Place, Round, Facts) for every subdistrict under ``prefix`` and round.

    Subdistricts in code order, then rounds by number; a subdistrict with no
    assessment in a round gets NOT_STARTED_FACTS.
    """
    round_ids = [r.id for r in rounds]
    for batch in places(prefix, size):
        facts = _facts([p.code for p in batch], round_ids)
        for place in batch:
            for rnd in rounds:
                yield place, rnd, facts.get((place.code, rnd.id), NOT_STARTED_FACTS)
        # Let this batch go before the next is read: one batch in memory, not two.
        del facts
