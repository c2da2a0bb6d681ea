"""The district officer's part of the progress report."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, ValidationError


class ReportForm(FlaskForm):
    """Problems, suggestions and the reporter; name and position needed to submit."""

    problems = TextAreaField(_l("ปัญหาและอุปสรรคในการดำเนินงาน"), validators=[
        Length(max=5000, message=_l("ยาวเกิน 5,000 ตัวอักษร"))])
    suggestions = TextAreaField(_l("ข้อเสนอแนะเพื่อพัฒนาและปรับปรุงงาน ศอช."), validators=[
        Length(max=5000, message=_l("ยาวเกิน 5,000 ตัวอักษร"))])
    reporter_name = StringField(_l("ชื่อผู้รายงาน"), validators=[
        Length(max=160, message=_l("ยาวเกิน 160 ตัวอักษร"))])
    reporter_position = StringField(_l("ตำแหน่ง"), validators=[
        Length(max=160, message=_l("ยาวเกิน 160 ตัวอักษร"))])
    action = HiddenField(default="save", validators=[AnyOf(["save", "submit"])])

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
