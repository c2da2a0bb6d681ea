"""Forms of the register pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..domain.register import normalise_phone
from ..domain.thai_dates import format_date
from ..fields import BEDateField

TITLES = ("นาย", "นาง", "นางสาว")
POSITIONS = ("ประธาน", "รองประธาน", "เลขานุการ", "ผู้ช่วยเลขานุการ", "เหรัญญิก",
             "ประชาสัมพันธ์", "กรรมการ")
DATE_HINT = _l("วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569")


def _required(message):
    """Return an InputRequired validator with a Thai message."""
    return InputRequired(message)


class OrderForm(FlaskForm):
    """A new appointment order, i.e. a new term."""

    number = StringField(_l("เลขที่คำสั่ง"), validators=[
        _required(_l("กรุณากรอกเลขที่คำสั่ง")), Length(max=60)])
    order_date = BEDateField(_l("วันที่ออกคำสั่ง"), validators=[
        _required(_l("กรุณากรอกวันที่ออกคำสั่ง"))], description=DATE_HINT)
    term_start = BEDateField(_l("วันเริ่มวาระ"), validators=[Optional()], description=DATE_HINT)
    term_end = BEDateField(_l("วันสิ้นสุดวาระ"), validators=[Optional()], description=DATE_HINT)
    file = FileField(_l("ไฟล์สแกนคำสั่ง (PDF, JPEG หรือ PNG ไม่เกิน 5 MB)"))
    copy_members = BooleanField(_l("คัดลอกรายชื่อกรรมการจากวาระปัจจุบัน"))

    def validate_term_end(self, field):
        """The term cannot end before it starts."""
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError(_l("วันสิ้นสุดวาระต้องไม่ก่อนวันเริ่มวาระ"))

    def values(self):
        """Return the order's fields as plain data for the service."""
        return {"number": self.number.data.strip(), "order_date": self.order_date.data,
                "term_start": self.term_start.data, "term_end": self.term_end.data}


class KbtOrderForm(FlaskForm):
    """A ก.บ.ต. appointment order."""

    number = OrderForm.number
    order_date = OrderForm.order_date
    file = OrderForm.file

    def values(self):
        """Return the order's fields as plain data for the service."""
        return {"number": self.number.data.strip(), "order_date": self.order_date.data}


class MemberForm(FlaskForm):
    """A committee member: only what the register needs (PDPA)."""

    title = StringField(_l("คำนำหน้า"), validators=[Length(max=40)])
    first_name = StringField(_l("ชื่อ"), validators=[
        _required(_l("กรุณากรอกชื่อ")), Length(max=120)])
    last_name = StringField(_l("นามสกุล"), validators=[
        _required(_l("กรุณากรอกนามสกุล")), Length(max=120)])
    position = StringField(_l("ตำแหน่งในคณะกรรมการ"), validators=[
        _required(_l("กรุณากรอกตำแหน่ง")), Length(max=120)])
    organisation = StringField(_l("องค์กรที่เป็นตัวแทน"), validators=[Length(max=200)])
    phone = StringField(_l("โทรศัพท์"), validators=[Length(max=30)],
                        description=_l("มือถือ 10 หลัก หรือโทรศัพท์บ้าน 9 หลัก (ไม่บังคับ)"))

    def validate_phone(self, field):
        """Accept Thai numbers only, stored as bare digits."""
        try:
            self.phone_digits = normalise_phone(field.data)
        except ValueError:
            raise ValidationError(_l("เบอร์โทรศัพท์ไม่ถูกต้อง ต้องเป็นมือถือ 10 หลัก "
                                     "(เช่น 081-234-5678) หรือโทรศัพท์บ้าน 9 หลัก "
                                     "(เช่น 054-123456)")) from None

    def values(self):
        """Return the member's fields as plain data for the service."""
        data = {name: (getattr(self, name).data or "").strip()
                for name in ("title", "first_name", "last_name", "position", "organisation")}
        data["phone"] = getattr(self, "phone_digits", "")
        return data


class MeetingForm(FlaskForm):
    """A meeting held by the committee."""

    held_on = BEDateField(_l("วันที่ประชุม"), validators=[
        _required(_l("กรุณากรอกวันที่ประชุม"))], description=DATE_HINT)
    title = StringField(_l("เรื่อง / ครั้งที่"), validators=[Length(max=200)])
    attendees = IntegerField(_l("จำนวนผู้เข้าประชุม (คน)"), validators=[
        _required(_l("กรุณากรอกจำนวนผู้เข้าประชุม")),
        NumberRange(1, 500, _l("จำนวนผู้เข้าประชุมต้องอยู่ระหว่าง 1 ถึง 500 คน"))])
    minutes = FileField(_l("รายงานการประชุม (PDF, JPEG หรือ PNG ไม่เกิน 5 MB, ไม่บังคับ)"))

    def __init__(self, *args, today=None, **kwargs):
        """Remember today so that a meeting cannot be dated in the future."""
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_held_on(self, field):
        """A meeting is recorded after it is held."""
        if field.data and self.today and field.data > self.today:
            raise ValidationError(_l("วันที่ประชุมต้องไม่เกินวันนี้ (%(day)s)",
                                     day=format_date(self.today)))

    def values(self):
        """Return the meeting's fields as plain data for the service."""
        return {"held_on": self.held_on.data, "title": (self.title.data or "").strip(),
                "attendees": self.attendees.data}


class ActivityForm(FlaskForm):
    """An activity of the Strong Subdistrict project."""

    fiscal_year = IntegerField(_l("ปีงบประมาณ (พ.ศ.)"), validators=[
        _required(_l("กรุณากรอกปีงบประมาณ")),
        NumberRange(2560, 2600, _l("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2570"))])
    title = StringField(_l("ชื่อกิจกรรม"), validators=[
        _required(_l("กรุณากรอกชื่อกิจกรรม")), Length(max=300)])
    in_plan = BooleanField(_l("อยู่ในแผนพัฒนาตำบล"))

    def values(self):
        """Return the activity's fields as plain data for the service."""
        return {"fiscal_year": self.fiscal_year.data, "title": self.title.data.strip(),
                "in_plan": self.in_plan.data}


class ImportForm(FlaskForm):
    """An XLSX file in the template's layout."""

    file = FileField(_l("ไฟล์ทะเบียน (.xlsx)"), validators=[
        FileRequired(_l("กรุณาเลือกไฟล์"))])
