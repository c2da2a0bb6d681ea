"""A province's coordinator, whom its districts call about what they send up."""

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
