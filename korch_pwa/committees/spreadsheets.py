"""The register as XLSX: the import template, reading an upload, the export."""

from ..domain.register import format_phone
from ..domain.register_import import COLUMNS
from ..domain.thai_dates import to_be
from ..spreadsheets import UploadRefused, add_how_to, book_bytes, read_rows, sheet_book

__all__ = ["UploadRefused", "read_rows", "template_bytes", "export_bytes", "be_text"]

SHEET = "ทะเบียนคณะกรรมการ"
EXAMPLE = ("520101", "12/2569", "15/1/2569", "1/2/2569", "31/1/2573", "นาง", "สมใจ", "ตัวอย่าง",
           "ประธาน", "กลุ่มออมทรัพย์เพื่อการผลิตบ้านตัวอย่าง", "081-234-5678")


def be_text(day):
    """Write a date as d/m/yyyy in B.E., the way the template asks for it."""
    return f"{day.day}/{day.month}/{to_be(day.year)}" if day else ""


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
