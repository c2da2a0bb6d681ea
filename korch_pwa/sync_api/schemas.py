"""Marshmallow schemas of the sync API, every field listed explicitly.

Every loaded string is a ``Text`` (no NUL, no lone surrogate) and every loaded
integer an ``Int32`` (the range of the Integer columns), so that what passes
validation can be stored on PostgreSQL and SQLite alike; anything else is a
422 about that item's field, never a 500 that blocks the whole outbox.
"""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from marshmallow.validate import Validator

from ..domain.limits import (COMMENT_MAX, INDICATOR_MAX, INT32_MAX, INT32_MIN, NOTE_MAX,
                             SUBDISTRICT_CODE_LEN, text_problem)

ITEM_TYPES = ("assessment.save", "assessment.submit", "assessment.decide")
MAX_ITEMS = 200
MAX_CHANGES = 100


class SafeText(Validator):
    """Refuse strings the database cannot store: NUL and lone surrogates."""

    def __call__(self, value):
        problem = text_problem(value)
        if problem:
            raise ValidationError(problem)
        return value


class Text(fields.String):
    """A string field that always refuses NUL and lone surrogates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, SafeText())


class Int32(fields.Integer):
    """A strict JSON integer within a 32-bit signed column.

    Strict: 1.0 and "1" are refused; marshmallow also refuses true/false.
    """

    def __init__(self, *, minimum=INT32_MIN, maximum=INT32_MAX, **kwargs):
        kwargs.setdefault("strict", True)
        super().__init__(**kwargs)
        self.validators.append(validate.Range(min=minimum, max=maximum))


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

    round_id = Int32(required=True)
    subdistrict_code = Text(required=True, validate=validate.Regexp(
        rf"\A[0-9]{{{SUBDISTRICT_CODE_LEN}}}\Z"))
    assessment_id = fields.UUID(allow_none=True, load_default=None)
    version = Int32(load_default=0)
    changes = fields.List(fields.Nested(ChangeSchema), required=True,
                          validate=validate.Length(max=MAX_CHANGES))


class DecisionItemSchema(EnvelopeSchema):
    """An officer's approve or return, about the version they saw."""

    assessment_id = fields.UUID(required=True)
    decision = Text(required=True, validate=validate.OneOf(["approve", "return"]))
    seen_version = Int32(required=True)
    comment = Text(load_default="", validate=validate.Length(max=COMMENT_MAX))
    comments = fields.Dict(keys=Text(validate=validate.Length(max=INDICATOR_MAX)),
                           values=Text(validate=validate.Length(max=COMMENT_MAX)),
                           load_default=dict)


class BatchSchema(Schema):
    """A whole outbox sent in one request."""

    # Each item is validated on its own (services._load): an item that is not
    # even an object is a 422 result for that item, not for the whole batch.
    items = fields.List(fields.Raw(allow_none=True), required=True,
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
