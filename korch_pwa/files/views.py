"""Serving stored files to the people whose area they belong to."""

from io import BytesIO

from flask import Blueprint, send_file

from ..access import permission_required, row_in_scope
from ..domain.roles import Permission
from .models import StoredFile

bp = Blueprint("files", __name__, url_prefix="/files")


@bp.route("/<int:file_id>")
@permission_required(Permission.VIEW_REGISTER)
def download(file_id):
    """Send a stored file if the officer covers its area."""
    stored = row_in_scope(StoredFile, file_id, lambda f: f.area_code)
    response = send_file(BytesIO(stored.data), mimetype=stored.content_type,
                         download_name=stored.filename, as_attachment=False,
                         etag=stored.sha256, max_age=0)
    # Scans carry personal data: no shared caches, and no type guessing.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
