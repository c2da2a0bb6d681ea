"""The register as XLSX: the import template, reading an upload, the export."""

from io import BytesIO
from itertools import islice

from flask_babel import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..domain import xlsx_guard
from ..domain.register import format_phone
from ..domain.register_import import COLUMNS
from ..domain.spreadsheet_safety import xlsx_append
from ..domain.thai_dates import to_be
from ..errors import ServiceError

SHEET = "ทะเบียนคณะกรรมการ"
EXAMPLE = ("520101", "12/2569", "15/1/2569", "1/2/2569", "31/1/2573", "นาง", "สมใจ", "ตัวอย่าง",
           "ประธาน", "กลุ่มออมทรัพย์เพื่อการผลิตบ้านตัวอย่าง", "081-234-5678")


def be_text(day):
    """Write a date as d/m/yyyy in B.E., the way the template asks for it."""
    return f"{day.day}/{day.month}/{to_be(day.year)}" if day else ""


def sheet_book(title, headers, rows):
    """Return a workbook of one sheet: bold ``headers``, then ``rows``, all cells text."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    xlsx_append(sheet, list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers, start=1):
        # Text format keeps leading zeros of codes and phones, and B.E. dates as typed.
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(header) + 4)
        sheet.column_dimensions[letter].number_format = "@"
    for row in rows:
        xlsx_append(sheet, [str(value) for value in row])
    sheet.freeze_panes = "A2"
    return book


def book_bytes(book):
    """Return ``book`` as XLSX bytes."""
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def add_how_to(book, lines, headers, examples):
    """Add the "how to fill it in" sheet: ``lines``, then the headers and example rows."""
    notes = book.create_sheet("วิธีกรอก")
    for line in lines:
        xlsx_append(notes, [line])
    xlsx_append(notes, list(headers))
    for example in examples:
        xlsx_append(notes, list(example))


def _sheet(rows):
    """Return XLSX bytes of the register template's headers followed by ``rows``."""
    return book_bytes(sheet_book(SHEET, [header for _, header, _, _ in COLUMNS], rows))


HOW_TO = (
    "วิธีกรอก: หนึ่งแถวต่อกรรมการหนึ่งคน ในแผ่นงานแรก",
    "รหัสพื้นที่: รหัสตำบล 6 หลัก อำเภอ 4 หลัก หรือจังหวัด 2 หลัก ของกรมการปกครอง",
    "กรรมการของพื้นที่เดียวกันต้องมีเลขที่และวันที่คำสั่งเดียวกัน",
    "วันที่เขียนแบบ วัน/เดือน/ปี พ.ศ. เช่น 15/1/2569",
    "โทรศัพท์: มือถือ 10 หลัก หรือโทรศัพท์บ้าน 9 หลัก (ไม่บังคับ)",
    "ระบบจะไม่นำเข้าข้อมูลใดเลยจนกว่าทุกแถวจะถูกต้อง",
    "ตัวอย่าง:",
)


def template_bytes():
    """Return the blank import template; the example sits on a second sheet."""
    headers = [header for _, header, _, _ in COLUMNS]
    book = sheet_book(SHEET, headers, [])
    add_how_to(book, HOW_TO, headers, [EXAMPLE])
    return book_bytes(book)


def export_bytes(members):
    """Return the register ((area, order, member) rows) in the template's layout."""
    return _sheet([(area.code, order.number, be_text(order.order_date),
                    be_text(order.term_start), be_text(order.term_end), member.title,
                    member.first_name, member.last_name, member.position,
                    member.organisation, format_phone(member.phone))
                   for area, order, member in members])


class UploadRefused(ServiceError):
    """A whole upload refused by the zip-bomb guard, with its own Thai message."""

    def __init__(self, refused):
        super().__init__(refused.code, "file", detail=refused.params)

    @property
    def message(self):
        """Return the reason in the reader's language."""
        return gettext(xlsx_guard.REFUSALS[self.code], **self.detail)

    @property
    def status(self):
        """Every refusal is about the file's content."""
        return 422


def read_rows(data):
    """Return (header, rows) of the first sheet of XLSX ``data``.

    The archive is checked and scanned first (``xlsx_guard``); openpyxl then
    streams only the first sheet, whose rows, columns and cells are bounded.
    Raise UploadRefused for a hostile file, not_xlsx for an unreadable one.
    """
    try:
        archive, scanned = xlsx_guard.open_checked(data)
        archive.close()
    except xlsx_guard.XlsxRefused as exc:
        raise UploadRefused(exc) from None
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        stats = scanned.sheets.get(sheet._worksheet_path.lstrip("/"))
        if stats is None:  # the first sheet lives outside xl/worksheets/: not our file
            raise ServiceError("not_xlsx", "file")
        xlsx_guard.check_sheet(stats)
        rows = list(islice(sheet.iter_rows(max_col=xlsx_guard.MAX_COLUMNS, values_only=True),
                           xlsx_guard.MAX_READ_ROWS))
        book.close()
    except xlsx_guard.XlsxRefused as exc:
        raise UploadRefused(exc) from None
    except ServiceError:
        raise
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise ServiceError("not_xlsx", "file") from None
    if not rows:
        return (), []
    return rows[0], rows[1:]
