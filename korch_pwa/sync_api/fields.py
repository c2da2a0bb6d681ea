"""Field types every API schema shares: text a database can store, 32-bit integers.

Every loaded string is a ``Text`` (no NUL, no lone surrogate) and every loaded
integer an ``Int32`` (the range of the Integer columns).
"""

from marshmallow import ValidationError, fields, validate
from marshmallow.validate import Validator

from ..domain.limits import INT32_MAX, INT32_MIN, SUBDISTRICT_CODE_LEN, text_problem


class SafeText(Validator):
    """Refuse strings the database cannot store: NUL and lone surrogates."""

    def __call__(self, value):
        problem = text_problem(value)
        if problem:
            raise ValidationError(problem)
        return value


# What the spec can say of SafeText: no NUL (a pattern both ECMA-262 and
# Python read alike). Lone surrogates are not characters, so JSON Schema has
# no way to name them; they are refused all the same.
NO_NUL = r"^[^\x00]*$"


class Text(fields.String):
    """A string field that always refuses NUL and lone surrogates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, SafeText())
        if not any(isinstance(v, (validate.Regexp, validate.OneOf)) for v in self.validators):
            self.metadata.setdefault("pattern", NO_NUL)


class Int32(fields.Integer):
    """A strict JSON integer within a 32-bit signed column.

    Strict: 1.0 and "1" are refused; marshmallow also refuses true/false.
    """

    def __init__(self, *, minimum=INT32_MIN, maximum=INT32_MAX, **kwargs):
        kwargs.setdefault("strict", True)
        super().__init__(**kwargs)
        self.validators.append(validate.Range(min=minimum, max=maximum))


def subdistrict_code_field():
    """Return a required six-digit subdistrict code field."""
    # A pattern both Python and ECMA-262 (the spec's regex dialect, which has
    # no \A and \Z) read alike; the length refuses the newline Python's $ allows.
    return Text(required=True, validate=[
        validate.Length(equal=SUBDISTRICT_CODE_LEN),
        validate.Regexp(rf"^[0-9]{{{SUBDISTRICT_CODE_LEN}}}$")])
