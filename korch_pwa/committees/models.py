"""Committees, their appointment orders (terms), members and meetings."""

from ..auth.models import utcnow
from ..domain.limits import (ACTIVITY_TITLE_MAX, MEETING_TITLE_MAX, NAME_MAX, NAME_TITLE_MAX,
                             ORDER_NUMBER_MAX, ORGANISATION_MAX)
from ..extensions import db

KORCH = "korch"  # ศอช. at subdistrict, district or province level
KBT = "kbt"      # ก.บ.ต. (integrated subdistrict administration committee)


class Committee(db.Model):
    """A standing committee of an area; its level follows from the code length."""

    __tablename__ = "committees"
    __table_args__ = (
        db.UniqueConstraint("kind", "area_code"),
        # Every committee under an area (``area_code LIKE '30%'``), for the report.
        db.Index("ix_committees_area_code_prefix", "area_code",
                 postgresql_ops={"area_code": "varchar_pattern_ops"}),
    )

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(8), nullable=False, default=KORCH)
    area_code = db.Column(db.String(6), db.ForeignKey("areas.code"), nullable=False, index=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    area = db.relationship("Area")
    orders = db.relationship("AppointmentOrder", cascade="all, delete-orphan",
                             # Latest order first; the later entry wins a same-day tie.
                             order_by="[AppointmentOrder.order_date.desc(), "
                                      "AppointmentOrder.id.desc()]",
                             back_populates="committee")
    meetings = db.relationship("Meeting", cascade="all, delete-orphan",
                               order_by="Meeting.held_on.desc()", back_populates="committee")

    @property
    def level(self):
        """Return 'province', 'district' or 'subdistrict'."""
        return {2: "province", 4: "district", 6: "subdistrict"}[len(self.area_code)]

    @property
    def current_order(self):
        """Return the latest appointment order (the current term), or None."""
        return self.orders[0] if self.orders else None


class AppointmentOrder(db.Model):
    """An order (คำสั่งแต่งตั้ง) appointing a committee for a term."""

    __tablename__ = "appointment_orders"

    id = db.Column(db.Integer, primary_key=True)
    committee_id = db.Column(db.Integer, db.ForeignKey("committees.id", ondelete="CASCADE"),
                             nullable=False, index=True)
    number = db.Column(db.String(ORDER_NUMBER_MAX), nullable=False)
    order_date = db.Column(db.Date, nullable=False)
    term_start = db.Column(db.Date)
    term_end = db.Column(db.Date)
    file_id = db.Column(db.Integer, db.ForeignKey("stored_files.id"))
    created_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    committee = db.relationship("Committee", back_populates="orders")
    file = db.relationship("StoredFile")
    members = db.relationship("CommitteeMember", cascade="all, delete-orphan",
                              order_by="CommitteeMember.id", back_populates="order")


class CommitteeMember(db.Model):
    """A person on a committee for one order's term; only what the register needs (PDPA)."""

    __tablename__ = "committee_members"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("appointment_orders.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    title = db.Column(db.String(NAME_TITLE_MAX), nullable=False, default="")
    first_name = db.Column(db.String(NAME_MAX), nullable=False)
    last_name = db.Column(db.String(NAME_MAX), nullable=False)
    position = db.Column(db.String(NAME_MAX), nullable=False)
    organisation = db.Column(db.String(ORGANISATION_MAX), nullable=False, default="")
    phone = db.Column(db.String(20), nullable=False, default="")
    # On a ก.บ.ต. order: the ศอช.ต. member who sits as a qualified person.
    korch_member_id = db.Column(db.Integer, db.ForeignKey("committee_members.id",
                                ondelete="SET NULL"))
    # The person's account, made from the register; copied to the next term with them.
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    order = db.relationship("AppointmentOrder", back_populates="members")

    @property
    def display_name(self):
        """Return title + first + last name."""
        return f"{self.title}{self.first_name} {self.last_name}".strip()


class Meeting(db.Model):
    """A committee meeting; two a fiscal year are required."""

    __tablename__ = "meetings"

    id = db.Column(db.Integer, primary_key=True)
    committee_id = db.Column(db.Integer, db.ForeignKey("committees.id", ondelete="CASCADE"),
                             nullable=False, index=True)
    held_on = db.Column(db.Date, nullable=False)
    title = db.Column(db.String(MEETING_TITLE_MAX), nullable=False, default="")
    attendees = db.Column(db.Integer, nullable=False)
    minutes_file_id = db.Column(db.Integer, db.ForeignKey("stored_files.id"))
    created_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    committee = db.relationship("Committee", back_populates="meetings")
    minutes_file = db.relationship("StoredFile")


class StrongSubdistrictActivity(db.Model):
    """An activity of the Strong Subdistrict project driven by the ศอช.ต."""

    __tablename__ = "strong_subdistrict_activities"
    __table_args__ = (
        # A year's activities under an area (``subdistrict_code LIKE '30%'``).
        db.Index("ix_strong_subdistrict_activities_year_code_prefix", "fiscal_year",
                 "subdistrict_code",
                 postgresql_ops={"subdistrict_code": "varchar_pattern_ops"}),
    )

    id = db.Column(db.Integer, primary_key=True)
    subdistrict_code = db.Column(db.String(6), db.ForeignKey("areas.code"),
                                 nullable=False, index=True)
    fiscal_year = db.Column(db.Integer, nullable=False, index=True)
    title = db.Column(db.String(ACTIVITY_TITLE_MAX), nullable=False)
    in_plan = db.Column(db.Boolean, nullable=False, default=False)
    created_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class ExportLog(db.Model):
    """Who exported personal data of which area, when (PDPA)."""

    __tablename__ = "export_logs"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    area_code = db.Column(db.String(6), nullable=False)
    what = db.Column(db.String(80), nullable=False)
    at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    user = db.relationship("User", lazy="joined")
