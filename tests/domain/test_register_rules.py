"""Thai phone numbers, the two-meetings check, who edits which register, file sniffing."""

from datetime import date

import pytest

from korch_pwa.domain.file_types import JPEG, PDF, PNG, looks_like_xlsx, sniff
from korch_pwa.domain.register import (can_edit_register, format_phone, meetings_check,
                                       normalise_phone)


@pytest.mark.parametrize("typed, stored", [
    ("081-234-5678", "0812345678"), ("0812345678", "0812345678"),
    ("๐๘๑ ๒๓๔ ๕๖๗๘", "0812345678"), ("+66 81 234 5678", "0812345678"),
    ("054-123456", "054123456"), ("02 123 4567", "021234567"), ("", ""), ("  ", ""),
    ("(054) 123-456", "054123456"), ("061-111-2222", "0611112222"),
])
def test_phone_accepts_thai_numbers(typed, stored):
    """Mobiles and fixed lines in the ways people write them are kept as digits."""
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", [
    "12345", "081234567", "08123456789", "0112345678", "0812345abc", "1812345678",
    "abc", "054-12345", "001234567",
])
def test_phone_refuses_other_text(typed):
    """Too short, too long, wrong prefix or letters: refused."""
    with pytest.raises(ValueError, match="not a Thai phone number"):
        normalise_phone(typed)


def test_phone_is_written_with_dashes():
    """Stored digits read back the usual way."""
    assert format_phone("0812345678") == "081-234-5678"
    assert format_phone("054123456") == "054-123456"
    assert format_phone("021234567") == "02-1234567"
    assert format_phone("") == ""


def test_meetings_counted_inside_the_fiscal_year_only():
    """FY 2570 runs 1 Oct 2026 - 30 Sep 2027; both edges count, outside does not."""
    dates = [date(2026, 9, 30), date(2026, 10, 1), date(2027, 9, 30), date(2027, 10, 1)]
    check = meetings_check(dates, 2570)
    assert (check.held, check.required, check.fiscal_year) == (2, 2, 2570)
    assert check.met


def test_one_meeting_is_not_enough():
    """One meeting in the year fails the at-least-two rule."""
    check = meetings_check([date(2026, 11, 1), date(2025, 11, 1)], 2570)
    assert check.held == 1 and not check.met
    assert not meetings_check([], 2570).met


@pytest.mark.parametrize("role, scopes, code, allowed", [
    ("subdistrict_officer", ["520101"], "520101", True),
    ("subdistrict_officer", ["520101"], "520102", False),
    ("subdistrict_officer", ["520101"], "5201", False),
    ("district_officer", ["5201"], "5201", True),
    ("district_officer", ["5201"], "520105", True),
    ("district_officer", ["5201"], "5202", False),
    ("district_officer", ["5201"], "520201", False),
    ("district_officer", ["5201"], "52", False),
    ("province_officer", ["52"], "52", True),
    ("province_officer", ["52"], "5201", False),
    ("province_officer", ["52"], "53", False),
    ("member", ["520101"], "520101", False),
    ("department", [], "52", False),
])
def test_who_edits_which_register(role, scopes, code, allowed):
    """Each officer keeps the level of committee they are responsible for, in scope."""
    assert can_edit_register(role, scopes, code) is allowed


@pytest.mark.parametrize("head, kind", [
    (b"%PDF-1.7\n%", PDF), (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
    (b"\x89PNG\r\n\x1a\n\x00\x00", PNG), (b"MZ\x90\x00\x03", None),
    (b"PK\x03\x04", None), (b"<html>", None), (b"", None), (b"%PD", None),
])
def test_sniff_by_content(head, kind):
    """Only the three signatures pass; an .exe (MZ) or a zip does not."""
    assert sniff(head) == kind


def test_xlsx_looks_like_zip():
    """An XLSX starts like a ZIP archive; a PDF does not."""
    assert looks_like_xlsx(b"PK\x03\x04rest")
    assert not looks_like_xlsx(b"%PDF-1.4")
