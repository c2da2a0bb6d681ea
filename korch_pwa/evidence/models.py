"""Evidence files (content-addressed), who holds them, uploads under way, attachments.

A file is named by the SHA-256 of its bytes, so the same photo sent twice,
or by two subdistricts, is stored once. Who may read it is a separate fact
(``EvidenceHolder``): a subdistrict holds a file only after sending it
itself, so knowing a hash never opens another area's file.
"""

from ..auth.models import utcnow
from ..domain.limits import (EVIDENCE_CAPTION_MAX, EVIDENCE_FILENAME_MAX, INDICATOR_MAX,
                             SHA256_HEX_LEN)
from ..extensions import db

SHA256 = db.String(SHA256_HEX_LEN)


class EvidenceFile(db.Model):
    """One stored file: its checked type, size and whether it has a thumbnail."""

    __tablename__ = "evidence_files"

    sha256 = db.Column(SHA256, primary_key=True)
    content_type = db.Column(db.String(40), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    width = db.Column(db.Integer)
    height = db.Column(db.Integer)
    has_thumbnail = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class EvidenceHolder(db.Model):
    """A subdistrict that sent this file, and so may read it (with its officers)."""

    __tablename__ = "evidence_holders"

    sha256 = db.Column(SHA256, db.ForeignKey("evidence_files.sha256", ondelete="CASCADE"),
                       primary_key=True)
    subdistrict_code = db.Column(db.String(6), db.ForeignKey("areas.code"),
                                 primary_key=True)
    uploaded_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    uploaded_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class EvidenceUpload(db.Model):
    """A file being sent in chunks; ``received`` is where the next chunk starts.

    Kept in the database, not on a worker's disk, so that a phone whose
    connection dropped resumes on whichever worker or host it reaches next.
    """

    __tablename__ = "evidence_uploads"

    sha256 = db.Column(SHA256, primary_key=True)
    subdistrict_code = db.Column(db.String(6), db.ForeignKey("areas.code"),
                                 primary_key=True)
    length = db.Column(db.Integer, nullable=False)
    received = db.Column(db.Integer, nullable=False, default=0)
    started_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class EvidenceChunk(db.Model):
    """The bytes of one chunk of an upload, starting at ``position``."""

    __tablename__ = "evidence_chunks"
    __table_args__ = (db.ForeignKeyConstraint(
        ["sha256", "subdistrict_code"],
        ["evidence_uploads.sha256", "evidence_uploads.subdistrict_code"],
        ondelete="CASCADE"),)

    sha256 = db.Column(SHA256, primary_key=True)
    subdistrict_code = db.Column(db.String(6), primary_key=True)
    position = db.Column(db.Integer, primary_key=True)
    data = db.Column(db.LargeBinary, nullable=False)


class EvidenceObject(db.Model):
    """The bytes of a file or a thumbnail, when the store is the database."""

    __tablename__ = "evidence_objects"

    key = db.Column(db.String(80), primary_key=True)
    data = db.Column(db.LargeBinary, nullable=False)


class EvidenceAttachment(db.Model):
    """A file attached to one indicator of an assessment, by hash.

    The id is the phone's id of the attach item. The file itself may arrive
    before or after: until it does, the officer sees "waiting for the file".
    Removing keeps the row (``removed_at``) for the assessment's history.
    """

    __tablename__ = "evidence_attachments"
    __table_args__ = (db.CheckConstraint(f"length(caption) <= {EVIDENCE_CAPTION_MAX}",
                                         name="caption_length"),)

    id = db.Column(db.String(36), primary_key=True)
    assessment_id = db.Column(db.String(36), db.ForeignKey("assessments.id",
                              ondelete="CASCADE"), nullable=False, index=True)
    indicator_code = db.Column(db.String(INDICATOR_MAX), nullable=False)
    sha256 = db.Column(SHA256, nullable=False, index=True)
    content_type = db.Column(db.String(40), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    caption = db.Column(db.Text, nullable=False, default="")
    filename = db.Column(db.String(EVIDENCE_FILENAME_MAX), nullable=False, default="")
    added_by = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    added_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    removed_at = db.Column(db.DateTime(timezone=True))
    removed_by = db.Column(db.Integer, db.ForeignKey("users.id"))
