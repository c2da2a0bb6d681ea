"""The progress report as an XLSX workbook and as a PDF in the official layout.

Both take a ``ReportDoc`` (plain data, no database) and return bytes.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from ..domain.spreadsheet_safety import xlsx_append
from ..domain.thai_dates import format_date, thai_digits
from ..pdf import BREAK, heading, keep_together, new_thai_pdf, para, soft_breaks

# "|" marks where a line may break: Thai puts no spaces between words, and
# fpdf2 breaks lines at spaces only. (Zero-width spaces would do, but they
# spoil the text that PDF readers extract and search, so ``wrap`` breaks the
# lines itself.)
_TITLE = "แบบ|ประเมิน|ผล|ความ|ก้าวหน้า|ใน|การ|ดำเนินงาน|ศูนย์|ประสานงาน|องค์การ|ชุมชน (ศอช.)"
_PART1 = "๑. ผล|การ|ดำเนินงาน"
_PART2 = "๒. ปัญหา|และ|อุปสรรค|ใน|การ|ดำเนินงาน"
_PART3 = "๓. ข้อเสนอแนะ|เพื่อ|พัฒนา|และ|ปรับปรุง|งาน|ศูนย์|ประสานงาน|องค์การ|ชุมชน (ศอช.)"
_ITEMS = {
    "register": "(๑) มี|การ|จัดทำ/ปรับปรุง|ฐาน|ข้อมูล|คณะ|กรรมการ|ศูนย์|ประสานงาน|องค์การ|"
                "ชุมชน (ศอช.) ทุก|ระดับ",
    "orders": "(๒) มี|การ|ทบทวน|คำสั่ง|แต่งตั้ง|คณะ|กรรมการ|ศูนย์|ประสานงาน|องค์การ|ชุมชน "
              "(ศอช.) ทุก|ระดับ",
    "meetings": "(๓) มี|การ|จัด|ประชุม|คณะ|กรรมการ|ศูนย์|ประสานงาน|องค์การ|ชุมชน (ศอช.) "
                "แต่ละ|ระดับ อย่าง|น้อย ๒ ครั้ง/ปี",
    "kbt": "(๔) มี|การ|จัดทำ/ทบทวน|คำสั่ง|แต่งตั้ง|คณะ|กรรมการ|บริหาร|งาน|ตำบล|แบบ|บูรณาการ "
           "(ก.บ.ต.)",
    "assessed": "(๕) มี|การ|ประเมิน|ผล|การ|จัด|ระดับ|การ|พัฒนา|ศูนย์|ประสานงาน|องค์การ|ชุมชน|"
                "ระดับ|ตำบล (ศอช.ต.)",
    "strong": "(๖) มี|การ|ส่งเสริม|ให้|ศูนย์|ประสานงาน|องค์การ|ชุมชน|ระดับ|ตำบล (ศอช.ต.) "
              "เป็น|กลไก|ใน|การ|ขับเคลื่อน|โครงการ|ตำบล|เข้มแข็ง|ตาม|ปณิธาน|ของ|เศรษฐกิจ|"
              "พอเพียง และ|ผลักดัน|ให้|อยู่|ใน|แผน|พัฒนา|ตำบล",
}
def plain(text):
    """Return form text without its line-break marks."""
    return text.replace("|", "")


def breakable(text):
    """Return form text with its line-break marks as BREAK characters."""
    return text.replace("|", BREAK)


TITLE = plain(_TITLE)
PART1, PART2, PART3 = plain(_PART1), plain(_PART2), plain(_PART3)
ITEMS = {key: plain(text) for key, text in _ITEMS.items()}
UNIT = {"subdistrict": "ตำบล", "district": "อำเภอ", "province": "จังหวัด"}
LEVELS = ("subdistrict", "district", "province")


@dataclass(frozen=True)
class ReportDoc:
    """Everything printed on the form."""

    fiscal_year: int
    area_title: str          # "อำเภอเมืองลำปาง จังหวัดลำปาง"
    counts: dict
    problems: str = ""
    suggestions: str = ""
    reporter_name: str = ""
    reporter_position: str = ""
    reported_on: date | None = None


def count_lines(counts):
    """Return [(part key, text)] of the counts as the form words them.

    Numbers get thousands separators ("4,328"); the PDF turns digits Thai.
    """
    n = "{:,}".format
    lines = []
    for part in ("register", "orders"):
        for level in LEVELS:
            row = counts[part][level]
            lines.append((part, f"จำนวน {n(row['areas'])} {UNIT[level]} "
                                f"จำนวน {n(row['committees'])} คณะ "
                                f"จำนวน {n(row['persons'])} คน"))
    met = counts["meetings"]
    lines.append(("meetings", f"จำนวน {n(met['subdistrict'])} ตำบล จำนวน "
                              f"{n(met['district'])} อำเภอ จำนวน {n(met['province'])} จังหวัด"))
    lines.append(("kbt", f"จำนวน {n(counts['kbt'])} ตำบล"))
    lines.append(("assessed", f"จำนวน {n(counts['assessed'])} ตำบล"))
    strong = counts["strong"]
    lines.append(("strong", f"จำนวน {n(strong['subdistricts'])} ตำบล "
                            f"จำนวน {n(strong['activities'])} กิจกรรม"))
    return lines


# ---------------------------------------------------------------- XLSX

XLSX_HEADINGS = ("ข้อ", "รายการ", "ระดับ", "จำนวนพื้นที่", "หน่วย", "จำนวนคณะ",
                 "จำนวนคน", "จำนวนกิจกรรม")


def xlsx_rows(counts):
    """Return the table rows of part 1, numbers as ints (None for an empty cell)."""
    rows = []
    for n, part in ((1, "register"), (2, "orders")):
        for level in LEVELS:
            row = counts[part][level]
            rows.append((n, ITEMS[part], UNIT[level], row["areas"], UNIT[level],
                         row["committees"], row["persons"], None))
    for level in LEVELS:
        rows.append((3, ITEMS["meetings"], UNIT[level], counts["meetings"][level],
                     UNIT[level], None, None, None))
    rows.append((4, ITEMS["kbt"], "ตำบล", counts["kbt"], "ตำบล", None, None, None))
    rows.append((5, ITEMS["assessed"], "ตำบล", counts["assessed"], "ตำบล", None, None, None))
    strong = counts["strong"]
    rows.append((6, ITEMS["strong"], "ตำบล", strong["subdistricts"], "ตำบล", None, None,
                 strong["activities"]))
    return rows


def build_xlsx(doc):
    """Return the report as XLSX bytes, Thai headings following the form."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "แบบรายงาน"
    bold = Font(bold=True)
    xlsx_append(ws, [TITLE])
    xlsx_append(ws, [f"{doc.area_title} ปีงบประมาณ พ.ศ. {doc.fiscal_year}"])
    xlsx_append(ws, [])
    xlsx_append(ws, [PART1])
    xlsx_append(ws, list(XLSX_HEADINGS))
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in xlsx_rows(doc.counts):
        xlsx_append(ws, list(row))
    xlsx_append(ws, [])
    for title, text in ((PART2, doc.problems), (PART3, doc.suggestions)):
        xlsx_append(ws, [title])
        xlsx_append(ws, [text or "-"])
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    xlsx_append(ws, [])
    xlsx_append(ws, ["ผู้รายงาน", doc.reporter_name])
    xlsx_append(ws, ["ตำแหน่ง", doc.reporter_position])
    xlsx_append(ws, ["วันที่รายงาน", format_date(doc.reported_on) if doc.reported_on else ""])
    for r in (1, 4):
        ws.cell(r, 1).font = Font(bold=True, size=14 if r == 1 else 12)
    for col, width in zip("ABCDEFGH", (6, 60, 10, 12, 8, 10, 10, 12)):
        ws.column_dimensions[col].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def _new_pdf():
    """Return the report's A4 PDF: Sarabun, Thai shaping, official letter margins."""
    return new_thai_pdf(TITLE)


def _free_text(pdf, text):
    """Write typed text, or dotted lines to fill in by hand when there is none."""
    if text.strip():
        for line in text.strip().splitlines():
            para(pdf, soft_breaks(thai_digits(line)) or " ", indent=10)
    else:
        pdf.set_font("Sarabun", "", 14)
        dots = int((pdf.epw - 12) / pdf.get_string_width("."))
        for _ in range(3):
            para(pdf, "." * dots, indent=10)


def build_pdf(doc):
    """Return the report as PDF bytes in the form's layout, with Thai digits."""
    pdf = _new_pdf()
    para(pdf, breakable(_TITLE), size=16, style="B", align="C")
    para(pdf, thai_digits(f"ปีงบประมาณ พ.ศ. {doc.fiscal_year}"), size=16, style="B",
          align="C")
    para(pdf, doc.area_title, size=16, align="C")
    pdf.ln(3)
    heading(pdf, breakable(_PART1))
    shown = set()
    for part, line in count_lines(doc.counts):
        if part not in shown:
            heading(pdf, breakable(_ITEMS[part]), indent=5, style="", keep_with=1)
            shown.add(part)
        para(pdf, "- " + thai_digits(line), indent=15)
    pdf.ln(2)
    heading(pdf, breakable(_PART2))
    _free_text(pdf, doc.problems)
    pdf.ln(2)
    heading(pdf, breakable(_PART3))
    _free_text(pdf, doc.suggestions)
    pdf.ln(10)
    sign = [f"ผู้รายงาน (ลงชื่อ) {'.' * 40}", f"({doc.reporter_name or '.' * 40})",
            f"ตำแหน่ง {doc.reporter_position or '.' * 40}"]
    if doc.reported_on:
        sign.append("วันที่ " + thai_digits(format_date(doc.reported_on)))
    keep_together(pdf, len(sign))
    for line in sign:
        para(pdf, line, indent=70, align="C")
    return bytes(pdf.output())
