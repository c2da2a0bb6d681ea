"""Forms of the reporting chain: the coordinator, the year's dates, send and decide."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..domain.limits import COMMENT_MAX, NAME_MAX, PHONE_TYPED_MAX
from ..fields import (BEDateField, ChoiceField, Int32Field, MaxLength, Required, SafeForm,
                      thai_phone)


class CoordinatorForm(SafeForm):
    """Who the province's districts call, shown on its officers' pages."""

    name = StringField(_l("ชื่อ-นามสกุล ผู้ประสานงาน"), validators=[
        Required(_l("กรุณากรอกชื่อผู้ประสานงาน")), MaxLength(NAME_MAX)])
    position = StringField(_l("ตำแหน่ง"), validators=[MaxLength(NAME_MAX)])
    phone = StringField(_l("โทรศัพท์"), validators=[
        Required(_l("กรุณากรอกเบอร์โทรศัพท์")), MaxLength(PHONE_TYPED_MAX), thai_phone],
        description=_l("มือถือ 10 หลัก หรือโทรศัพท์บ้าน 9 หลัก"))


class YearDatesForm(SafeForm):
    """The department's dates for a fiscal year's items (rounds have their own page)."""

    register = BEDateField(_l("ทะเบียนข้อมูลคณะกรรมการ ศอช."),
                           validators=[Required(_l("กรุณาระบุวันกำหนดส่ง"))])
    order_copies = BEDateField(_l("สำเนาคำสั่งแต่งตั้ง ศอช.อ. ศอช.ต. และ ก.บ.ต."),
                               validators=[Required(_l("กรุณาระบุวันกำหนดส่ง"))])
    progress_report = BEDateField(_l("รายงานความก้าวหน้าการดำเนินงาน ศอช."),
                                  validators=[Required(_l("กรุณาระบุวันกำหนดส่ง"))])


class SendForm(SafeForm):
    """Send what the page shows (the CSRF token is its only field)."""


class DecideForm(SafeForm):
    """Accept or return a sending, about the version the officer saw."""

    version = Int32Field(validators=[Required(_l("กรุณาเปิดหน้านี้ใหม่"))])
    act = ChoiceField(_l("ผลการตรวจ"), choices=[
        SelectChoice("accept", _l("รับ")), SelectChoice("return", _l("ส่งกลับให้แก้ไข"))],
        validators=[Required(_l("กรุณาเลือกรับหรือส่งกลับ"))])
    comment = TextAreaField(_l("ความเห็น (จำเป็นเมื่อส่งกลับ)"),
                            validators=[MaxLength(COMMENT_MAX)])
