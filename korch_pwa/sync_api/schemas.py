"""Marshmallow schemas of the sync API, every field listed explicitly."""

from marshmallow import EXCLUDE, Schema, fields, validate

ITEM_TYPES = ("assessment.save", "assessment.submit", "assessment.decide")
MAX_ITEMS = 200


class AnswerSchema(Schema):
    """One indicator's value: a rubric score (or none yet) and a note."""

    score = fields.Integer(allow_none=True, load_default=None, strict=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ChangeSchema(Schema):
    """One indicator as the person left it and as it was when they began."""

    indicator = fields.String(required=True, validate=validate.Length(min=1, max=16))
    mine = fields.Nested(AnswerSchema, required=True)
    base = fields.Nested(AnswerSchema, required=True)


class EnvelopeSchema(Schema):
    """What every outbox item has: its client id and its type."""

    class Meta:
        unknown = EXCLUDE

    client_id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.OneOf(ITEM_TYPES))


class AnswersItemSchema(EnvelopeSchema):
    """Save (or save and submit) a subdistrict's answers."""

    round_id = fields.Integer(required=True, strict=True)
    subdistrict_code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$"))
    assessment_id = fields.UUID(allow_none=True, load_default=None)
    version = fields.Integer(load_default=0, strict=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True,
                          validate=validate.Length(max=100))


class DecisionItemSchema(EnvelopeSchema):
    """An officer's approve or return, about the version they saw."""

    assessment_id = fields.UUID(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "return"]))
    seen_version = fields.Integer(required=True, strict=True)
    comment = fields.String(load_default="", validate=validate.Length(max=2000))
    comments = fields.Dict(keys=fields.String(validate=validate.Length(max=16)),
                           values=fields.String(validate=validate.Length(max=2000)),
                           load_default=dict)


class BatchSchema(Schema):
    """A whole outbox sent in one request."""

    items = fields.List(fields.Dict(), required=True,
                        validate=validate.Length(min=1, max=MAX_ITEMS))


class AssessmentStateSchema(Schema):
    """The assessment as it stands after an item.

    Results of answers items (ok, conflict, incomplete) also carry every
    stored answer, which the phone takes as its draft's new base.
    """

    id = fields.String()
    version = fields.Integer()
    status = fields.String()
    percent = fields.Float(allow_none=True)
    answers = fields.Dict(
        keys=fields.String(), values=fields.Nested(AnswerSchema),
        metadata={"description": "Indicator code -> stored score and note "
                                 "(answers items only)"})


class ErrorSchema(Schema):
    """Why an item (or the request) was refused."""

    code = fields.String()
    message = fields.String()
    field = fields.String()
    detail = fields.Raw()


class ResultSchema(Schema):
    """The server's answer about one item."""

    client_id = fields.String()
    status = fields.String(metadata={"enum": ["ok", "conflict", "error"]})
    status_code = fields.Integer()
    assessment = fields.Nested(AssessmentStateSchema)
    conflicts = fields.List(fields.Dict())
    error = fields.Nested(ErrorSchema)
    message = fields.String()


class BatchResultSchema(Schema):
    """Results in the order of the items sent."""

    results = fields.List(fields.Nested(ResultSchema))


class SessionSchema(Schema):
    """Who is logged in, with a fresh CSRF token for the next POST."""

    user = fields.Dict()
    csrf_token = fields.String()


# Schemas hold no per-load state, so one instance of each serves every request.
ENVELOPE = EnvelopeSchema()
ITEM_SCHEMAS = {"assessment.decide": DecisionItemSchema()}
ANSWERS = AnswersItemSchema()


def item_schema(item_type):
    """Return the schema that loads an item of ``item_type``."""
    return ITEM_SCHEMAS.get(item_type, ANSWERS)
