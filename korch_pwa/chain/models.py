"""The reporting chain's records: the coordinator, due items and their sendings."""

from sqlalchemy import event

from ..assessment.models import Round
from ..auth.models import utcnow
from ..domain.limits import NAME_MAX
from ..extensions import db


class ProvinceCoordinator(db.Model):
    """The person a province names for the reporting chain (the Ubon letter names one)."""

    __tablename__ = "province_coordinators"

    province_code = db.Column(db.String(2), db.ForeignKey("areas.code"), primary_key=True)
    name = db.Column(db.String(NAME_MAX), nullable=False)
    position = db.Column(db.String(NAME_MAX), nullable=False, default="")
    phone = db.Column(db.String(20), nullable=False)  # bare digits, as the register keeps them
    updated_by = db.Column(db.Integer, db.ForeignKey("users.id"))
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class DueItem(db.Model):
    """One thing of one fiscal year that districts send to provinces and provinces on.

    A round's results are an item too, so that its sendings are recorded
    like every other's; its dates stay on the round (``Round.department_due``
    and the provinces' ``ProvinceDeadline``), their one home, and the item's
    own ``department_due`` is empty.
    """

    __tablename__ = "due_items"
    __table_args__ = (
        # One item of a kind a year; a round's results are one per round
        # (its unique round_id), so the rule holds where round_id is empty.
        db.Index("uq_due_items_year_kind", "fiscal_year", "kind", unique=True,
                 postgresql_where=db.text("round_id IS NULL"),
                 sqlite_where=db.text("round_id IS NULL")),
        db.CheckConstraint("(round_id IS NULL) <> (department_due IS NULL)",
                           name="one_date_home"),
    )

    id = db.Column(db.Integer, primary_key=True)
    fiscal_year = db.Column(db.Integer, nullable=False, index=True)
    kind = db.Column(db.String(20), nullable=False)
    round_id = db.Column(db.Integer, db.ForeignKey("rounds.id", ondelete="CASCADE"),
                         unique=True)
    department_due = db.Column(db.Date)
    round = db.relationship("Round", lazy="joined")
    deadlines = db.relationship("DueItemDeadline", cascade="all, delete-orphan",
                                lazy="selectin")

    @property
    def department_date(self):
        """Return the department's date, from the round for a round's results."""
        return self.round.department_due if self.round is not None else self.department_due

    def province_due(self, province_code):
        """Return the province's own date, or None when it set none."""
        rows = self.round.deadlines if self.round is not None else self.deadlines
        for row in rows:
            if row.province_code == province_code:
                return row.due
        return None


@event.listens_for(Round, "after_insert")
def _round_results_item(_mapper, connection, rnd):
    """Give every new round its results' due item, whoever creates the round."""
    from ..inserts import insert_ignore

    insert_ignore(connection, DueItem.__table__, {
        "fiscal_year": rnd.fiscal_year, "kind": "round_results", "round_id": rnd.id,
        "department_due": None})


class DueItemDeadline(db.Model):
    """A province's date for a due item, not later than the department's."""

    __tablename__ = "due_item_deadlines"

    due_item_id = db.Column(db.Integer, db.ForeignKey("due_items.id", ondelete="CASCADE"),
                            primary_key=True)
    province_code = db.Column(db.String(2), db.ForeignKey("areas.code"), primary_key=True)
    due = db.Column(db.Date, nullable=False)


class Dispatch(db.Model):
    """An area's sending of a due item to the level above, and its answer."""

    __tablename__ = "dispatches"
    __table_args__ = (db.UniqueConstraint("due_item_id", "area_code"),)

    id = db.Column(db.Integer, primary_key=True)
    due_item_id = db.Column(db.Integer, db.ForeignKey("due_items.id", ondelete="CASCADE"),
                            nullable=False)
    area_code = db.Column(db.String(4), db.ForeignKey("areas.code"), nullable=False,
                          index=True)
    state = db.Column(db.String(16), nullable=False)
    first_sent_at = db.Column(db.DateTime(timezone=True), nullable=False)
    sent_at = db.Column(db.DateTime(timezone=True), nullable=False)
    sent_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    # What was sent the last time: the sender's figures, frozen.
    snapshot = db.Column(db.JSON, nullable=False, default=dict)
    decided_at = db.Column(db.DateTime(timezone=True))
    decided_by = db.Column(db.Integer, db.ForeignKey("users.id"))
    comment = db.Column(db.Text, nullable=False, default="")
    # Round results accepted without every subdistrict approved: {code: reason}.
    exceptions = db.Column(db.JSON)
    version = db.Column(db.Integer, nullable=False, default=1)
    events = db.relationship("DispatchEvent", order_by="DispatchEvent.id",
                             cascade="all, delete-orphan")


class DispatchEvent(db.Model):
    """One send, return or accept, kept with who did it and what was sent then."""

    __tablename__ = "dispatch_events"

    id = db.Column(db.Integer, primary_key=True)
    dispatch_id = db.Column(db.Integer, db.ForeignKey("dispatches.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    act = db.Column(db.String(16), nullable=False)
    at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    comment = db.Column(db.Text, nullable=False, default="")
    snapshot = db.Column(db.JSON)
    actor = db.relationship("User", lazy="joined")
