"""Form fields shared by the HTML forms."""

from wtforms import StringField

from .domain.thai_dates import format_date, parse_be_date, to_be


class BEDateField(StringField):
    """A date typed as day/month/B.E. year (Thai or Arabic digits)."""

    def _value(self):
        """Show the date as d/m/yyyy B.E., or what the person typed."""
        if self.raw_data:
            return self.raw_data[0]
        if self.data:
            return f"{self.data.day}/{self.data.month}/{to_be(self.data.year)}"
        return ""

    def process_formdata(self, valuelist):
        """Parse the typed text; an empty field gives None."""
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        try:
            self.data = parse_be_date(text)
        except ValueError as exc:
            raise ValueError(str(exc)) from None

    def long_text(self):
        """Return the date written out in Thai."""
        return format_date(self.data)
