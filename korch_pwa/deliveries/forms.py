"""A person's delivery choices."""

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import ValidationError

from ..domain.limits import EMAIL_MAX
from ..fields import MaxLength, SafeForm


def email_address(_form, field):
    """Refuse what is not an e-mail address (spaces around it are fine; they are dropped).

    The address's form only (email-validator, no DNS lookup): whether it
    receives mail shows when something is sent.
    """
    text = (field.data or "").strip()
    if not text:
        return
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(_l("อีเมลไม่ถูกต้อง ตัวอย่าง: somchai@example.com")) from None


class DeliveryForm(SafeForm):
    """Channels besides the inbox, and muting reminders."""

    email = StringField(_l("อีเมล"), validators=[MaxLength(EMAIL_MAX), email_address],
        description=_l("สำหรับเจ้าหน้าที่ที่ต้องการรับแจ้งเตือนทางอีเมล"))
    email_on = BooleanField(_l("ส่งการแจ้งเตือนทางอีเมล"))
    line_on = BooleanField(_l("ส่งการแจ้งเตือนทาง LINE"))
    mute_reminders = BooleanField(_l("ปิดการเตือนกำหนดส่ง"))

    def validate_email_on(self, field):
        """An e-mail channel needs an address."""
        if field.data and not (self.email.data or "").strip():
            raise ValidationError(_l("กรุณากรอกอีเมลก่อนเปิดการแจ้งเตือนทางอีเมล"))


class LineCodeForm(SafeForm):
    """Ask for a code to link a LINE account (the CSRF token is its only field)."""
