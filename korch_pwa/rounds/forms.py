"""Forms for rounds and provincial due dates."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..fields import BEDateField


class RoundForm(FlaskForm):
    """A new round set by the department."""

    fiscal_year = IntegerField(_l("ปีงบประมาณ (พ.ศ.)"),
                               validators=[InputRequired(_l("กรุณาระบุปีงบประมาณ"))])
    number = RadioField(_l("ครั้งที่"), coerce=int, choices=[
        SelectChoice(1, _l("ครั้งที่ 1")), SelectChoice(2, _l("ครั้งที่ 2"))],
        validators=[InputRequired(_l("กรุณาเลือกครั้งที่"))])
    department_due = BEDateField(_l("วันกำหนดส่งของกรม (วัน/เดือน/ปี พ.ศ.)"),
                                 validators=[InputRequired(_l("กรุณาระบุวันกำหนดส่ง"))])


class ProvinceDueForm(FlaskForm):
    """A province's own, earlier, due date for a round."""

    due = BEDateField(_l("วันกำหนดส่งของจังหวัด (วัน/เดือน/ปี พ.ศ.)"),
                      validators=[InputRequired(_l("กรุณาระบุวันกำหนดส่ง"))])
