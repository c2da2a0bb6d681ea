"""The login form."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ..domain.limits import USERNAME_MAX
from ..fields import MaxLength, SafeForm


class LoginForm(SafeForm):
    """Username and password."""

    username = StringField(_l("ชื่อผู้ใช้"), validators=[
        DataRequired(_l("กรุณากรอกชื่อผู้ใช้")), MaxLength(USERNAME_MAX)])
    password = PasswordField(_l("รหัสผ่าน"), validators=[
        DataRequired(_l("กรุณากรอกรหัสผ่าน"))])
