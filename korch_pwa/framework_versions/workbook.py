"""The framework as a workbook, for people who do not write YAML.

The template is the framework in force, one sheet per part (the file's
header, development levels, categories, indicators, rubric bands), so the
department edits what it knows instead of starting blank. An uploaded
workbook becomes the same data a YAML file holds and is stored as YAML:
one text per version, whichever way it came in, checked by the one parser.

Each heading ends with its key in brackets, "ชื่อ (name_th)": columns are
found by that key, so a column moved or a heading reworded still reads.
"""

import re

import yaml

from ..domain.framework import FrameworkError
from ..domain.limits import FRAMEWORK_SOURCE_MAX
from ..errors import ServiceError
from ..spreadsheets import add_how_to, add_sheet, book_bytes, read_sheets, sheet_book

FILE, LEVELS, CATEGORIES, INDICATORS, BANDS = (
    "เกณฑ์", "ระดับการพัฒนา", "หมวด", "ตัวชี้วัด", "ระดับคะแนน")

HEADINGS = {
    FILE: ("ช่อง (key)", "ค่า (value)"),
    LEVELS: ("รหัส (code)", "ชื่อ (name_th)", "ชื่ออังกฤษ (name_en)",
             "ร้อยละขั้นต่ำ (min_percent)"),
    CATEGORIES: ("หมวด (code)", "ชื่อหมวด (name_th)", "ชื่ออังกฤษ (name_en)",
                 "น้ำหนัก (weight)"),
    INDICATORS: ("หมวด (category)", "ตัวชี้วัด (code)", "สถานะ official/draft (status)",
                 "ชื่อตัวชี้วัด (name_th)", "ชื่ออังกฤษ (name_en)", "หลักฐาน (evidence_th)"),
    BANDS: ("ตัวชี้วัด (indicator)", "คะแนน (score)", "คำอธิบาย (text_th)",
            "คำอธิบายอังกฤษ (text_en)"),
}
FILE_KEYS = ("fiscal_year", "version", "title_th", "title_en", "official")
NUMBERS = {"fiscal_year", "min_percent", "weight", "score"}
YES = {"true", "yes", "ใช่", "1", "official"}

HOW_TO = (
    "วิธีกรอก: แก้ไขแผ่นงาน เกณฑ์ ระดับการพัฒนา หมวด ตัวชี้วัด และระดับคะแนน แล้วอัปโหลดที่หน้าเกณฑ์การประเมิน",
    "แผ่นงาน เกณฑ์: ตั้งชื่อรุ่นใหม่ (version) ทุกครั้ง รุ่นที่มีอยู่แล้วแก้ไขไม่ได้",
    "official: ใส่ ใช่ เฉพาะเกณฑ์ที่กรมการพัฒนาชุมชนประกาศเป็นทางการแล้ว",
    "ตัวชี้วัด: หนึ่งแถวต่อตัวชี้วัด ช่องหมวดต้องตรงกับรหัสในแผ่นงาน หมวด; สถานะ official = หัวข้อทางการ, draft = ร่าง",
    "ระดับคะแนน: หนึ่งแถวต่อระดับ เรียงคะแนนจากน้อยไปมาก อย่างน้อย 2 ระดับต่อตัวชี้วัด",
    "น้ำหนักของทุกหมวดรวมกันต้องเท่ากับ 100; ร้อยละขั้นต่ำของระดับแรกต้องเป็น 0",
    "ระบบจะแสดงปัญหาทั้งหมดของไฟล์พร้อมกัน และไม่บันทึกจนกว่าไฟล์จะถูกต้อง",
)


def _key(heading):
    match = re.search(r"\((\w+)\)\s*$", str(heading or ""))
    return match[1] if match else None


def template_bytes(framework):
    """Return the workbook of ``framework``: one sheet per part, every cell text."""
    book = sheet_book(FILE, HEADINGS[FILE], [
        ("fiscal_year", framework.fiscal_year), ("version", framework.version),
        ("title_th", framework.title_th), ("title_en", framework.title_en),
        ("official", "ใช่" if framework.official else "")])
    add_sheet(book, LEVELS, HEADINGS[LEVELS], [
        (lv.code, lv.name_th, lv.name_en, lv.min_percent) for lv in framework.levels])
    add_sheet(book, CATEGORIES, HEADINGS[CATEGORIES], [
        (c.code, c.name_th, c.name_en, c.weight) for c in framework.categories])
    add_sheet(book, INDICATORS, HEADINGS[INDICATORS], [
        (c.code, i.code, i.status, i.name_th, i.name_en, i.evidence_th)
        for c in framework.categories for i in c.indicators])
    add_sheet(book, BANDS, HEADINGS[BANDS], [
        (i.code, band.score, band.text_th, band.text_en)
        for i in framework.indicators for band in i.rubric])
    add_how_to(book, HOW_TO, (), ())
    return book_bytes(book)


def _cell(key, value):
    """Return a cell's value as the YAML file would hold it."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if key in NUMBERS and isinstance(value, str):
        text = value.strip()
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return text
    return value.strip() if isinstance(value, str) else value


def _records(rows, sheet, problems):
    """Return one {key: value} per filled row of a sheet, keyed by its headings."""
    if not rows:
        problems.append(f"sheet {sheet}: missing or empty")
        return []
    keys = [_key(h) for h in rows[0]]
    if not any(keys):
        problems.append(f"sheet {sheet}: headings have no (key)")
        return []
    records = []
    for row in rows[1:]:
        record = {k: _cell(k, v) for k, v in zip(keys, row) if k}
        if any(v not in (None, "") for v in record.values()):
            records.append(record)
    return records


def _text(value):
    return "" if value is None else str(value)


def data_of(sheets):
    """Return (the framework's data as its YAML holds it, problems of the workbook's shape)."""
    problems = []
    head = {_text(r.get("key")): r.get("value")
            for r in _records(sheets.get(FILE), FILE, problems)}
    data = {key: head.get(key) for key in FILE_KEYS if key != "official"}
    data["fiscal_year"] = _cell("fiscal_year", data["fiscal_year"])
    data["version"] = _text(data["version"])
    if _text(head.get("official")).strip().lower() in YES:
        data["official"] = True
    data["levels"] = _records(sheets.get(LEVELS), LEVELS, problems)
    categories = {}
    for record in _records(sheets.get(CATEGORIES), CATEGORIES, problems):
        record["code"] = _text(record.get("code"))
        categories[record["code"]] = dict(record, indicators=[])
    bands = {}
    for record in _records(sheets.get(BANDS), BANDS, problems):
        bands.setdefault(_text(record.pop("indicator", None)), []).append(record)
    for record in _records(sheets.get(INDICATORS), INDICATORS, problems):
        code, category = _text(record.get("code")), _text(record.pop("category", None))
        record["code"] = code
        record["rubric"] = bands.pop(code, [])
        if category not in categories:
            problems.append(f"indicator {code or '?'}: category '{category}' is not in the sheet")
            continue
        categories[category]["indicators"].append(record)
    for code in sorted(bands):
        problems.append(f"score band of indicator '{code}': no such indicator")
    for category in categories.values():
        for indicator in category["indicators"]:
            indicator["rubric"] = sorted(indicator["rubric"], key=lambda b: (
                not isinstance(b.get("score"), (int, float)), b.get("score") or 0))
    data["categories"] = list(categories.values())
    return data, problems


def source_of(data):
    """Return the YAML text a workbook's data is stored as."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def read(data, parse):
    """Return the YAML text of an uploaded workbook; raise FrameworkError listing every problem.

    ``parse`` checks the text (services.parse_source): its problems and the
    workbook's own are listed together.
    """
    framework_data, problems = data_of(read_sheets(data, tuple(HEADINGS)))
    source = source_of(framework_data)
    if len(source.encode("utf-8")) > FRAMEWORK_SOURCE_MAX:
        raise ServiceError("framework_too_large", "file", {"kb": FRAMEWORK_SOURCE_MAX // 1024})
    try:
        parse(source)
    except FrameworkError as exc:
        problems += exc.problems
    if problems:
        raise FrameworkError("<workbook>", problems)
    return source
