"""Refuse a hostile XLSX upload before openpyxl unpacks it (zip bombs).

An XLSX is a zip of XML parts. A 1 MB upload can declare gigabytes inside,
or hold one 50 MB string that deflates 1000:1, and a parser that trusts it
runs a worker out of memory. ``check_xlsx`` looks at the archive first:

1. the end-of-central-directory record: not a zip, or more entries than
   MAX_ENTRIES, is refused before ``zipfile`` builds its entry list;
2. the central directory: the declared uncompressed sizes must add up to at
   most MAX_UNPACKED_BYTES, and no entry bigger than RATIO_FROM_BYTES may
   claim more than MAX_RATIO times its compressed size;
3. every entry is then actually decompressed in CHUNK_BYTES pieces with a
   running byte count, so a central directory that lies cannot get past the
   limit (``zipfile`` also stops at the declared size and checks the CRC);
   the pieces of the worksheets and the shared strings go through expat,
   which keeps no tree, to count rows, cells and characters per cell.

Only then does the caller let openpyxl (read_only, data_only) read the
first sheet, whose size the scan has already bounded. Pure: bytes in, a
verdict out; the messages are Thai templates translated by the caller.
"""

import struct
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from xml.parsers import expat

from .file_types import looks_like_xlsx
from .messages import N_
from .register_import import MAX_ROWS

# ---- The limits, all in one place.
MAX_ENTRIES = 200  # an XLSX saved by Excel or LibreOffice has 10 to 30 parts
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # all parts, decompressed
MAX_RATIO = 100  # uncompressed : compressed, for an entry of ...
RATIO_FROM_BYTES = 1024 * 1024  # ... at least this size (small parts may compress well)
CHUNK_BYTES = 64 * 1024
MAX_DATA_ROWS = MAX_ROWS + 1  # rows holding a value, the header row included
MAX_READ_ROWS = 4 * MAX_ROWS  # last sheet row read (blank lines between blocks included)
MAX_COLUMNS = 30  # a value in a column past this is refused (the template has 11)
MAX_CELL_CHARS = 1000  # characters in one cell (the longest template field is 200)
MAX_CELLS = 200_000  # cells of the first sheet, empty formatted ones included

REFUSALS = {
    "not_zip": N_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) กรุณาใช้แบบฟอร์มของระบบ"),
    "too_many_entries": N_("ไฟล์นี้มีส่วนประกอบภายในมากผิดปกติ (เกิน %(limit)d ส่วน) "
                           "จึงไม่เปิดอ่าน กรุณาบันทึกไฟล์ใหม่จาก Excel หรือใช้แบบฟอร์มของระบบ"),
    "unpacked_too_large": N_("ไฟล์นี้เมื่อคลายออกแล้วใหญ่เกิน %(limit_mb)d MB จึงไม่เปิดอ่าน "
                             "กรุณาแบ่งไฟล์หรือใช้แบบฟอร์มของระบบ"),
    "compression_ratio": N_("ไฟล์นี้ถูกบีบอัดมากผิดปกติ จึงไม่เปิดอ่าน "
                            "กรุณาบันทึกไฟล์ใหม่จาก Excel แล้วนำเข้าอีกครั้ง"),
    "too_many_rows": N_("ไฟล์มีเกิน %(max_rows)d แถว กรุณาแบ่งไฟล์"),
    "rows_too_far": N_("มีข้อมูลอยู่เลยแถวที่ %(last_row)d ของแผ่นงาน "
                       "กรุณาลบแถวว่างที่คั่นอยู่หรือแบ่งไฟล์"),
    "too_many_columns": N_("แผ่นงานแรกมีข้อมูลเกิน %(limit)d คอลัมน์ กรุณาใช้แบบฟอร์มของระบบ"),
    "too_many_cells": N_("แผ่นงานแรกมีเซลล์มากเกิน %(limit)d เซลล์ "
                         "กรุณาลบรูปแบบเซลล์ที่ไม่ได้ใช้ หรือใช้แบบฟอร์มของระบบ"),
    "cell_too_long": N_("ช่องในแถวที่ %(row)d ยาวเกิน %(limit)d ตัวอักษร กรุณาตรวจข้อมูล"),
    "text_too_long": N_("มีข้อความในไฟล์ที่ยาวเกิน %(limit)d ตัวอักษร กรุณาตรวจข้อมูล"),
}


class XlsxRefused(ValueError):
    """The upload is refused as a whole; ``code`` is a key of REFUSALS."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def reason(self):
        """Return the reason in Thai (the source language)."""
        return REFUSALS[self.code] % self.params


_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF


def declared_entry_count(data):
    """Return the entry count of the zip's end record, or None if there is none."""
    start = max(0, len(data) - _EOCD_SIZE - _MAX_COMMENT)
    at = data.rfind(_EOCD, start)
    if at < 0 or at + _EOCD_SIZE > len(data):
        return None
    # Entries on this disk, entries in total: take the larger (0xFFFF means Zip64).
    on_disk, total = struct.unpack_from("<HH", data, at + 8)
    return max(on_disk, total)


def check_archive(archive):
    """Refuse on the central directory alone: entry count, sizes, ratios."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise XlsxRefused("too_many_entries", limit=MAX_ENTRIES)
    if sum(info.file_size for info in entries) > MAX_UNPACKED_BYTES:
        raise XlsxRefused("unpacked_too_large", limit_mb=MAX_UNPACKED_BYTES // 2**20)
    for info in entries:
        if (info.file_size >= RATIO_FROM_BYTES
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise XlsxRefused("compression_ratio")


def _local(name):
    """Return an XML name without its namespace prefix."""
    return name.rsplit(":", 1)[-1]


def column_number(ref):
    """Return the column of a cell reference such as 'AB12' (1 for 'A')."""
    number = 0
    for char in ref:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
    return number


@dataclass
class SheetStats:
    """What the scan saw in one worksheet part."""

    cells: int = 0
    data_rows: int = 0
    last_data_row: int = 0
    widest_column: int = 0  # the rightmost column holding a value
    longest: int = 0
    longest_row: int = 0


class _SheetScanner:
    """Count a worksheet's rows, cells and characters as its XML streams by."""

    def __init__(self):
        self.stats = SheetStats()
        self.row = 0
        self.column = 0
        self.row_has_value = False
        self.cell_chars = 0
        self.in_text = False

    def start(self, name, attrs):
        name = _local(name)
        if name == "row":
            ref = attrs.get("r", "")
            self.row = int(ref) if ref.isdigit() else self.row + 1
            self.column = 0
            self.row_has_value = False
        elif name == "c":
            ref = attrs.get("r")
            self.column = column_number(ref) if ref else self.column + 1
            self.cell_chars = 0
            self.stats.cells += 1
        elif name in ("v", "t"):
            self.in_text = True

    def end(self, name):
        name = _local(name)
        stats = self.stats
        if name in ("v", "t"):
            self.in_text = False
        elif name == "c" and self.cell_chars:
            self.row_has_value = True
            stats.widest_column = max(stats.widest_column, self.column)
            if self.cell_chars > stats.longest:
                stats.longest, stats.longest_row = self.cell_chars, self.row
        elif name == "row" and self.row_has_value:
            stats.data_rows += 1
            stats.last_data_row = max(stats.last_data_row, self.row)

    def text(self, data):
        if self.in_text:
            self.cell_chars += len(data)


class _StringsScanner:
    """Find the longest string of the shared-strings part, keeping none of them."""

    def __init__(self):
        self.longest = 0
        self.chars = 0
        self.in_text = False

    def start(self, name, attrs):
        name = _local(name)
        if name == "si":
            self.chars = 0
        elif name == "t":
            self.in_text = True

    def end(self, name):
        name = _local(name)
        if name == "t":
            self.in_text = False
        elif name == "si":
            self.longest = max(self.longest, self.chars)

    def text(self, data):
        if self.in_text:
            self.chars += len(data)


def _parser(scanner):
    """Return an expat parser feeding ``scanner`` (no DTDs, no entities expanded)."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    parser.buffer_text = True

    def refuse_entities(*_args):
        raise XlsxRefused("not_zip")

    # An XLSX part never declares entities; "billion laughs" would.
    parser.EntityDeclHandler = refuse_entities
    return parser


@dataclass
class ScanResult:
    """Per-part statistics of an archive that passed the archive checks."""

    sheets: dict = field(default_factory=dict)  # part name -> SheetStats
    unpacked: int = 0


def scan(archive):
    """Decompress every entry with a running byte count; scan sheets and strings."""
    result = ScanResult()
    for info in archive.infolist():
        name = info.filename
        scanner = None
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            scanner = _SheetScanner()
        elif name.lower().endswith("sharedstrings.xml"):
            scanner = _StringsScanner()
        parser = _parser(scanner) if scanner else None
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                result.unpacked += len(chunk)
                if result.unpacked > MAX_UNPACKED_BYTES:
                    raise XlsxRefused("unpacked_too_large",
                                      limit_mb=MAX_UNPACKED_BYTES // 2**20)
                if parser:
                    parser.Parse(chunk, False)
            if parser:
                parser.Parse(b"", True)
        if isinstance(scanner, _SheetScanner):
            result.sheets[name] = scanner.stats
        elif scanner is not None and scanner.longest > MAX_CELL_CHARS:
            raise XlsxRefused("text_too_long", limit=MAX_CELL_CHARS)
    return result


def check_sheet(stats):
    """Refuse the sheet that will be read when it is past a row, column or cell limit."""
    if stats.cells > MAX_CELLS:
        raise XlsxRefused("too_many_cells", limit=MAX_CELLS)
    if stats.widest_column > MAX_COLUMNS:
        raise XlsxRefused("too_many_columns", limit=MAX_COLUMNS)
    if stats.data_rows > MAX_DATA_ROWS:
        raise XlsxRefused("too_many_rows", max_rows=MAX_ROWS)
    if stats.last_data_row > MAX_READ_ROWS:
        raise XlsxRefused("rows_too_far", last_row=MAX_READ_ROWS)
    if stats.longest > MAX_CELL_CHARS:
        raise XlsxRefused("cell_too_long", row=stats.longest_row, limit=MAX_CELL_CHARS)


def open_checked(data):
    """Return (ZipFile, ScanResult) of XLSX ``data``; raise XlsxRefused.

    The caller then checks the sheet it reads with ``check_sheet``.
    """
    if not looks_like_xlsx(data[:4]):
        raise XlsxRefused("not_zip")
    count = declared_entry_count(data)
    if count is None:
        raise XlsxRefused("not_zip")
    if count > MAX_ENTRIES:
        raise XlsxRefused("too_many_entries", limit=MAX_ENTRIES)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        check_archive(archive)
        return archive, scan(archive)
    except XlsxRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, expat.ExpatError, EOFError,
            NotImplementedError, OSError, ValueError, RuntimeError):
        # A broken CRC, a truncated entry, XML that is not XML, an encrypted part.
        raise XlsxRefused("not_zip") from None
