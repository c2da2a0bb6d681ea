"""The district progress report and the province's acceptance of results."""

from ..auth.models import utcnow
from ..domain.limits import REPORTER_MAX
from ..extensions import db


class DistrictReport(db.Model):
    """A district's progress report (แบบประเมินผลความก้าวหน้า) for a fiscal year."""

    __tablename__ = "district_reports"
    __table_args__ = (db.UniqueConstraint("district_code", "fiscal_year"),)

    id = db.Column(db.Integer, primary_key=True)
    district_code = db.Column(db.String(4), db.ForeignKey("areas.code"), nullable=False)
    fiscal_year = db.Column(db.Integer, nullable=False)
    problems = db.Column(db.Text, nullable=False, default="")
    suggestions = db.Column(db.Text, nullable=False, default="")
    reporter_name = db.Column(db.String(REPORTER_MAX), nullable=False, default="")
    reporter_position = db.Column(db.String(REPORTER_MAX), nullable=False, default="")
    status = db.Column(db.String(16), nullable=False, default="draft")
    # The counts as they stood when the district sent the report.
    counts = db.Column(db.JSON)
    submitted_at = db.Column(db.DateTime(timezone=True))
    submitted_by = db.Column(db.Integer, db.ForeignKey("users.id"))
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class DistrictAcceptance(db.Model):
    """The province accepting a district's approved results for a round."""

    __tablename__ = "district_acceptances"

    round_id = db.Column(db.Integer, db.ForeignKey("rounds.id", ondelete="CASCADE"),
                         primary_key=True)
    district_code = db.Column(db.String(4), db.ForeignKey("areas.code"), primary_key=True)
    accepted_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    accepted_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class ReportFile(db.Model):
    """The report of an area and year as last rendered to a file (see reports.rendered).

    Derived data: deleting a row only costs one rendering.
    """

    __tablename__ = "report_files"

    area_code = db.Column(db.String(6), db.ForeignKey("areas.code", ondelete="CASCADE"),
                          primary_key=True)
    fiscal_year = db.Column(db.Integer, primary_key=True)
    format = db.Column(db.String(4), primary_key=True)
    digest = db.Column(db.String(64), nullable=False)
    body = db.Column(db.LargeBinary, nullable=False)
    rendered_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
