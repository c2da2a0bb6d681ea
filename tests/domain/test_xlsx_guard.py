"""The zip-bomb guard: archive checks, the bounded scan and the sheet limits."""

import zipfile
from io import BytesIO

import pytest

from korch_pwa.domain import xlsx_guard as guard
from korch_pwa.domain.xlsx_guard import SheetStats, XlsxRefused
from tests import xlsx_files as X


def refusal(data):
    """Return the refusal code of ``data``, or None when it passes the archive scan."""
    try:
        guard.open_checked(data)
    except XlsxRefused as exc:
        return exc.code
    return None


def test_normal_file_passes_and_is_scanned():
    archive, scanned = guard.open_checked(X.normal_xlsx([X.good_row()] * 3))
    stats = scanned.sheets[X.SHEET]
    assert (stats.data_rows, stats.last_data_row, stats.widest_column) == (4, 4, 11)
    assert stats.cells == 4 * 11  # empty strings are written as cells too
    assert stats.longest == max(len(h) for h in X.HEADER)
    guard.check_sheet(stats)
    archive.close()


@pytest.mark.parametrize("data, code", [
    (X.NOT_ZIP, "not_zip"),
    (b"PK\x03\x04garbage", "not_zip"),
    (X.inline_string_bomb(), "unpacked_too_large"),
    (X.declared_huge_zip(), "unpacked_too_large"),
    (X.lying_size_bomb(), "not_zip"),  # zipfile stops at the declared size; the CRC fails
])
def test_bombs_are_refused(data, code):
    assert refusal(data) == code


def test_entry_count_is_read_from_the_end_record():
    data = X.many_entries_zip(guard.MAX_ENTRIES + 1)
    assert guard.declared_entry_count(data) > guard.MAX_ENTRIES
    assert refusal(data) == "too_many_entries"
    assert guard.declared_entry_count(X.NOT_ZIP) is None


def test_a_big_entry_that_compresses_too_well_is_refused():
    # 5 MB of one byte: under the size limit, but 1000:1.
    data = X.rezip(X.normal_xlsx([]), extra=[("xl/media/blank.bin", b"\0" * 5 * 2**20)])
    assert refusal(data) == "compression_ratio"
    # Small parts may compress as well as they like.
    data = X.rezip(X.normal_xlsx([]), extra=[("xl/media/blank.bin", b"\0" * 2**19)])
    assert refusal(data) is None


def test_actual_bytes_are_counted_even_when_sizes_are_not_checked(monkeypatch):
    monkeypatch.setattr(guard, "check_archive", lambda archive: None)
    monkeypatch.setattr(guard, "MAX_UNPACKED_BYTES", 2**20)
    assert refusal(X.inline_string_bomb(2 * 2**20)) == "unpacked_too_large"


def test_long_shared_string_is_refused():
    long_si = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b"<si><r><t>" + "ก".encode() * 600 + b"</t></r><r><t>" + b"x" * 401
               + b"</t></r></si></sst>")
    data = X.rezip(X.normal_xlsx([]), extra=[("xl/sharedStrings.xml", long_si)])
    assert refusal(data) == "text_too_long"


def test_entity_declarations_are_refused():
    body = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b'<worksheet><sheetData/></worksheet>')
    assert refusal(X.rezip(X.normal_xlsx([]), {X.SHEET: body})) == "not_zip"


def test_scan_counts_rows_columns_and_characters():
    rows = (X.header_row() + b'<row r="7"><c r="C7" t="inlineStr"><is><t>'
            + "ก".encode() * 50 + b'</t></is></c><c r="AD7" s="1"/></row>'
            + b'<row r="9" s="2" customFormat="1"/>')
    archive, scanned = guard.open_checked(X.rezip(X.normal_xlsx([]), {X.SHEET: X.sheet_xml(rows)}))
    stats = scanned.sheets[X.SHEET]
    assert (stats.data_rows, stats.last_data_row, stats.widest_column) == (2, 7, 11)
    assert stats.cells == 13  # the empty formatted AD7 counts as a cell, not as a value
    archive.close()


@pytest.mark.parametrize("stats, code", [
    (SheetStats(cells=guard.MAX_CELLS + 1), "too_many_cells"),
    (SheetStats(widest_column=guard.MAX_COLUMNS + 1), "too_many_columns"),
    (SheetStats(data_rows=guard.MAX_DATA_ROWS + 1), "too_many_rows"),
    (SheetStats(data_rows=2, last_data_row=guard.MAX_READ_ROWS + 1), "rows_too_far"),
    (SheetStats(longest=guard.MAX_CELL_CHARS + 1, longest_row=3), "cell_too_long"),
])
def test_sheet_limits(stats, code):
    with pytest.raises(XlsxRefused) as caught:
        guard.check_sheet(stats)
    assert caught.value.code == code
    assert caught.value.reason  # every code has its Thai message and its values


def test_limits_at_the_edge_pass():
    guard.check_sheet(SheetStats(cells=guard.MAX_CELLS, data_rows=guard.MAX_DATA_ROWS,
                                 last_data_row=guard.MAX_READ_ROWS,
                                 widest_column=guard.MAX_COLUMNS,
                                 longest=guard.MAX_CELL_CHARS))


def test_column_numbers():
    assert [guard.column_number(r) for r in ("A1", "Z9", "AA1", "ad7", "XFD1")] == \
        [1, 26, 27, 30, 16384]


def test_zip_of_a_zip_entry_is_just_bytes():
    inner = X.inline_string_bomb(2**20)
    data = X.rezip(X.normal_xlsx([]), extra=[("xl/embeddings/inner.zip", inner)])
    assert refusal(data) is None
    assert zipfile.ZipFile(BytesIO(data)).getinfo("xl/embeddings/inner.zip").file_size < 2**20
