"""Forms of the framework pages: a file to upload, a fiscal year to activate it for."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms.validators import NumberRange

from ..fields import Int32Field, Required, SafeForm

YEARS = (2500, 2700)  # B.E. fiscal years a framework may be activated for


class UploadForm(SafeForm):
    """A framework file: the YAML format of korch_pwa/frameworks/, or the XLSX template."""

    file = FileField(_l("ไฟล์เกณฑ์ (Excel .xlsx จากแบบฟอร์มของระบบ หรือ YAML แบบ UTF-8)"), validators=[
        FileRequired(_l("กรุณาเลือกไฟล์"))])


class ActivateForm(SafeForm):
    """The fiscal year from which new assessments use a version."""

    fiscal_year = Int32Field(_l("ใช้กับแบบประเมินที่เริ่มใหม่ตั้งแต่ปีงบประมาณ (พ.ศ.)"), validators=[
        Required(_l("กรุณาระบุปีงบประมาณ")),
        NumberRange(*YEARS, message=_l("ปีงบประมาณต้องอยู่ระหว่าง %(min)s ถึง %(max)s"))])
