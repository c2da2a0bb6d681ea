"""The officers' import template: the columns, a drop-down of roles, how to fill it in."""

from ..spreadsheets import add_how_to, book_bytes, sheet_book
from ..domain.officer_import import COLUMNS, MAX_ROWS
from ..domain.roles import ROLE_LABELS, Role

SHEET = "บัญชีเจ้าหน้าที่"
HOW_TO = (
    "วิธีกรอก: หนึ่งแถวต่อเจ้าหน้าที่หนึ่งคน ในแผ่นงานแรก",
    "บทบาท: เลือกจากรายการในช่อง (เฉพาะบทบาทที่ท่านให้ได้)",
    "รหัสพื้นที่: จังหวัด 2 หลัก เจ้าหน้าที่อำเภอ 4 หลัก พัฒนากรประจำตำบล 6 หลัก "
    "ดูแลหลายพื้นที่ได้ คั่นด้วยเว้นวรรค กรมการพัฒนาชุมชนเว้นว่าง",
    "ชื่อผู้ใช้: เว้นว่างได้ ระบบจะตั้งให้จากรหัสพื้นที่และลำดับ",
    "กรรมการ ศอช.ต. ไม่ต้องกรอกที่นี่ ให้สร้างบัญชีจากหน้าทะเบียนคณะกรรมการ",
    f"ไม่เกิน {MAX_ROWS:,} แถวต่อไฟล์ ระบบจะไม่สร้างบัญชีใดเลยจนกว่าทุกแถวจะถูกต้อง",
    "เมื่อนำเข้าแล้ว จะได้ใบแจ้งบัญชีผู้ใช้ (PDF) พร้อมรหัสเปิดใช้งานของแต่ละคน",
    "ตัวอย่าง:",
)
EXAMPLE_AREAS = {Role.PROVINCE_OFFICER: "52", Role.DISTRICT_OFFICER: "5201",
                 Role.SUBDISTRICT_OFFICER: "520101 520102"}


def template_bytes(roles):
    """Return the blank template for an officer who may give ``roles`` (Role values)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = [header for _, header, _, _ in COLUMNS]
    book = sheet_book(SHEET, headers, [])
    sheet = book.worksheets[0]
    labels = [ROLE_LABELS[role] for role in roles]
    if labels:
        # A list typed in the rule itself: no hidden sheet to keep in step.
        choice = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="บทบาท", error="กรุณาเลือกบทบาทจากรายการ")
        sheet.add_data_validation(choice)
        choice.add(f"C2:C{MAX_ROWS + 1}")
    add_how_to(book, HOW_TO, headers,
               [["นางสาวตัวอย่าง ใจดี", "นักวิชาการพัฒนาชุมชน", ROLE_LABELS[role],
                 EXAMPLE_AREAS.get(role, ""), ""] for role in roles])
    return book_bytes(book)
