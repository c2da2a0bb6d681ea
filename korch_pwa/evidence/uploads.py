"""Receiving evidence files from phones: which are missing, and chunks that resume.

A phone names each file by its SHA-256 and asks which ones its subdistrict
has not sent yet (``missing``); it then sends each missing file whole, or in
chunks of at most EVIDENCE_CHUNK_MAX from the offset the server reports
(``receive``). The server keeps every chunk it acknowledged, in the
database, so a dropped connection costs only the chunk in flight, on
whichever worker the phone reaches next. A file is checked once whole.

Everything here runs in the caller's transaction and never commits.
"""

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from ..auth.models import utcnow
from ..domain.limits import EVIDENCE_CHUNK_MAX, EVIDENCE_FILE_MAX
from ..errors import ServiceError
from ..extensions import db
from ..inserts import insert_ignore
from . import content
from .models import EvidenceChunk, EvidenceFile, EvidenceHolder, EvidenceUpload
from .storage import current_store

FILES = EvidenceFile.__table__
HOLDERS = EvidenceHolder.__table__
UPLOADS = EvidenceUpload.__table__
CHUNKS = EvidenceChunk.__table__

# What completes an upload refuses: the partial upload is discarded with it,
# since sending the same bytes again cannot fix it (see ``must_discard``).
CONTENT_REFUSALS = frozenset({"hash_mismatch", "evidence_type", "file_broken",
                              "image_too_large"})


@dataclass(frozen=True)
class Progress:
    """Where an upload stands: bytes the server holds of ``length``."""

    sha256: str
    offset: int
    length: int

    @property
    def complete(self):
        """Return True once the server holds the whole file."""
        return self.offset >= self.length

    def to_json(self):
        """Return the API body."""
        return {"sha256": self.sha256, "offset": self.offset, "length": self.length,
                "complete": self.complete}


class OffsetMismatch(ServiceError):
    """A chunk that does not start where the server's copy ends; ``offset`` says where."""

    def __init__(self, offset, restart=False):
        super().__init__("offset_mismatch", field="offset", detail={"offset": offset})
        self.offset = offset
        # The stored part cannot be continued: the caller discards it for good.
        self.restart = restart


def held(subdistrict_code, hashes):
    """Return the subset of ``hashes`` the subdistrict has sent whole."""
    if not hashes:
        return set()
    return set(db.session.connection().execute(select(HOLDERS.c.sha256).where(
        HOLDERS.c.subdistrict_code == subdistrict_code,
        HOLDERS.c.sha256.in_(list(hashes)))).scalars())


def missing(subdistrict_code, hashes):
    """Return, in the order asked, the files the subdistrict has not sent whole.

    Each as ``{"sha256", "offset"}``: the offset is where a resumed upload
    continues (0 for a file the server has none of).
    """
    wanted = list(dict.fromkeys(hashes))
    have = held(subdistrict_code, wanted)
    partial = dict(db.session.connection().execute(
        select(UPLOADS.c.sha256, UPLOADS.c.received).where(
            UPLOADS.c.subdistrict_code == subdistrict_code,
            UPLOADS.c.sha256.in_(wanted))).all()) if wanted else {}
    return [{"sha256": sha, "offset": partial.get(sha, 0)} for sha in wanted
            if sha not in have]


def _check_chunk(offset, length, chunk):
    """Refuse a chunk that cannot be part of an acceptable file."""
    if length > EVIDENCE_FILE_MAX:
        raise ServiceError("evidence_too_large", field="length",
                           detail={"max_mb": EVIDENCE_FILE_MAX // (1024 * 1024)})
    if not chunk:
        raise ServiceError("file_empty", field="body")
    if len(chunk) > EVIDENCE_CHUNK_MAX:
        raise ServiceError("chunk_too_large", field="body",
                           detail={"max": EVIDENCE_CHUNK_MAX})
    if offset + len(chunk) > length:
        raise ServiceError("beyond_length", field="body", detail={"length": length})


_ADVANCE = UPLOADS.update().where(
    UPLOADS.c.sha256 == bindparam("sha"), UPLOADS.c.subdistrict_code == bindparam("code"),
    UPLOADS.c.length == bindparam("whole"), UPLOADS.c.received == bindparam("offset"),
).values(received=UPLOADS.c.received + bindparam("size"), updated_at=bindparam("at"))


def receive(subdistrict_code, sha256, offset, length, chunk, user_id):
    """Take the bytes ``chunk`` of a file at ``offset``; return its Progress.

    A file the subdistrict already holds is acknowledged whatever is sent
    (a phone that lost the answer sends its last chunk again). The chunk
    is appended only if it starts exactly where the stored part ends:
    the check and the append are one UPDATE, so two workers receiving the
    same chunk at once cannot both append it. Raises OffsetMismatch (409)
    with the server's offset otherwise, and ServiceError for a chunk or a
    whole file that is refused (see CONTENT_REFUSALS; call ``discard``).
    """
    if held(subdistrict_code, [sha256]):
        return Progress(sha256, length, length)
    _check_chunk(offset, length, chunk)
    if offset == 0 and len(chunk) == length:
        _keep(subdistrict_code, sha256, chunk, user_id)
        return Progress(sha256, length, length)
    connection = db.session.connection()
    now = utcnow()
    if offset == 0:
        insert_ignore(connection, UPLOADS, {
            "sha256": sha256, "subdistrict_code": subdistrict_code, "length": length,
            "received": 0, "started_by": user_id, "updated_at": now})
    advanced = connection.execute(_ADVANCE, {
        "sha": sha256, "code": subdistrict_code, "whole": length, "offset": offset,
        "size": len(chunk), "at": now}).rowcount
    if advanced != 1:
        raise _mismatch(subdistrict_code, sha256, length)
    connection.execute(CHUNKS.insert().values(sha256=sha256, subdistrict_code=subdistrict_code,
                                              position=offset, data=chunk))
    received = offset + len(chunk)
    if received < length:
        return Progress(sha256, received, length)
    data = b"".join(connection.execute(select(CHUNKS.c.data).where(
        CHUNKS.c.sha256 == sha256, CHUNKS.c.subdistrict_code == subdistrict_code)
        .order_by(CHUNKS.c.position)).scalars())
    discard(subdistrict_code, sha256)
    _keep(subdistrict_code, sha256, data, user_id)
    return Progress(sha256, length, length)


def _mismatch(subdistrict_code, sha256, length):
    """Return the error for a chunk at the wrong offset (or of another length)."""
    row = db.session.connection().execute(
        select(UPLOADS.c.received, UPLOADS.c.length).where(
            UPLOADS.c.sha256 == sha256, UPLOADS.c.subdistrict_code == subdistrict_code)
    ).first()
    if row is not None and row.length != length:
        # The same hash cannot have two lengths: this phone or the stored
        # start is wrong. Start again from nothing.
        return OffsetMismatch(0, restart=True)
    return OffsetMismatch(row.received if row else 0)


def must_discard(error):
    """Return True when a refused chunk leaves a partial upload that cannot go on."""
    return error.code in CONTENT_REFUSALS or getattr(error, "restart", False)


def discard(subdistrict_code, sha256):
    """Forget a partial upload and its chunks."""
    connection = db.session.connection()
    for table in (CHUNKS, UPLOADS):  # chunks first: SQLite does not cascade
        connection.execute(table.delete().where(
            table.c.sha256 == sha256, table.c.subdistrict_code == subdistrict_code))


def _keep(subdistrict_code, sha256, data, user_id):
    """Check a whole file, store it once, and record that the subdistrict holds it."""
    try:
        checked = content.check(data, sha256)
    except content.ContentError as exc:
        raise ServiceError(exc.code, field="body") from None
    connection = db.session.connection()
    store = current_store()
    store.put(sha256, data)
    if checked.thumbnail is not None:
        store.put(sha256 + ".thumb", checked.thumbnail)
    now = utcnow()
    insert_ignore(connection, FILES, {
        "sha256": sha256, "content_type": checked.content_type, "size": checked.size,
        "width": checked.width, "height": checked.height,
        "has_thumbnail": checked.thumbnail is not None, "created_at": now})
    insert_ignore(connection, HOLDERS, {"sha256": sha256, "subdistrict_code": subdistrict_code,
                                        "uploaded_by": user_id, "uploaded_at": now})
