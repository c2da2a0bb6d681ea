"""The province's coordinator form."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from ..domain.limits import NAME_MAX, PHONE_TYPED_MAX
from ..fields import MaxLength, Required, SafeForm, thai_phone


class CoordinatorForm(SafeForm):
    """Who the province's districts call, shown on its officers' pages."""

    name = StringField(_l("ชื่อ-นามสกุล ผู้ประสานงาน"), validators=[
        Required(_l("กรุณากรอกชื่อผู้ประสานงาน")), MaxLength(NAME_MAX)])
    position = StringField(_l("ตำแหน่ง"), validators=[MaxLength(NAME_MAX)])
    phone = StringField(_l("โทรศัพท์"), validators=[
        Required(_l("กรุณากรอกเบอร์โทรศัพท์")), MaxLength(PHONE_TYPED_MAX), thai_phone],
        description=_l("มือถือ 10 หลัก หรือโทรศัพท์บ้าน 9 หลัก"))
