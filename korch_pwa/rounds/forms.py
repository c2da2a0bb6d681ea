"""Forms for rounds and provincial due dates."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from ..fields import BEDateField, ChoiceField, Int32Field, Required, SafeForm


class RoundForm(SafeForm):
    """A new round set by the department."""

    fiscal_year = Int32Field(_l("ปีงบประมาณ (พ.ศ.)"),
                               validators=[Required(_l("กรุณาระบุปีงบประมาณ"))])
    number = ChoiceField(_l("ครั้งที่"), coerce=int, choices=[
        SelectChoice(1, _l("ครั้งที่ 1")), SelectChoice(2, _l("ครั้งที่ 2"))],
        validators=[Required(_l("กรุณาเลือกครั้งที่"))])
    department_due = BEDateField(_l("วันกำหนดส่งของกรม (วัน/เดือน/ปี พ.ศ.)"),
                                 validators=[Required(_l("กรุณาระบุวันกำหนดส่ง"))])


class ProvinceDueForm(SafeForm):
    """A province's own, earlier, due date for a round."""

    due = BEDateField(_l("วันกำหนดส่งของจังหวัด (วัน/เดือน/ปี พ.ศ.)"),
                      validators=[Required(_l("กรุณาระบุวันกำหนดส่ง"))])
