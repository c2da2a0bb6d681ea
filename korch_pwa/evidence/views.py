"""Serving evidence files and their thumbnails to the people of their area."""

from flask import Blueprint, Response, abort
from sqlalchemy import select

from ..access import permission_required, require_area
from ..domain.file_types import EXTENSIONS
from ..domain.roles import Permission
from ..extensions import db
from . import content
from .models import EvidenceFile, EvidenceHolder
from .storage import current_store

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

# Content-addressed: the bytes under a URL never change, so a phone keeps
# them; "private" keeps them out of shared caches (they are personal data).
CACHE = "private, max-age=31536000, immutable"


def _held_file(code, sha256):
    """Return the EvidenceFile the subdistrict holds, else abort 404.

    404 whether the hash is unknown, held only by another subdistrict or
    outside the person's area: nobody learns what exists elsewhere.
    """
    require_area(code)
    if len(code) != 6 or not content.is_sha256(sha256):
        abort(404)
    found = db.session.execute(
        select(EvidenceFile).join(EvidenceHolder, EvidenceHolder.sha256 == EvidenceFile.sha256)
        .where(EvidenceHolder.subdistrict_code == code, EvidenceFile.sha256 == sha256)
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def _send(data, content_type, filename):
    """Answer with stored bytes, never sniffed, never run as a page."""
    if data is None:
        abort(404)
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = CACHE
    # A PDF opens in the browser's viewer; nothing in it may run as this site.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/<code>/<sha256>")
@permission_required(Permission.VIEW_ASSESSMENT)
def original(code, sha256):
    """Send a file as the phone sent it."""
    found = _held_file(code, sha256)
    name = f"evidence-{sha256[:12]}.{EXTENSIONS[found.content_type]}"
    return _send(current_store().get(sha256), found.content_type, name)


@bp.route("/<code>/<sha256>/thumb")
@permission_required(Permission.VIEW_ASSESSMENT)
def thumbnail(code, sha256):
    """Send a photo's small JPEG made on the server (PDFs have none: 404)."""
    found = _held_file(code, sha256)
    if not found.has_thumbnail:
        abort(404)
    return _send(current_store().get(sha256 + ".thumb"), "image/jpeg",
                 f"evidence-{sha256[:12]}-thumb.jpg")
