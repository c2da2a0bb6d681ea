"""Storing uploaded scans after checking what they really are."""

import hashlib
import os

from ..domain.file_types import EXTENSIONS, SCAN_TYPES, sniff
from ..errors import ServiceError
from ..extensions import db
from .models import StoredFile

MAX_BYTES = 5 * 1024 * 1024  # a scanned order or minutes; phones upload slowly


def read_limited(upload, limit=MAX_BYTES):
    """Return the upload's bytes; raise file_too_large past ``limit``.

    Reads one byte more than the limit so that a huge file is never held whole.
    """
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise ServiceError("file_too_large", "file")
    if not data:
        raise ServiceError("file_empty", "file")
    return data


def clean_filename(name, content_type):
    """Return a display name without any path, ending in the sniffed type's extension."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())[:200] or "file"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem}.{EXTENSIONS[content_type]}"


def store_upload(upload, area_code, user):
    """Check an uploaded PDF/JPEG/PNG by its content and store it; return the StoredFile."""
    data = read_limited(upload)
    content_type = sniff(data[:16])
    if content_type not in SCAN_TYPES:
        raise ServiceError("file_type", "file")
    stored = StoredFile(area_code=area_code, filename=clean_filename(upload.filename, content_type),
                        content_type=content_type, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), data=data,
                        uploaded_by=user.id)
    db.session.add(stored)
    db.session.flush()
    return stored


def has_upload(upload):
    """Return True when a file field actually carries a chosen file."""
    return bool(upload and getattr(upload, "filename", ""))
