"""Operations on assessments, shared by the HTML forms and the sync API.

They change models and flush; the caller (the request) commits. Answers
are written by ``recording`` (the sync hot path); these wrap it for callers
that work with ORM objects.
"""

from sqlalchemy import select

from ..auth.models import utcnow
from ..domain.limits import COMMENT_MAX, text_problem
from ..domain.notices import DECISION_EVENTS
from ..domain.scoring import score
from ..domain.workflow import Action, Status, TransitionError, next_status
from ..errors import Incomplete, ServiceError
from ..extensions import db
from ..framework_versions.services import active_framework, framework_by_version
from ..notifications.services import notify_assessment
from . import recording
from .models import Assessment, AssessmentEvent, IndicatorComment, Round


def current_round(today):
    """Return the round whose due date is next on or after ``today``.

    Past the last due date the latest round stays current so that late
    subdistricts can still finish it.
    """
    rounds = list(db.session.scalars(select(Round).order_by(Round.department_due)))
    upcoming = [r for r in rounds if r.department_due >= today]
    if upcoming:
        return upcoming[0]
    return rounds[-1] if rounds else None


def framework_of(assessment):
    """Return the framework that applies to an assessment."""
    return framework_by_version(assessment.framework_version)


def approved_assessment(fiscal_year, number, subdistrict_code):
    """Return the subdistrict's approved assessment in round ``number`` of a year, or None."""
    return db.session.scalar(
        select(Assessment).join(Round, Round.id == Assessment.round_id)
        .where(Round.fiscal_year == fiscal_year, Round.number == number,
               Assessment.subdistrict_code == subdistrict_code,
               Assessment.status == Status.APPROVED.value))


def _of_round(round_id, subdistrict_code):
    """Return the query for the subdistrict's assessment in a round."""
    return select(Assessment).where(Assessment.round_id == round_id,
                                    Assessment.subdistrict_code == subdistrict_code)


def _for_change(query):
    """Load the assessment of ``query`` for change, locking its row on PostgreSQL.

    Two workers syncing the same assessment must not interleave their
    read-merge-write, or one person's answers would be lost.
    """
    return db.session.scalar(query.with_for_update()
                             .execution_options(populate_existing=True))


def find_assessment(round_id, subdistrict_code):
    """Return the subdistrict's assessment in the round, or None."""
    return db.session.scalar(_of_round(round_id, subdistrict_code))


def lock(assessment_id):
    """Load an assessment by id for change (see ``_for_change``)."""
    return _for_change(select(Assessment).where(Assessment.id == assessment_id))


def _reloaded(assessment_id):
    """Return the ORM assessment as the database now holds it.

    ``recording`` writes with SQLAlchemy Core, so an instance already in the
    session would otherwise keep the values it had before.
    """
    return db.session.get(Assessment, assessment_id, populate_existing=True)


def open_assessment(rnd, subdistrict_code, assessment_id=None):
    """Return the subdistrict's assessment in a round, creating a draft.

    ``assessment_id`` lets an offline client choose the id of a new one.
    """
    row = recording.open_locked(rnd.id, rnd.fiscal_year, subdistrict_code, assessment_id)
    return _reloaded(row.id)


def save_answers(assessment, changes, actor):
    """Merge ``changes`` into an editable assessment (see ``recording.record_answers``).

    Return ``(written, conflicts)``; non-clashing answers are written even when
    others clash, and the clashing ones are left for a person to choose.
    """
    recorded = recording.record_answers(assessment.round_id, assessment.round.fiscal_year,
                                        assessment.subdistrict_code, changes, actor.id)
    _reloaded(assessment.id)
    return recorded.written, recorded.conflicts


def _record(assessment, action, from_status, actor, comment=""):
    """Append a history event of an officer's decision, tell the committee, return the event."""
    now = utcnow()
    event = AssessmentEvent(assessment_id=assessment.id, action=action.value,
                            from_status=from_status, to_status=assessment.status,
                            version=assessment.version, actor_id=actor.id,
                            comment=comment, at=now)
    db.session.add(event)
    notify_assessment(db.session.connection(), DECISION_EVENTS[action.value], assessment.id,
                      assessment.version, assessment.round_id, assessment.subdistrict_code,
                      actor.id, now)
    return event


def _transition(assessment, action):
    """Move to the next state or raise ServiceError; return the old state."""
    old = assessment.status
    try:
        assessment.status = next_status(old, action).value
    except TransitionError:
        raise ServiceError("transition", detail={"status": old, "action": action.value})
    return old


def submit(assessment, actor):
    """Send a complete editable assessment to the district for review."""
    try:
        record_answers(assessment.round, assessment.subdistrict_code, [], actor, send=True)
    finally:
        _reloaded(assessment.id)


def _check_seen(assessment, seen_version):
    """Refuse a decision about a version the officer did not see."""
    if seen_version != assessment.version:
        raise ServiceError("stale_version", field="version",
                           detail={"seen": seen_version, "current": assessment.version})


def approve(assessment, actor, seen_version, comment=""):
    """Approve a submitted assessment the officer has seen as it is."""
    _check_seen(assessment, seen_version)
    old = _transition(assessment, Action.APPROVE)
    assessment.version += 1
    assessment.decided_at = assessment.updated_at = utcnow()
    _record(assessment, Action.APPROVE, old, actor, comment)
    db.session.flush()


def return_for_changes(assessment, actor, seen_version, comments, comment="",
                       evidence_wanted=()):
    """Return a submitted assessment with comments per indicator.

    ``evidence_wanted``: indicators on which the officer asks for better
    evidence, with or without a comment of their own.
    """
    _check_seen(assessment, seen_version)
    framework = framework_of(assessment)
    comments = {k: v.strip() for k, v in comments.items() if v and v.strip()}
    wanted = set(evidence_wanted or ())
    for code, text in [*comments.items(), ("comment", comment or "")]:
        field = f"comments.{code}" if code != "comment" else "comment"
        if text_problem(text):
            raise ServiceError("bad_text", field=field)
        if len(text) > COMMENT_MAX:
            raise ServiceError("comment_too_long", field=field, detail={"max": COMMENT_MAX})
    unknown = [k for k in [*comments, *sorted(wanted)] if framework.indicator(k) is None]
    if unknown:
        where = "comments" if unknown[0] in comments else "evidence_wanted"
        raise ServiceError("invalid_score", field=f"{where}.{unknown[0]}",
                           detail="no such indicator")
    if not comments and not wanted and not comment.strip():
        raise ServiceError("return_reason", field="comments")
    old = _transition(assessment, Action.RETURN)
    assessment.version += 1
    assessment.decided_at = assessment.updated_at = utcnow()
    event = _record(assessment, Action.RETURN, old, actor, comment.strip())
    for code in sorted(set(comments) | wanted, key=framework.position):
        event.indicator_comments.append(IndicatorComment(
            indicator_code=code, comment=comments.get(code, ""), wants_evidence=code in wanted))
    db.session.flush()


def reopen(assessment, actor, seen_version, comment):
    """Reopen an approved assessment for a correction, unless the province accepted it."""
    from ..reports.models import DistrictAcceptance

    _check_seen(assessment, seen_version)
    if not comment.strip():
        raise ServiceError("return_reason", field="comment")
    accepted = db.session.get(DistrictAcceptance,
                              (assessment.round_id, assessment.subdistrict_code[:4]))
    if accepted is not None:
        raise ServiceError("accepted")
    old = _transition(assessment, Action.REOPEN)
    assessment.version += 1
    assessment.decided_at = assessment.updated_at = utcnow()
    _record(assessment, Action.REOPEN, old, actor, comment.strip())
    db.session.flush()


def record_answers(rnd, subdistrict_code, changes, actor, send=False, assessment_id=None):
    """Merge a person's changes into the subdistrict's assessment, then maybe submit.

    The ORM face of ``recording.record_answers`` for the HTML form. Return
    ``(assessment, conflicts)``; with conflicts nothing is submitted. A submit
    with unanswered indicators raises ``Incomplete`` (its ``assessment`` the
    saved one) after the answers are written: the caller commits them.
    """
    try:
        recorded = recording.record_answers(rnd.id, rnd.fiscal_year, subdistrict_code,
                                            changes, actor.id, send, assessment_id)
    except Incomplete as exc:
        exc.assessment = _reloaded(exc.assessment.id)
        raise
    return _reloaded(recorded.id), recorded.conflicts


def decide(assessment, actor, decision, seen_version, comments=None, comment="",
           evidence_wanted=()):
    """Approve, return or reopen an assessment after locking it; return the new status."""
    lock(assessment.id)
    if decision == "approve":
        approve(assessment, actor, seen_version, comment or "")
    elif decision == "reopen":
        reopen(assessment, actor, seen_version, comment or "")
    else:
        return_for_changes(assessment, actor, seen_version, comments or {}, comment or "",
                           evidence_wanted)
    return assessment.status


def latest_return(assessment):
    """Return the last 'return' event, whose comments the committee must see."""
    returns = [e for e in assessment.events
               if e.action in (Action.RETURN.value, Action.REOPEN.value)]
    return returns[-1] if returns else None


def framework_for_round(rnd):
    """Return the framework new assessments of a round's fiscal year are made with."""
    return active_framework(rnd.fiscal_year)


def framework_in_use(rnd, assessment):
    """Return the assessment's own framework, or the round's for one not made yet."""
    return framework_of(assessment) if assessment is not None else framework_for_round(rnd)


def score_values(framework, values):
    """Score code -> (score, note) pairs, ignoring values the rubric lacks."""
    answers = {}
    for code, (value, _note) in values.items():
        indicator = framework.indicator(code)
        if indicator is not None and value in indicator.scores:
            answers[code] = value
    return score(framework, answers)
