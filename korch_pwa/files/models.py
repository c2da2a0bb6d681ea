"""Uploaded files stored in the database.

Kept in PostgreSQL rather than on a worker's disk so that every gunicorn
worker on every host serves the same files; scans are size-limited.
"""

from ..auth.models import utcnow
from ..extensions import db


class StoredFile(db.Model):
    """One uploaded file, its checked type and who uploaded it for which area."""

    __tablename__ = "stored_files"

    id = db.Column(db.Integer, primary_key=True)
    area_code = db.Column(db.String(6), db.ForeignKey("areas.code"), nullable=False, index=True)
    filename = db.Column(db.String(255), nullable=False)
    content_type = db.Column(db.String(80), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    data = db.Column(db.LargeBinary, nullable=False)
    uploaded_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    uploaded_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
