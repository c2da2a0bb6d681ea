"""Attaching evidence to an indicator, removing it, and listing it for a page.

Attach and remove arrive as sync items (``evidence.attach``,
``evidence.remove``) beside the answers, so they are idempotent by the
phone's item id and ordered with the answers. They refer to a file by hash:
the file may already be on the server or still on the phone.

Runs in the caller's transaction and never commits.
"""

from dataclasses import dataclass

from sqlalchemy import and_, select

from ..assessment import recording
from ..assessment.models import Assessment
from ..auth.models import utcnow
from ..domain.evidence import attach_problem, size_label
from ..domain.file_types import PDF
from ..domain.workflow import EDITABLE, Status
from ..errors import ServiceError
from ..extensions import db
from ..framework_versions.services import framework_by_version
from .models import EvidenceAttachment, EvidenceFile, EvidenceHolder

ATTACHMENTS = EvidenceAttachment.__table__
FILES = EvidenceFile.__table__
HOLDERS = EvidenceHolder.__table__
ASSESSMENTS = Assessment.__table__


@dataclass(frozen=True)
class Shown:
    """One attached file as a page shows it."""

    id: str
    indicator_code: str
    sha256: str
    content_type: str
    size: int
    caption: str
    filename: str
    arrived: bool
    has_thumbnail: bool

    @property
    def is_pdf(self):
        """Return True for a PDF (shown as a link, not a picture)."""
        return self.content_type == PDF

    @property
    def size_label(self):
        """Return the size as a person reads it."""
        return size_label(self.size)

    def to_json(self):
        """Return what a phone needs to know of it."""
        return {"id": self.id, "indicator": self.indicator_code, "sha256": self.sha256,
                "content_type": self.content_type, "size": self.size,
                "caption": self.caption, "filename": self.filename,
                "arrived": self.arrived}


def _active(assessment_id):
    """Return (indicator code, size) of every file attached to an assessment now."""
    return db.session.connection().execute(
        select(ATTACHMENTS.c.indicator_code, ATTACHMENTS.c.size).where(
            ATTACHMENTS.c.assessment_id == assessment_id,
            ATTACHMENTS.c.removed_at.is_(None))).all()


def _editable(recorded):
    """Refuse a change of evidence once the assessment is sent or approved."""
    if Status(recorded.status) not in EDITABLE:
        raise ServiceError("not_editable")


def attach(item, fiscal_year, actor_id):
    """Attach a file (by hash) to an indicator; return (attachment json, Recorded).

    ``item`` is a loaded ``evidence.attach`` item. Opens (or creates) the
    subdistrict's assessment locked, like saving answers, so an attach
    and a submit never interleave.
    """
    recorded = recording.open_locked(item["round_id"], fiscal_year, item["subdistrict_code"])
    # The indicator must be one of the framework the assessment was made with.
    # Refused here, the caller rolls back, taking a draft this call made with it.
    if framework_by_version(recorded.framework_version).indicator(item["indicator"]) is None:
        raise ServiceError("unknown_indicator", field="indicator")
    _editable(recorded)
    connection = db.session.connection()
    stored = connection.execute(select(FILES.c.content_type, FILES.c.size).where(
        FILES.c.sha256 == item["sha256"])).first()
    # Once the file is here its checked type and size count, not the phone's word.
    content_type, size = stored if stored else (item["content_type"], item["size"])
    problem = attach_problem(_active(recorded.id), item["indicator"], size)
    if problem:
        raise ServiceError(problem[0], field="indicator", detail=problem[1])
    connection.execute(ATTACHMENTS.insert().values(
        id=str(item["client_id"]), assessment_id=recorded.id,
        indicator_code=item["indicator"], sha256=item["sha256"], content_type=content_type,
        size=size, caption=item["caption"].strip(), filename=item["filename"].strip(),
        added_by=actor_id, added_at=utcnow()))
    shown = listed(recorded.id, item["subdistrict_code"], attachment_id=str(item["client_id"]))
    return shown[0].to_json(), recorded


def remove(attachment_id, user, actor_id):
    """Remove an attached file; return the assessment's state, or None if not found.

    ``user`` must cover the subdistrict (else None, which the caller turns
    into a 404). Removing one already removed changes nothing.
    """
    connection = db.session.connection()
    row = connection.execute(
        select(ASSESSMENTS.c.round_id, ASSESSMENTS.c.subdistrict_code)
        .join(ASSESSMENTS, ASSESSMENTS.c.id == ATTACHMENTS.c.assessment_id)
        .where(ATTACHMENTS.c.id == attachment_id)).first()
    if row is None or not user.covers(row.subdistrict_code):
        return None
    recorded = recording.locked(row.round_id, row.subdistrict_code)
    _editable(recorded)
    connection.execute(ATTACHMENTS.update().where(
        ATTACHMENTS.c.id == attachment_id, ATTACHMENTS.c.removed_at.is_(None)).values(
        removed_at=utcnow(), removed_by=actor_id))
    return recorded


def listed(assessment_id, subdistrict_code, attachment_id=None):
    """Return the attached files of an assessment (or one of them), oldest first.

    ``arrived`` says whether the subdistrict has sent the file itself yet.
    """
    holder = and_(HOLDERS.c.sha256 == ATTACHMENTS.c.sha256,
                  HOLDERS.c.subdistrict_code == subdistrict_code)
    query = (select(ATTACHMENTS.c.id, ATTACHMENTS.c.indicator_code, ATTACHMENTS.c.sha256,
                    ATTACHMENTS.c.content_type, ATTACHMENTS.c.size, ATTACHMENTS.c.caption,
                    ATTACHMENTS.c.filename, HOLDERS.c.sha256.isnot(None),
                    FILES.c.has_thumbnail.is_(True))
             .select_from(ATTACHMENTS)
             .outerjoin(HOLDERS, holder)
             .outerjoin(FILES, FILES.c.sha256 == HOLDERS.c.sha256)
             .where(ATTACHMENTS.c.assessment_id == assessment_id,
                    ATTACHMENTS.c.removed_at.is_(None))
             .order_by(ATTACHMENTS.c.added_at, ATTACHMENTS.c.id))
    if attachment_id:
        query = query.where(ATTACHMENTS.c.id == attachment_id)
    return [Shown(*row[:7], bool(row[7]), bool(row[8]))
            for row in db.session.connection().execute(query)]


def by_indicator(assessment_id, subdistrict_code):
    """Return indicator code -> list of Shown for a page."""
    found = {}
    for shown in listed(assessment_id, subdistrict_code):
        found.setdefault(shown.indicator_code, []).append(shown)
    return found
