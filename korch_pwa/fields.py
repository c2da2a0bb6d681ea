"""Form fields, validators and the base form shared by the HTML forms.

Whatever a person (or a hostile client) posts is read here, so that junk is
refused with a Thai message under its field instead of reaching ``int()``
or a query. WTForms' own messages are English, so none of them is used.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from .domain.limits import is_blank, parse_int32, text_problem
from .domain.register import normalise_phone
from .domain.thai_dates import BEDateError, arabic_digits, parse_be_date, to_be
from .errors import MESSAGES

DATE_ERRORS = {
    "format": _l("วันที่ต้องเป็นรูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569"),
    "ce_year": _l("ปีต้องเป็นปี พ.ศ. เช่น 2569 ไม่ใช่ ค.ศ."),
    "no_such_day": _l("ไม่มีวันที่นี้ในปฏิทิน กรุณาตรวจวันและเดือนอีกครั้ง"),
}
NOT_A_NUMBER = _l("กรุณากรอกเป็นตัวเลขจำนวนเต็ม เช่น 12")
NUMBER_TOO_BIG = _l("ตัวเลขนี้ใหญ่เกินไป กรุณาตรวจอีกครั้ง")
NOT_A_CHOICE = _l("กรุณาเลือกจากตัวเลือกที่มีให้")
TOO_LONG = _l("ยาวเกินไป กรุณาย่อให้ไม่เกิน %(max)d ตัวอักษร")


class SafeForm(FlaskForm):
    """A form whose every field refuses text the database cannot store.

    PostgreSQL refuses NUL in text; checking every posted value here means
    no field of any form can carry one to a query, whatever it validates.
    """

    def validate(self, extra_validators=None):
        """Validate as usual, then refuse unstorable text in any field."""
        valid = super().validate(extra_validators)
        for field in self:
            if any(isinstance(v, str) and text_problem(v) for v in field.raw_data or ()):
                field.errors = [*field.errors, MESSAGES["bad_text"]]
                valid = False
        self._errors = None  # form.errors is cached; the list above changed it
        return valid


class Required(InputRequired):
    """Something must be typed: only spaces (or invisible characters) is nothing.

    InputRequired alone lets "   " through, which a date field then reads as
    no date and the database refuses as NULL.
    """

    def __call__(self, form, field):
        if field.raw_data and isinstance(field.raw_data[0], str) \
                and not is_blank(field.raw_data[0]):
            return
        field.errors[:] = []
        raise StopValidation(self.message)


def MaxLength(limit, message=TOO_LONG):  # noqa: N802 - reads like the validator it returns
    """Return a Length validator for ``limit`` characters with a Thai message."""
    return Length(max=limit, message=message)


NOT_A_PHONE = _l("เบอร์โทรศัพท์ไม่ถูกต้อง ต้องเป็นมือถือ 10 หลัก (เช่น 081-234-5678) "
                 "หรือโทรศัพท์บ้าน 9 หลัก (เช่น 054-123456)")


def thai_phone(form, field):
    """Validator: accept a Thai number only; keep its bare digits as ``field.digits``."""
    try:
        field.digits = normalise_phone(field.data)
    except ValueError:
        raise ValidationError(NOT_A_PHONE) from None


class Int32Field(IntegerField):
    """A whole number typed with Arabic or Thai digits that fits an Integer column.

    What was typed is shown again when it cannot be read (IntegerField keeps
    the raw text for that).
    """

    def process_formdata(self, valuelist):
        """Read the number; empty is no number, for the validators to judge."""
        self.data = None
        text = arabic_digits(valuelist[0]).strip() if valuelist else ""
        if not text:
            return
        self.data = parse_int32(text)
        if self.data is None:
            digits = text.lstrip("-")
            raise ValueError(NUMBER_TOO_BIG if digits.isascii() and digits.isdigit()
                             else NOT_A_NUMBER)


class ChoiceField(RadioField):
    """Radio buttons that refuse a value not offered, in Thai."""

    def process_formdata(self, valuelist):
        """Coerce the value; one that cannot be coerced is not a choice."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(NOT_A_CHOICE) from None

    def pre_validate(self, form):
        """Refuse a value that is not one of the choices."""
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(NOT_A_CHOICE) from None


class BEDateField(StringField):
    """A date typed as d/m/yyyy in the Buddhist era (Thai or Arabic digits).

    What the person typed is shown again when it cannot be read, so nothing
    typed is lost.
    """

    def process_formdata(self, valuelist):
        """Keep what was typed; parse it when not blank."""
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if not is_blank(self.raw):
            try:
                self.data = parse_be_date(self.raw)
            except BEDateError as exc:
                raise ValueError(DATE_ERRORS[exc.reason]) from None

    def _value(self):
        """Show what was typed, else the stored date in B.E."""
        if getattr(self, "raw", None) is not None:
            return self.raw
        if self.data:
            return f"{self.data.day}/{self.data.month}/{to_be(self.data.year)}"
        return ""
