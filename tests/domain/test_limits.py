"""What a form may turn into a number, and what counts as nothing typed."""

import pytest

from korch_pwa.domain.limits import INT32_MAX, INT32_MIN, is_blank, parse_int32


@pytest.mark.parametrize("text, number", [
    ("12", 12), (" 7 ", 7), ("-3", -3), (str(INT32_MAX), INT32_MAX), (str(INT32_MIN), INT32_MIN),
])
def test_whole_numbers_that_fit_an_integer_column_are_read(text, number):
    assert parse_int32(text) == number


@pytest.mark.parametrize("text", [
    "", "   ", None, "²", "๓", "١", "½", "１２", "9" * 5000, str(INT32_MAX + 1),
    str(INT32_MIN - 1), "12345678901", "+5", "1_000", "3.0", "1e3", "0x10", "-", "1\x00",
])
def test_anything_else_is_no_number(text):
    """Not int()'s rules: it reads '๓' and '1_000' and raises on 5,000 digits."""
    assert parse_int32(text) is None


def test_blank_is_spaces_or_characters_that_show_nothing():
    assert is_blank("") and is_blank(None) and is_blank(" \t\u3000\u00a0")
    assert is_blank("\u200b\ufeff ")
    assert not is_blank(" ก ") and not is_blank("0")
