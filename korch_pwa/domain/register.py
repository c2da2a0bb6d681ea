"""Register rules: Thai phone numbers, the meetings check and who edits what."""

import re
from dataclasses import dataclass

from . import roles
from .thai_dates import arabic_digits, fiscal_year_bounds

MEETINGS_REQUIRED = 2  # each committee meets at least twice a fiscal year

# Mobile numbers are 10 digits starting 06, 08 or 09; fixed lines are 9 digits
# starting 02-07 (area code included), as the NBTC numbering plan lays out.
_MOBILE = re.compile(r"0[689]\d{8}")
_FIXED = re.compile(r"0[2-7]\d{7}")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_phone(text):
    """Return a Thai phone number as bare digits, '' for empty.

    Accept spaces, dashes, brackets, Thai digits and a +66 prefix; raise
    ValueError for anything that is not a Thai number.
    """
    raw = _SEPARATORS.sub("", arabic_digits(text or "").strip())
    if not raw:
        return ""
    if raw.startswith("+66"):
        raw = "0" + raw[3:]
    if _MOBILE.fullmatch(raw) or _FIXED.fullmatch(raw):
        return raw
    # The forms and the import say so in the reader's language.
    raise ValueError(f"not a Thai phone number: {text!r}")


def format_phone(digits):
    """Write stored digits the way people read them: 081-234-5678, 054-123456."""
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 9:
        return f"{digits[:3]}-{digits[3:]}" if digits[1] != "2" else f"{digits[:2]}-{digits[2:]}"
    return digits


@dataclass(frozen=True)
class MeetingCheck:
    """How many meetings a committee held in a fiscal year against the rule."""

    fiscal_year: int
    held: int
    required: int = MEETINGS_REQUIRED

    @property
    def met(self):
        """Return True when the committee met often enough."""
        return self.held >= self.required


def meetings_check(dates, be_year, required=MEETINGS_REQUIRED):
    """Count the meeting ``dates`` inside B.E. fiscal year ``be_year``."""
    first, last = fiscal_year_bounds(be_year)
    return MeetingCheck(be_year, sum(1 for d in dates if first <= d <= last), required)


# The level of committee each role keeps: a subdistrict officer the ศอช.ต.,
# a district officer the ศอช.อ. and its ศอช.ต., a province officer the ศอช.จ.
_EDITS_LEVELS = {
    roles.Role.SUBDISTRICT_OFFICER: {6},
    roles.Role.DISTRICT_OFFICER: {4, 6},
    roles.Role.PROVINCE_OFFICER: {2},
}


def can_edit_register(role, scopes, area_code):
    """Return True when ``role`` with ``scopes`` may change ``area_code``'s register."""
    role = roles.Role(role)
    if not roles.can(role, roles.Permission.EDIT_REGISTER):
        return False
    if len(area_code) not in _EDITS_LEVELS.get(role, set()):
        return False
    return roles.in_scope(role, scopes, area_code)
