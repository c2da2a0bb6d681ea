"""Marshmallow schemas of evidence: the sync items and the upload API."""

from marshmallow import EXCLUDE, Schema, fields, validate

from ..domain.file_types import EVIDENCE_TYPES
from ..domain.limits import (EVIDENCE_CAPTION_MAX, EVIDENCE_FILE_MAX, EVIDENCE_FILENAME_MAX,
                             INDICATOR_MAX, INT32_MAX, SHA256_HEX_LEN)
from ..sync_api.fields import Int32, Text, subdistrict_code_field

ATTACH_TYPE = "evidence.attach"
REMOVE_TYPE = "evidence.remove"
EVIDENCE_ITEM_TYPES = (ATTACH_TYPE, REMOVE_TYPE)
# Hashes asked about in one request: more than a whole assessment's files.
MISSING_MAX = 300


def sha256_field(**kwargs):
    """Return a SHA-256 field: 64 lower-case hex digits, the only form accepted."""
    return Text(validate=[validate.Length(equal=SHA256_HEX_LEN),
                          validate.Regexp(rf"^[0-9a-f]{{{SHA256_HEX_LEN}}}$")], **kwargs)


class _Item(Schema):
    class Meta:
        unknown = EXCLUDE

    client_id = fields.UUID(required=True)


class AttachItemSchema(_Item):
    """Attach a file, by its hash, to one indicator of a subdistrict's assessment.

    The client_id is the attachment's id; the file is sent on its own
    (PUT /api/v1/evidence/{code}/{sha256}) before or after this item.
    """

    type = Text(required=True, validate=validate.OneOf([ATTACH_TYPE]))
    round_id = Int32(required=True)
    subdistrict_code = subdistrict_code_field()
    indicator = Text(required=True, validate=validate.Length(min=1, max=INDICATOR_MAX))
    sha256 = sha256_field(required=True)
    content_type = Text(required=True, validate=validate.OneOf(sorted(EVIDENCE_TYPES)))
    size = Int32(required=True, minimum=1, maximum=EVIDENCE_FILE_MAX)
    caption = Text(load_default="", validate=validate.Length(max=EVIDENCE_CAPTION_MAX))
    filename = Text(load_default="", validate=validate.Length(max=EVIDENCE_FILENAME_MAX))


class RemoveItemSchema(_Item):
    """Remove an attached file (the file itself stays for the history)."""

    type = Text(required=True, validate=validate.OneOf([REMOVE_TYPE]))
    attachment_id = fields.UUID(required=True)


class AttachmentSchema(Schema):
    """An attached file as the server keeps it."""

    id = fields.String(required=True, metadata={"format": "uuid"})
    indicator = fields.String(required=True)
    sha256 = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    caption = fields.String(required=True)
    filename = fields.String(required=True)
    arrived = fields.Boolean(required=True, metadata={
        "description": "Whether the subdistrict has sent the file itself yet"})


class MissingRequestSchema(Schema):
    """Which of these files has the subdistrict not sent whole yet?"""

    subdistrict_code = subdistrict_code_field()
    sha256 = fields.List(sha256_field(), required=True,
                         validate=validate.Length(min=1, max=MISSING_MAX))


class MissingFileSchema(Schema):
    """A file to send, from ``offset`` (bytes the server already holds)."""

    sha256 = fields.String(required=True)
    offset = fields.Integer(required=True)


class MissingSchema(Schema):
    """The files still to send, in the order asked."""

    missing = fields.List(fields.Nested(MissingFileSchema), required=True)


class UploadQuerySchema(Schema):
    """Where a chunk goes: its first byte's offset and the whole file's length."""

    # Query strings are text: "0" is read as a number here, unlike in JSON bodies.
    offset = Int32(required=True, minimum=0, maximum=INT32_MAX, strict=False, metadata={
        "description": "Where this chunk starts in the file"})
    # A longer file is refused by the service with 413 evidence_too_large (a
    # message a person reads), not by this schema; the spec states the limit.
    length = Int32(required=True, minimum=1, maximum=INT32_MAX, strict=False, metadata={
        "maximum": EVIDENCE_FILE_MAX,
        "description": "Size of the whole file in bytes; a larger file is refused "
                       "(413, code evidence_too_large)"})


class ProgressSchema(Schema):
    """How much of a file the server holds."""

    sha256 = fields.String(required=True)
    offset = fields.Integer(required=True, metadata={"description": "Bytes held; the next "
                                                                    "chunk starts here"})
    length = fields.Integer(required=True)
    complete = fields.Boolean(required=True)
