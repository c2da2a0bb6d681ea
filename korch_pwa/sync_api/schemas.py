"""Marshmallow schemas of the sync API, every field listed explicitly.

Every loaded string is a ``Text`` (no NUL, no lone surrogate) and every loaded
integer an ``Int32`` (the range of the Integer columns), so that what passes
validation can be stored on PostgreSQL and SQLite alike; anything else is a
422 about that item's field, never a 500 that blocks the whole outbox.
"""

from marshmallow import EXCLUDE, Schema, fields, validate

from ..domain.limits import COMMENT_MAX, INDICATOR_MAX, NOTE_MAX
from ..domain.roles import Role
from ..domain.workflow import Status
from ..evidence.schemas import (ATTACH_TYPE, EVIDENCE_ITEM_TYPES, REMOVE_TYPE,
                                AttachItemSchema, AttachmentSchema, RemoveItemSchema)
from .fields import Int32, Text, subdistrict_code_field

ANSWERS_TYPES = ("assessment.save", "assessment.submit")
DECISION_TYPES = ("assessment.decide",)
ITEM_TYPES = ANSWERS_TYPES + DECISION_TYPES + EVIDENCE_ITEM_TYPES
MAX_ITEMS = 200
MAX_CHANGES = 100


class AnswerSchema(Schema):
    """One indicator's value: a rubric score (or none yet) and a note."""

    score = Int32(allow_none=True, load_default=None)
    note = Text(load_default="", validate=validate.Length(max=NOTE_MAX))


class ChangeSchema(Schema):
    """One indicator as the person left it and as it was when they began."""

    indicator = Text(required=True, validate=validate.Length(min=1, max=INDICATOR_MAX))
    mine = fields.Nested(AnswerSchema, required=True)
    base = fields.Nested(AnswerSchema, required=True)


class EnvelopeSchema(Schema):
    """What every outbox item has: its client id and its type."""

    class Meta:
        unknown = EXCLUDE

    client_id = fields.UUID(required=True)
    type = Text(required=True, validate=validate.OneOf(ITEM_TYPES))


class AnswersItemSchema(EnvelopeSchema):
    """Save (or save and submit) a subdistrict's answers."""

    type = Text(required=True, validate=validate.OneOf(ANSWERS_TYPES))
    round_id = Int32(required=True)
    subdistrict_code = subdistrict_code_field()
    assessment_id = fields.UUID(allow_none=True, load_default=None)
    version = Int32(load_default=0)
    changes = fields.List(fields.Nested(ChangeSchema), required=True,
                          validate=validate.Length(max=MAX_CHANGES))


class DecisionItemSchema(EnvelopeSchema):
    """An officer's approve or return, about the version they saw."""

    type = Text(required=True, validate=validate.OneOf(DECISION_TYPES))
    assessment_id = fields.UUID(required=True)
    decision = Text(required=True, validate=validate.OneOf(["approve", "return"]))
    seen_version = Int32(required=True)
    comment = Text(load_default="", validate=validate.Length(max=COMMENT_MAX))
    # OpenAPI 3.0 cannot constrain an object's keys: the description says it.
    comments = fields.Dict(keys=Text(validate=validate.Length(max=INDICATOR_MAX)),
                           values=Text(validate=validate.Length(max=COMMENT_MAX)),
                           load_default=dict, metadata={
                               "description": f"Indicator code (at most {INDICATOR_MAX} "
                                              "characters, no NUL) -> comment; a return "
                                              "needs one comment, one indicator in "
                                              "evidence_wanted or a general comment"})
    evidence_wanted = fields.List(
        Text(validate=validate.Length(min=1, max=INDICATOR_MAX)), load_default=list,
        validate=validate.Length(max=MAX_CHANGES),
        metadata={"description": "Indicators on which a return asks for better evidence"})


# The item kinds, as named in the OpenAPI components (openapi.build_spec).
ITEM_COMPONENTS = {"AnswersItem": AnswersItemSchema, "DecisionItem": DecisionItemSchema,
                   "AttachItem": AttachItemSchema, "RemoveItem": RemoveItemSchema}
ITEM_REFS = [{"$ref": f"#/components/schemas/{name}"} for name in ITEM_COMPONENTS]


class BatchSchema(Schema):
    """A whole outbox sent in one request.

    Only the envelope is checked here: a body that is not an object, other
    keys than ``items``, or ``items`` that is not a list of 1 to MAX_ITEMS
    entries is a 422 for the whole request. Each entry is validated on its
    own (services._load), so the spec lets an entry be any JSON value: one
    that is not an item of a known kind gets an error result (422)
    naming its field, and does not block the others.
    """

    items = fields.List(
        fields.Raw(allow_none=True, metadata={"anyOf": [
            *ITEM_REFS,
            {"not": {"anyOf": ITEM_REFS},
             "description": "Anything else: not stored; its result is an error "
                            "(status_code 422) naming the field"}]}),
        required=True, validate=validate.Length(min=1, max=MAX_ITEMS),
        metadata={"description": "The outbox, oldest first; one result per entry"})


class AssessmentStateSchema(Schema):
    """The assessment as it stands after an item.

    Results of answers items (ok, conflict, incomplete) also carry every
    stored answer, which the phone takes as its draft's new base.
    """

    id = fields.String(required=True, metadata={"format": "uuid"})
    version = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in Status]})
    percent = fields.Float(required=True, allow_none=True)
    answers = fields.Dict(
        keys=fields.String(), values=fields.Nested(AnswerSchema),
        metadata={"description": "Indicator code -> stored score and note "
                                 "(answers items only)"})


class ConflictSchema(Schema):
    """An indicator another person changed to another value meanwhile."""

    indicator = fields.String(required=True)
    base = fields.Nested(AnswerSchema, required=True)
    mine = fields.Nested(AnswerSchema, required=True)
    theirs = fields.Nested(AnswerSchema, required=True)


class FieldErrorSchema(Schema):
    """One refused field and why, for a developer."""

    field = fields.String(required=True)
    reason = fields.String(required=True)


class ItemErrorSchema(Schema):
    """Why one item was refused (nothing of it was stored, except an incomplete submit's
    answers, kept as a draft)."""

    code = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "For the person, in "
                                                                    "their language"})
    field = fields.String(metadata={"description": "Path of the refused field, e.g. "
                                                   "items.0.changes.1.mine.score"})
    detail = fields.Raw(metadata={"description": "invalid: a list of {field, reason}; "
                                                 "incomplete: the unanswered indicators; "
                                                 "others: an object with the values of "
                                                 "the message"})


class ErrorSchema(Schema):
    """Why the whole request was refused."""

    code = fields.Raw(required=True, metadata={
        "oneOf": [{"type": "string"}, {"type": "integer"}],
        "description": "A word (csrf, invalid_json, invalid, login_required) or, for "
                       "errors of HTTP itself, the status code"})
    message = fields.String(required=True, metadata={"description": "For the person, in "
                                                                    "their language"})
    field = fields.String(metadata={"description": "The refused part: X-CSRFToken, body, "
                                                   "or the path of the first bad field"})
    reason = fields.String(metadata={"description": "Why, for a developer (invalid, "
                                                    "invalid_json)"})
    errors = fields.List(fields.Nested(FieldErrorSchema),
                         metadata={"description": "Every refused field (invalid)"})
    login_url = fields.String(metadata={"description": "Where to log in again "
                                                       "(login_required)"})
    detail = fields.Raw(metadata={"description": "The values of the message, e.g. "
                                                 "offset_mismatch: {offset}"})
    request_id = fields.String(metadata={"description": "On a 5xx: the id to quote, also "
                                                        "in the X-Request-ID header"})


class ResultSchema(Schema):
    """The server's answer about one item."""

    client_id = fields.String(required=True, allow_none=True, metadata={
        "description": "The item's client_id; null when the item sent none, or not a "
                       "string (results are also in the order of the items)"})
    status = fields.String(required=True, metadata={"enum": ["ok", "conflict", "error"]})
    status_code = fields.Integer(required=True, metadata={
        "description": "What the item alone would have answered: 200, 403, 404, 409, 422"})
    assessment = fields.Nested(AssessmentStateSchema)
    attachment = fields.Nested(AttachmentSchema, metadata={
        "description": "The attached file (evidence.attach items)"})
    conflicts = fields.List(fields.Nested(ConflictSchema))
    error = fields.Nested(ItemErrorSchema)
    message = fields.String()


class BatchResultSchema(Schema):
    """Results in the order of the items sent."""

    results = fields.List(fields.Nested(ResultSchema), required=True)


class UserSchema(Schema):
    """The logged-in person."""

    id = fields.Integer(required=True)
    username = fields.String(required=True)
    full_name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": [r.value for r in Role]})
    scopes = fields.List(fields.String(), required=True,
                         metadata={"description": "Area codes the person works in"})
    can_edit = fields.Boolean(required=True)
    can_decide = fields.Boolean(required=True)


class SessionSchema(Schema):
    """Who is logged in, with a fresh CSRF token for the next POST."""

    user = fields.Nested(UserSchema, required=True)
    csrf_token = fields.String(required=True)


class MeSchema(Schema):
    """Who is logged in, and the pages their phone keeps for offline use."""

    user = fields.Nested(UserSchema, required=True)
    urls = fields.List(fields.String(), required=True,
                       metadata={"description": "Same-site paths, at most 40"})


# Schemas hold no per-load state, so one instance of each serves every request.
ENVELOPE = EnvelopeSchema()
ITEM_SCHEMAS = {"assessment.decide": DecisionItemSchema(), ATTACH_TYPE: AttachItemSchema(),
                REMOVE_TYPE: RemoveItemSchema()}
ANSWERS = AnswersItemSchema()


def item_schema(item_type):
    """Return the schema that loads an item of ``item_type``."""
    return ITEM_SCHEMAS.get(item_type, ANSWERS)
