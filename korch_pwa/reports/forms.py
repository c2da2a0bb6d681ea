"""The district officer's part of the progress report."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, ValidationError

from ..domain.limits import REPORT_TEXT_MAX, REPORTER_MAX
from ..fields import MaxLength, SafeForm


class ReportForm(SafeForm):
    """Problems, suggestions and the reporter; name and position needed to submit."""

    problems = TextAreaField(_l("ปัญหาและอุปสรรคในการดำเนินงาน"), validators=[
        MaxLength(REPORT_TEXT_MAX)])
    suggestions = TextAreaField(_l("ข้อเสนอแนะเพื่อพัฒนาและปรับปรุงงาน ศอช."), validators=[
        MaxLength(REPORT_TEXT_MAX)])
    reporter_name = StringField(_l("ชื่อผู้รายงาน"), validators=[
        MaxLength(REPORTER_MAX)])
    reporter_position = StringField(_l("ตำแหน่ง"), validators=[
        MaxLength(REPORTER_MAX)])
    action = HiddenField(default="save", validators=[AnyOf(
        ["save", "submit"], _l("กรุณากดปุ่มบันทึกร่างหรือส่งให้จังหวัด"))])

    def _needed_to_submit(self, field, message):
        """Refuse an empty field when the officer sends the report."""
        if self.action.data == "submit" and not (field.data or "").strip():
            raise ValidationError(message)

    def validate_reporter_name(self, field):
        """A report sent to the province names its reporter."""
        self._needed_to_submit(field, _l("กรุณากรอกชื่อผู้รายงานก่อนส่ง"))

    def validate_reporter_position(self, field):
        """A report sent to the province gives the reporter's position."""
        self._needed_to_submit(field, _l("กรุณากรอกตำแหน่งผู้รายงานก่อนส่ง"))

    def fields(self):
        """Return the typed values as plain data for the service."""
        return {key: getattr(self, key).data or "" for key in
                ("problems", "suggestions", "reporter_name", "reporter_position")}
