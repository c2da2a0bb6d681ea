"""Rounds, deadlines, assessments, answers and their history."""

import uuid

from ..auth.models import utcnow
from ..domain.limits import COMMENT_MAX, FRAMEWORK_VERSION_MAX, NOTE_MAX
from ..domain.workflow import Status
from ..extensions import db


def new_id():
    """Return a random id; offline clients make their own the same way."""
    return str(uuid.uuid4())


class Round(db.Model):
    """Round 1 or 2 of a B.E. fiscal year, with the department's due date."""

    __tablename__ = "rounds"
    __table_args__ = (db.UniqueConstraint("fiscal_year", "number"),)

    id = db.Column(db.Integer, primary_key=True)
    fiscal_year = db.Column(db.Integer, nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False)
    department_due = db.Column(db.Date, nullable=False)
    # Loaded when asked for: the sync hot path reads a round on every item
    # and never needs its deadlines.
    deadlines = db.relationship("ProvinceDeadline", cascade="all, delete-orphan")

    def province_due(self, province_code):
        """Return the province's own due date, or None when it set none."""
        for deadline in self.deadlines:
            if deadline.province_code == province_code:
                return deadline.due
        return None


class ProvinceDeadline(db.Model):
    """A province's due date for a round, earlier than the department's."""

    __tablename__ = "province_deadlines"

    round_id = db.Column(db.Integer, db.ForeignKey("rounds.id", ondelete="CASCADE"),
                         primary_key=True)
    province_code = db.Column(db.String(2), db.ForeignKey("areas.code"), primary_key=True)
    due = db.Column(db.Date, nullable=False)


class Assessment(db.Model):
    """One subdistrict's self-assessment in one round."""

    __tablename__ = "assessments"
    __table_args__ = (
        db.UniqueConstraint("round_id", "subdistrict_code"),
        # A round's assessments under an area (``subdistrict_code LIKE '30%'``),
        # for the dashboards, results and the report.
        db.Index("ix_assessments_round_code_prefix", "round_id", "subdistrict_code",
                 postgresql_ops={"subdistrict_code": "varchar_pattern_ops"}),
    )

    id = db.Column(db.String(36), primary_key=True, default=new_id)
    round_id = db.Column(db.Integer, db.ForeignKey("rounds.id"), nullable=False)
    subdistrict_code = db.Column(db.String(6), db.ForeignKey("areas.code"),
                                 nullable=False, index=True)
    status = db.Column(db.String(16), nullable=False, default=Status.DRAFT.value)
    # Bumped on every change; offline clients send the version they saw.
    version = db.Column(db.Integer, nullable=False, default=1)
    framework_version = db.Column(db.String(FRAMEWORK_VERSION_MAX), nullable=False)
    percent = db.Column(db.Float)
    level_code = db.Column(db.String(32))
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    submitted_at = db.Column(db.DateTime(timezone=True))
    decided_at = db.Column(db.DateTime(timezone=True))

    round = db.relationship("Round")
    subdistrict = db.relationship("Area")
    answers = db.relationship("Answer", cascade="all, delete-orphan", lazy="selectin")
    events = db.relationship("AssessmentEvent", cascade="all, delete-orphan",
                             order_by="AssessmentEvent.id", lazy="select")

    def answer_map(self):
        """Return indicator code -> Answer row."""
        return {a.indicator_code: a for a in self.answers}

    def score_map(self):
        """Return indicator code -> score (None where unanswered)."""
        return {a.indicator_code: a.score for a in self.answers}


class Answer(db.Model):
    """The committee's rating of one indicator, with its note."""

    __tablename__ = "answers"
    # The same limit as the form, the API schema and the client: the last line
    # of defence, should any writer ever skip the checks before it.
    __table_args__ = (
        db.CheckConstraint(f"length(note) <= {NOTE_MAX}", name="note_length"),
        # No other index: one holding the score would make every save's
        # answer updates rewrite the indexes instead of being HOT on
        # PostgreSQL (migration s16_answers_hot_updates). The room left on
        # each page keeps an answer's next version beside it.
        {"postgresql_with": {"fillfactor": 90}},
    )

    assessment_id = db.Column(db.String(36), db.ForeignKey("assessments.id",
                              ondelete="CASCADE"), primary_key=True)
    indicator_code = db.Column(db.String(16), primary_key=True)
    score = db.Column(db.Integer)
    note = db.Column(db.Text, nullable=False, default="")
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_by = db.Column(db.Integer, db.ForeignKey("users.id"))


class AssessmentEvent(db.Model):
    """One step in an assessment's history: who did what, when, from which state."""

    __tablename__ = "assessment_events"
    __table_args__ = (db.CheckConstraint(f"length(comment) <= {COMMENT_MAX}",
                                         name="comment_length"),)

    id = db.Column(db.Integer, primary_key=True)
    assessment_id = db.Column(db.String(36), db.ForeignKey("assessments.id",
                              ondelete="CASCADE"), nullable=False, index=True)
    action = db.Column(db.String(16), nullable=False)
    from_status = db.Column(db.String(16), nullable=False)
    to_status = db.Column(db.String(16), nullable=False)
    version = db.Column(db.Integer, nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    comment = db.Column(db.Text, nullable=False, default="")
    actor = db.relationship("User")
    indicator_comments = db.relationship("IndicatorComment", cascade="all, delete-orphan",
                                         lazy="selectin")


class IndicatorComment(db.Model):
    """A reviewer's comment on one indicator, given when returning."""

    __tablename__ = "indicator_comments"
    __table_args__ = (db.CheckConstraint(f"length(comment) <= {COMMENT_MAX}",
                                         name="comment_length"),)

    event_id = db.Column(db.Integer, db.ForeignKey("assessment_events.id",
                         ondelete="CASCADE"), primary_key=True)
    indicator_code = db.Column(db.String(16), primary_key=True)
    comment = db.Column(db.Text, nullable=False)
    # The officer asks for better evidence on this indicator (the comment may say which).
    wants_evidence = db.Column(db.Boolean, nullable=False, default=False,
                               server_default=db.false())
