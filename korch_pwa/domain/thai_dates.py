"""Buddhist-era dates, Thai month names, Thai digits and the fiscal year."""

import re
from datetime import date

BE_OFFSET = 543

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
MONTHS_EN_SHORT = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
# ASCII digits only: "²" and "١" are digits to str.isdigit() but not to int().
_BE_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_be(ce_year):
    """Return the Buddhist-era year of a Common-era year."""
    return ce_year + BE_OFFSET


def to_ce(be_year):
    """Return the Common-era year of a Buddhist-era year."""
    return be_year - BE_OFFSET


def thai_digits(value):
    """Write a number or text with Thai digits, as official documents do."""
    return str(value).translate(_THAI_DIGITS)


def arabic_digits(text):
    """Turn Thai digits typed by a user back into Arabic ones."""
    return str(text).translate(_ARABIC_DIGITS)


def format_date(day, locale="th", style="long"):
    """Format a date with a Buddhist-era year: '24 พฤศจิกายน 2569'."""
    if day is None:
        return ""
    year = to_be(day.year)
    if locale == "en":
        return f"{day.day} {MONTHS_EN_SHORT[day.month - 1]} {year} BE"
    months = MONTHS_TH if style == "long" else MONTHS_TH_SHORT
    return f"{day.day} {months[day.month - 1]} {year}"


def format_datetime(moment, locale="th"):
    """Format a local date and time: '4 ธ.ค. 2569 15:30 น.' ('4 Dec 2569 BE 15:30')."""
    if moment is None:
        return ""
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    day = format_date(moment, locale, "short")
    return f"{day} {clock}" if locale == "en" else f"{day} {clock} น."


def fiscal_year(day):
    """Return the B.E. fiscal year a date falls in; it starts on 1 October."""
    ce = day.year + 1 if day.month >= 10 else day.year
    return to_be(ce)


def fiscal_year_bounds(be_year):
    """Return the first and last day of a B.E. fiscal year."""
    ce = to_ce(be_year)
    return date(ce - 1, 10, 1), date(ce, 9, 30)


class BEDateError(ValueError):
    """Text that is not a d/m/B.E.-year date; ``reason`` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def parse_be_date(text):
    """Parse 'd/m/yyyy' with a B.E. year (Thai or Arabic digits) into a date.

    Raise BEDateError with reason 'format', 'ce_year' or 'no_such_day'.
    """
    match = _BE_DATE.fullmatch(arabic_digits(text).strip().replace("-", "/"))
    if match is None:
        raise BEDateError("format")
    d, m, y = (int(p) for p in match.groups())
    if y < 2400:
        raise BEDateError("ce_year")
    try:
        return date(to_ce(y), m, d)
    except ValueError:
        raise BEDateError("no_such_day") from None
