"""A framework version's text as it was used, and which version a fiscal year uses."""

from ..auth.models import utcnow
from ..domain.limits import FRAMEWORK_VERSION_MAX
from ..extensions import db


class FrameworkVersion(db.Model):
    """One framework file as stored: never changed once written.

    An assessment names its version; keeping the text here means a later
    file with the same name can never re-interpret answers already given.
    """

    __tablename__ = "framework_versions"

    version = db.Column(db.String(FRAMEWORK_VERSION_MAX), primary_key=True)
    fiscal_year = db.Column(db.Integer, nullable=False)
    source = db.Column(db.Text, nullable=False)  # the YAML, as uploaded or shipped
    sha256 = db.Column(db.String(64), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    created_by = db.Column(db.Integer, db.ForeignKey("users.id"))  # None: shipped with the app


class FrameworkActivation(db.Model):
    """A version made the one new assessments of a fiscal year (and later ones) use.

    Rows are added, never changed: the latest for a year is in force, the
    earlier ones are its history.
    """

    __tablename__ = "framework_activations"

    id = db.Column(db.Integer, primary_key=True)
    fiscal_year = db.Column(db.Integer, nullable=False, index=True)
    version = db.Column(db.String(FRAMEWORK_VERSION_MAX),
                        db.ForeignKey("framework_versions.version"), nullable=False)
    activated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    activated_by = db.Column(db.Integer, db.ForeignKey("users.id"))
