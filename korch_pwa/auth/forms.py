"""The login form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("ชื่อผู้ใช้"), validators=[
        DataRequired(_l("กรุณากรอกชื่อผู้ใช้")), Length(max=80)])
    password = PasswordField(_l("รหัสผ่าน"), validators=[
        DataRequired(_l("กรุณากรอกรหัสผ่าน"))])
