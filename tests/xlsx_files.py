"""XLSX files for the import guard and the export checks: normal ones and bombs.

Shared by the tests and by bench/import_bomb.py. Every bomb is built in
memory from a normal workbook, so it opens like one up to its trap.
"""

import struct
import zipfile
from io import BytesIO

from openpyxl import Workbook, load_workbook

from korch_pwa.domain.register_import import COLUMNS
from korch_pwa.domain.spreadsheet_safety import xlsx_append

HEADER = [h for _, h, _, _ in COLUMNS]
SHEET = "xl/worksheets/sheet1.xml"


def good_row(code="520102", first="สมศักดิ์", phone="0812345678", date="15/1/2569"):
    """Return one valid row of the template."""
    return [code, "5/2569", date, "", "", "นาย", first, "ใจดี", "กรรมการ", "กลุ่มอาชีพ", phone]


def normal_xlsx(rows, header=HEADER):
    """Return XLSX bytes with ``header`` and ``rows`` on the first sheet, text as text."""
    book = Workbook()
    xlsx_append(book.active, header)
    for row in rows:
        xlsx_append(book.active, row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data, replace=None, extra=(), level=9):
    """Return ``data`` (a zip) with entries replaced/added: name -> bytes."""
    replace = dict(replace or {})
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.pop(info.filename, None) or src.read(info))
        for name, body in list(replace.items()) + list(extra):
            dst.writestr(name, body)
    return out.getvalue()


def sheet_xml(rows_xml):
    """Return a worksheet part whose sheetData holds ``rows_xml`` (bytes)."""
    return (b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>" + rows_xml + b"</sheetData></worksheet>")


def inline_cell(ref, text):
    """Return one inline-string cell."""
    return f'<c r="{ref}" t="inlineStr"><is><t>'.encode() + text + b"</t></is></c>"


def header_row():
    """Return row 1 of the template as XML."""
    from openpyxl.utils import get_column_letter
    cells = b"".join(inline_cell(f"{get_column_letter(i)}1", h.encode())
                     for i, h in enumerate(HEADER, start=1))
    return b'<row r="1">' + cells + b"</row>"


def inline_string_bomb(size=50 * 1024 * 1024):
    """Return an XLSX whose sheet holds one inline string of ``size`` 'A's (~50 KB zipped)."""
    body = sheet_xml(header_row() + b'<row r="2">' + inline_cell("A2", b"A" * size) + b"</row>")
    return rezip(normal_xlsx([]), {SHEET: body})


def many_entries_zip(count=10_000):
    """Return a normal XLSX with ``count`` tiny extra entries."""
    return rezip(normal_xlsx([good_row()]),
                 extra=((f"xl/media/pad{i}.bin", b"") for i in range(count)), level=1)


def _patch_sizes(data, name, size):
    """Return zip ``data`` whose entry ``name`` declares ``size`` uncompressed bytes."""
    out = bytearray(data)
    encoded = name.encode()
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46:at + 46 + name_len]) == encoded:
            struct.pack_into("<I", out, at + 24, size)
            local = struct.unpack_from("<I", out, at + 42)[0]
            struct.pack_into("<I", out, local + 22, size)
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise KeyError(name)


def lying_size_bomb(size=50 * 1024 * 1024, declared=200 * 1024):
    """Return the inline-string bomb whose sheet claims only ``declared`` bytes."""
    return _patch_sizes(inline_string_bomb(size), SHEET, declared)


def declared_huge_zip(declared=0xFFFFFFF0):
    """Return a normal XLSX whose sheet declares a 4 GB uncompressed size."""
    return _patch_sizes(normal_xlsx([good_row()]), SHEET, declared)


NOT_ZIP = b"This is a text file renamed to .xlsx\n" * 100


def sheet_cells(data):
    """Return every cell of every sheet of XLSX ``data`` (openpyxl, full mode)."""
    book = load_workbook(BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formulas(data):
    """Assert XLSX ``data`` has no formula: no <f> element, every text cell a string."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    for cell in sheet_cells(data):
        if isinstance(cell.value, str):
            assert cell.data_type == "s", (cell.coordinate, cell.value)
