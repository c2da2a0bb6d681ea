"""The evidence upload API: which files are missing, and chunks that resume."""

from flask import Blueprint, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError

from ..access import covers_area, permission_required
from ..domain.limits import EVIDENCE_CHUNK_MAX
from ..domain.roles import Permission
from ..errors import ServiceError
from ..extensions import db
from ..org.models import Area
from ..sync_api.views import BadJSON, bad_json, csrf_failed, invalid_body, read_json
from . import content, uploads
from .schemas import MissingRequestSchema, UploadQuerySchema

bp = Blueprint("evidence_api", __name__, url_prefix="/api/v1/evidence")
bp.register_error_handler(CSRFError, csrf_failed)

MISSING_REQUEST = MissingRequestSchema()
UPLOAD_QUERY = UploadQuerySchema()


def _not_found(field):
    """Return the 404 for a subdistrict or file the person may not send to, or none at all."""
    return _refused(ServiceError("not_found", field=field))


def _may_send_for(code):
    """Return True when the person may send evidence for subdistrict ``code``."""
    if not covers_area(code):  # also keeps a junk code (NUL...) away from the query
        return False
    area = db.session.get(Area, code)
    return area is not None and area.level == "subdistrict"


def _refused(exc):
    """Return the JSON answer of a refused upload."""
    return jsonify(exc.to_json()), exc.status


@bp.route("/missing", methods=["POST"])
@permission_required(Permission.EDIT_ASSESSMENT)
def missing():
    """Say which files the subdistrict has not sent whole yet.

    ---
    post:
      summary: Which of these files are still to send, and from which byte
      description: >
        Files are named by the SHA-256 of their bytes. A file counts as sent
        only when this subdistrict sent it itself. Send the CSRF token of
        GET /api/v1/session in the X-CSRFToken header.
      requestBody:
        required: true
        content:
          application/json:
            schema: MissingRequestSchema
            example:
              subdistrict_code: "520101"
              sha256: [9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a]
      responses:
        200:
          description: The files to send, each from the offset the server holds
          headers:
            Cache-Control: NoStore
          content:
            application/json:
              schema: MissingSchema
        400:
          description: Missing or stale CSRF token, or a body that is not JSON
          content:
            application/json:
              schema: ErrorSchema
        401: NotLoggedIn
        403:
          description: The person's role may not send evidence
          content:
            application/json:
              schema: ErrorSchema
        404:
          description: The subdistrict is not one the person works in
          content:
            application/json:
              schema: ErrorSchema
        413:
          description: The body is larger than the server accepts
          content:
            application/json:
              schema: ErrorSchema
        422:
          description: The body does not fit the schema
          content:
            application/json:
              schema: ErrorSchema
        500: ServerFailed
    """
    try:
        body = read_json()
    except BadJSON as exc:
        return bad_json(exc)
    try:
        data = MISSING_REQUEST.load(body if isinstance(body, dict) else {})
    except ValidationError as exc:
        return invalid_body(exc)
    if not _may_send_for(data["subdistrict_code"]):
        return _not_found("subdistrict_code")
    response = jsonify(missing=uploads.missing(data["subdistrict_code"], data["sha256"]))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<code>/<sha256>", methods=["PUT"])
@permission_required(Permission.EDIT_ASSESSMENT)
def upload(code, sha256):
    """Receive a whole file, or one chunk of it, for a subdistrict.

    ---
    put:
      summary: Send a file's bytes from an offset; resume after a dropped connection
      description: >
        The body is the file's bytes from ``offset`` (at most 1 MiB per
        request; a larger file goes in chunks). A chunk must start where the
        server's copy ends: otherwise the answer is 409 with the offset to
        continue from. When the last byte arrives the whole file is checked
        (its SHA-256, its type by content: JPEG, PNG, WebP or PDF) and kept
        once however many times it is sent. Send the CSRF token of GET
        /api/v1/session in the X-CSRFToken header.
      parameters:
        - in: path
          name: code
          required: true
          description: The subdistrict the file is evidence of
          schema: {type: string}
          example: "520101"
        - in: path
          name: sha256
          required: true
          description: SHA-256 of the whole file, 64 lower-case hex digits
          schema: {type: string}
          example: 9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a
        - in: query
          schema: UploadQuerySchema
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        200:
          description: What the server holds of the file now
          headers:
            Cache-Control: NoStore
          content:
            application/json:
              schema: ProgressSchema
        400:
          description: Missing or stale CSRF token
          content:
            application/json:
              schema: ErrorSchema
        401: NotLoggedIn
        403:
          description: The person's role may not send evidence
          content:
            application/json:
              schema: ErrorSchema
        404:
          description: Not a subdistrict the person works in, or not a SHA-256
          content:
            application/json:
              schema: ErrorSchema
        409:
          description: The chunk does not start where the server's copy ends
            (code offset_mismatch; detail.offset says where to continue)
          content:
            application/json:
              schema: ErrorSchema
        413:
          description: The chunk or the file is larger than accepted
          content:
            application/json:
              schema: ErrorSchema
        422:
          description: Bad offset or length, or a whole file refused (hash_mismatch,
            evidence_type, file_broken, image_too_large); send it again from 0
          content:
            application/json:
              schema: ErrorSchema
        500: ServerFailed
    """
    if not content.is_sha256(sha256):
        return _not_found("sha256")
    if not _may_send_for(code):
        return _not_found("code")
    try:
        where = UPLOAD_QUERY.load(request.args.to_dict())
    except ValidationError as exc:
        return invalid_body(exc)
    chunk = request.stream.read(EVIDENCE_CHUNK_MAX + 1)
    try:
        progress = uploads.receive(code, sha256, where["offset"], where["length"], chunk,
                                   current_user.id)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        if uploads.must_discard(exc):
            uploads.discard(code, sha256)
            db.session.commit()
        return _refused(exc)
    response = jsonify(progress.to_json())
    response.headers["Cache-Control"] = "no-store"
    return response
