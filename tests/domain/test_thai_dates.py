"""Buddhist-era dates and the fiscal year."""

from datetime import date

import pytest

from korch_pwa.domain import thai_dates as td


@pytest.mark.parametrize("day, year", [
    (date(2024, 9, 30), 2567), (date(2024, 10, 1), 2568), (date(2025, 9, 30), 2568),
    (date(2026, 11, 24), 2570), (date(2027, 1, 1), 2570),
])
def test_fiscal_year_starts_on_first_october(day, year):
    assert td.fiscal_year(day) == year


def test_fiscal_year_bounds():
    assert td.fiscal_year_bounds(2568) == (date(2024, 10, 1), date(2025, 9, 30))


def test_format_date_thai_and_english():
    assert td.format_date(date(2023, 11, 24)) == "24 พฤศจิกายน 2566"
    assert td.format_date(date(2023, 11, 24), style="short") == "24 พ.ย. 2566"
    assert td.format_date(date(2024, 6, 28), "en") == "28 Jun 2567 BE"
    assert td.format_date(None) == ""


def test_thai_digits_round_trip():
    assert td.thai_digits("24/11/2566") == "๒๔/๑๑/๒๕๖๖"
    assert td.arabic_digits("๒๔/๑๑/๒๕๖๖") == "24/11/2566"


def test_parse_be_date_accepts_thai_digits_and_refuses_ce_years():
    assert td.parse_be_date("๒๔/๑๑/๒๕๖๖") == date(2023, 11, 24)
    assert td.parse_be_date("5-11-2567") == date(2024, 11, 5)
    for text, reason in (("24/11/2023", "ce_year"), ("yesterday", "format"),
                         ("31/02/2567", "no_such_day"), ("1/2", "format")):
        with pytest.raises(td.BEDateError) as info:
            td.parse_be_date(text)
        assert info.value.reason == reason


@pytest.mark.parametrize("text", ["²/1/2569", "1/1/" + "9" * 5000, "99999-01-01",
                                  "2567-02-30", "1/1/25690", "1//2569", "-1/1/2569", "   "])
def test_parse_be_date_reads_only_ascii_or_thai_digits_of_a_date_length(text):
    """'²' is a digit to str.isdigit() and 5,000 digits make int() raise: both are 'format'."""
    with pytest.raises(td.BEDateError) as info:
        td.parse_be_date(text)
    assert info.value.reason == "format"
