"""Forms of the register pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..domain.limits import (ACTIVITY_TITLE_MAX, MEETING_TITLE_MAX, NAME_MAX, NAME_TITLE_MAX,
                             ORDER_NUMBER_MAX, ORGANISATION_MAX, PHONE_TYPED_MAX)
from ..domain.thai_dates import format_date
from ..fields import BEDateField, Int32Field, MaxLength, Required, SafeForm, thai_phone

TITLES = ("นาย", "นาง", "นางสาว")
POSITIONS = ("ประธาน", "รองประธาน", "เลขานุการ", "ผู้ช่วยเลขานุการ", "เหรัญญิก",
             "ประชาสัมพันธ์", "กรรมการ")
DATE_HINT = _l("วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569")


class OrderForm(SafeForm):
    """A new appointment order, i.e. a new term."""

    number = StringField(_l("เลขที่คำสั่ง"), validators=[
        Required(_l("กรุณากรอกเลขที่คำสั่ง")), MaxLength(ORDER_NUMBER_MAX)])
    order_date = BEDateField(_l("วันที่ออกคำสั่ง"), validators=[
        Required(_l("กรุณากรอกวันที่ออกคำสั่ง"))], description=DATE_HINT)
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


class KbtOrderForm(SafeForm):
    """A ก.บ.ต. appointment order."""

    number = OrderForm.number
    order_date = OrderForm.order_date
    file = OrderForm.file

    def values(self):
        """Return the order's fields as plain data for the service."""
        return {"number": self.number.data.strip(), "order_date": self.order_date.data}


class MemberForm(SafeForm):
    """A committee member: only what the register needs (PDPA)."""

    title = StringField(_l("คำนำหน้า"), validators=[MaxLength(NAME_TITLE_MAX)])
    first_name = StringField(_l("ชื่อ"), validators=[
        Required(_l("กรุณากรอกชื่อ")), MaxLength(NAME_MAX)])
    last_name = StringField(_l("นามสกุล"), validators=[
        Required(_l("กรุณากรอกนามสกุล")), MaxLength(NAME_MAX)])
    position = StringField(_l("ตำแหน่งในคณะกรรมการ"), validators=[
        Required(_l("กรุณากรอกตำแหน่ง")), MaxLength(NAME_MAX)])
    organisation = StringField(_l("องค์กรที่เป็นตัวแทน"),
                               validators=[MaxLength(ORGANISATION_MAX)])
    phone = StringField(_l("โทรศัพท์"), validators=[MaxLength(PHONE_TYPED_MAX), thai_phone],
                        description=_l("มือถือ 10 หลัก หรือโทรศัพท์บ้าน 9 หลัก (ไม่บังคับ)"))

    def values(self):
        """Return the member's fields as plain data for the service."""
        data = {name: (getattr(self, name).data or "").strip()
                for name in ("title", "first_name", "last_name", "position", "organisation")}
        data["phone"] = getattr(self.phone, "digits", "")
        return data


class MeetingForm(SafeForm):
    """A meeting held by the committee."""

    held_on = BEDateField(_l("วันที่ประชุม"), validators=[
        Required(_l("กรุณากรอกวันที่ประชุม"))], description=DATE_HINT)
    title = StringField(_l("เรื่อง / ครั้งที่"), validators=[MaxLength(MEETING_TITLE_MAX)])
    attendees = Int32Field(_l("จำนวนผู้เข้าประชุม (คน)"), validators=[
        Required(_l("กรุณากรอกจำนวนผู้เข้าประชุม")),
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


class ActivityForm(SafeForm):
    """An activity of the Strong Subdistrict project."""

    fiscal_year = Int32Field(_l("ปีงบประมาณ (พ.ศ.)"), validators=[
        Required(_l("กรุณากรอกปีงบประมาณ")),
        NumberRange(2560, 2600, _l("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2570"))])
    title = StringField(_l("ชื่อกิจกรรม"), validators=[
        Required(_l("กรุณากรอกชื่อกิจกรรม")), MaxLength(ACTIVITY_TITLE_MAX)])
    in_plan = BooleanField(_l("อยู่ในแผนพัฒนาตำบล"))

    def values(self):
        """Return the activity's fields as plain data for the service."""
        return {"fiscal_year": self.fiscal_year.data, "title": self.title.data.strip(),
                "in_plan": self.in_plan.data}


class ImportForm(SafeForm):
    """An XLSX file in the template's layout."""

    file = FileField(_l("ไฟล์ทะเบียน (.xlsx)"), validators=[
        FileRequired(_l("กรุณาเลือกไฟล์"))])
