"""Form fields shared by the HTML forms."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from .domain.thai_dates import BEDateError, parse_be_date, to_be

DATE_ERRORS = {
    "format": _l("วันที่ต้องเป็นรูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569"),
    "ce_year": _l("ปีต้องเป็นปี พ.ศ. เช่น 2569 ไม่ใช่ ค.ศ."),
    "no_such_day": _l("ไม่มีวันที่นี้ในปฏิทิน กรุณาตรวจวันและเดือนอีกครั้ง"),
}


class BEDateField(StringField):
    """A date typed as d/m/yyyy in the Buddhist era (Thai or Arabic digits).

    What the person typed is shown again when it cannot be read, so nothing
    typed is lost.
    """

    def process_formdata(self, valuelist):
        """Keep what was typed; parse it when not empty."""
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw:
            try:
                self.data = parse_be_date(self.raw)
            except BEDateError as exc:
                raise ValueError(DATE_ERRORS[exc.reason]) from None

    def _value(self):
        """Show what was typed, else the stored date in B.E."""
        if getattr(self, "raw", None) is not None:
            return self.raw
        if self.data:
            return f"{self.data.day}/{self.data.month}/{to_be(self.data.year)}"
        return ""
