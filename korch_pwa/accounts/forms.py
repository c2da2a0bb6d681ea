"""Forms for accounts: an account by an officer, a code to activate, a new password."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import Optional, ValidationError

from ..domain.limits import (AREA_CODES_TYPED_MAX, FULL_NAME_MAX, POSITION_MAX,
                             USERNAME_MAX, USERNAME_PATTERN)
from ..domain.officer_import import area_codes_in
from ..domain.passwords import PASSWORD_MAX, PASSWORD_MIN, password_problem
from ..domain.roles import ROLE_LABELS
from ..fields import ChoiceField, MaxLength, Required, SafeForm

ROLE_NAMES = {role.value: _l(label) for role, label in ROLE_LABELS.items()}
PASSWORD_PROBLEMS = {
    "short": _l("รหัสผ่านต้องยาวอย่างน้อย %(min)d ตัวอักษร ใช้คำหลายคำต่อกันจะจำง่าย"),
    "long": _l("รหัสผ่านยาวได้ไม่เกิน %(max)d ตัวอักษร"),
    "common": _l("รหัสผ่านนี้มีคนใช้กันมาก เดาได้ง่าย กรุณาตั้งใหม่"),
    "personal": _l("รหัสผ่านต้องไม่มีชื่อผู้ใช้หรือชื่อของท่าน"),
    "birthday": _l("รหัสผ่านต้องไม่ใช่วันเดือนปีเกิด เดาได้ง่าย"),
    "guessable": _l("รหัสผ่านนี้เดาได้ง่าย (เช่น ตัวเลขเรียงกัน หรือตัวซ้ำ) "
                    "ลองใช้คำหลายคำต่อกัน"),
}
NOT_SAME = _l("รหัสผ่านทั้งสองช่องไม่ตรงกัน")


def area_codes(text):
    """Return the area codes typed in ``text`` (spaces, commas, Thai digits allowed)."""
    return list(area_codes_in(text or ""))


class AccountForm(SafeForm):
    """Name, position, role and areas of an account (the username only when new)."""

    full_name = StringField(_l("ชื่อ-นามสกุล"), validators=[
        Required(_l("กรุณากรอกชื่อ-นามสกุล")), MaxLength(FULL_NAME_MAX)])
    position = StringField(_l("ตำแหน่ง"), validators=[MaxLength(POSITION_MAX)])
    role = ChoiceField(_l("บทบาท"), validators=[Required(_l("กรุณาเลือกบทบาท"))])
    areas = StringField(_l("รหัสพื้นที่"), validators=[MaxLength(AREA_CODES_TYPED_MAX)],
                        description=_l("รหัสตำบล 6 หลัก อำเภอ 4 หลัก หรือจังหวัด 2 หลัก "
                                       "คั่นด้วยเว้นวรรค พิมพ์ชื่อพื้นที่เพื่อค้นหาได้"))
    username = StringField(_l("ชื่อผู้ใช้ (ไม่บังคับ)"), validators=[
        Optional(), MaxLength(USERNAME_MAX)],
        description=_l("เว้นว่างไว้ ระบบจะตั้งให้จากรหัสพื้นที่และลำดับ"))

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, ROLE_NAMES[role.value]) for role in roles]

    def validate_username(self, field):
        """A chosen username: lower-case Latin letters, digits, dot, dash, underscore."""
        typed = (field.data or "").strip().lower()
        if typed and not USERNAME_PATTERN.fullmatch(typed):
            raise ValidationError(_l("ชื่อผู้ใช้ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และ . _ - "
                                     "ยาว 3 ตัวขึ้นไป"))

    @property
    def area_list(self):
        """Return the typed area codes."""
        return area_codes(self.areas.data)


def _check_password(form, field):
    """Refuse a password that is short, common, personal or guessable."""
    username = getattr(form, "username", None)
    problem = password_problem(field.data or "",
                               username=(username.data if username else form.person_username),
                               full_name=form.person_name)
    if problem:
        raise ValidationError(PASSWORD_PROBLEMS[problem] % {"min": PASSWORD_MIN,
                                                            "max": PASSWORD_MAX})


def _same_as_password(form, field):
    if field.data != form.password.data:
        raise ValidationError(NOT_SAME)


class NewPasswordForm(SafeForm):
    """A new password, typed twice."""

    person_username = ""
    person_name = ""
    password = PasswordField(_l("รหัสผ่านใหม่"), validators=[
        Required(_l("กรุณาตั้งรหัสผ่าน")), _check_password],
        description=_l("อย่างน้อย %(min)d ตัวอักษร เช่น คำหลายคำต่อกัน "
                       "ห้ามใช้วันเกิดหรือตัวเลขเรียงกัน", min=PASSWORD_MIN))
    confirm = PasswordField(_l("พิมพ์รหัสผ่านใหม่อีกครั้ง"), validators=[
        Required(_l("กรุณาพิมพ์รหัสผ่านอีกครั้ง")), _same_as_password])


class ActivateForm(NewPasswordForm):
    """Username and one-time code from the slip, then a new password."""

    username = StringField(_l("ชื่อผู้ใช้"), validators=[
        Required(_l("กรุณากรอกชื่อผู้ใช้")), MaxLength(USERNAME_MAX)])
    code = StringField(_l("รหัสเปิดใช้งาน 8 หลัก"), validators=[
        Required(_l("กรุณากรอกรหัสเปิดใช้งานจากใบแจ้ง")), MaxLength(20)])


class ChangePasswordForm(NewPasswordForm):
    """The current password, then a new one."""

    current = PasswordField(_l("รหัสผ่านปัจจุบัน"), validators=[
        Required(_l("กรุณากรอกรหัสผ่านปัจจุบัน"))])
