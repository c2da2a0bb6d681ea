"""Check every row of an imported register before anything is written.

Pure: the caller reads the spreadsheet and looks up which area codes exist
and which the officer may edit; this module only judges the values.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from .messages import N_
from .register import normalise_phone
from .thai_dates import BE_OFFSET, BEDateError, parse_be_date




# Reasons by code, Thai first; the page shows them through gettext.
REASONS = {
    "required": N_("ต้องกรอกช่องนี้"),
    "too_long": N_("ยาวเกิน %(longest)d ตัวอักษร"),
    "date_format": N_("วันที่ต้องเป็นรูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569"),
    "be_year": N_("ปีต้องเป็นปี พ.ศ. เช่น 2569"),
    "no_such_date": N_("ไม่มีวันที่นี้ในปฏิทิน"),
    "phone": N_("เบอร์โทรศัพท์ไม่ถูกต้อง ต้องเป็นมือถือ 10 หลัก หรือโทรศัพท์บ้าน 9 หลัก"),
    "term_order": N_("วันสิ้นสุดวาระต้องไม่ก่อนวันเริ่มวาระ"),
    "unknown_area": N_("ไม่พบรหัสพื้นที่ %(code)s"),
    "out_of_scope": N_("รหัสพื้นที่ %(code)s อยู่นอกพื้นที่ที่ท่านแก้ไขทะเบียนได้"),
    "order_exists": N_("คำสั่งนี้มีอยู่ในทะเบียนแล้ว (เลขที่และวันที่เดียวกัน)"),
    "order_differs": N_("ต่างจากแถวที่ %(first_row)d ของพื้นที่เดียวกัน "
                        "(หนึ่งพื้นที่ต้องมีคำสั่งเดียวในไฟล์)"),
    "duplicate_name": N_("ชื่อ-นามสกุลนี้ซ้ำกับแถวก่อนหน้าในพื้นที่เดียวกัน"),
    "missing_column": N_("ไม่พบหัวคอลัมน์นี้ กรุณาใช้แบบฟอร์มของระบบ"),
    "too_many_rows": N_("ไฟล์มีเกิน %(max_rows)d แถว กรุณาแบ่งไฟล์"),
    "empty_file": N_("ไม่มีข้อมูลในไฟล์"),
}


class CellError(ValueError):
    """A cell that cannot be read; ``code`` is a key of REASONS."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code

# (key, header in the template, required, longest accepted text)
COLUMNS = (
    ("area_code", "รหัสพื้นที่ (ตำบล/อำเภอ/จังหวัด)", True, 6),
    ("order_number", "เลขที่คำสั่ง", True, 60),
    ("order_date", "วันที่คำสั่ง (วัน/เดือน/ปี พ.ศ.)", True, 20),
    ("term_start", "วันเริ่มวาระ (พ.ศ.)", False, 20),
    ("term_end", "วันสิ้นสุดวาระ (พ.ศ.)", False, 20),
    ("title", "คำนำหน้า", False, 40),
    ("first_name", "ชื่อ", True, 120),
    ("last_name", "นามสกุล", True, 120),
    ("position", "ตำแหน่ง", True, 120),
    ("organisation", "องค์กรที่เป็นตัวแทน", False, 200),
    ("phone", "โทรศัพท์", False, 20),
)
HEADERS = {key: header for key, header, _, _ in COLUMNS}
ORDER_KEYS = ("order_number", "order_date", "term_start", "term_end")
MEMBER_KEYS = ("title", "first_name", "last_name", "position", "organisation", "phone")
MAX_ROWS = 5000
FIRST_DATA_ROW = 2  # row 1 holds the headers, as in the template


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet row number, column header, reason code and its values."""

    row: int
    column: str
    code: str
    params: tuple = ()

    @property
    def values(self):
        """Return the values the reason's message is filled with."""
        return dict(self.params)

    @property
    def reason(self):
        """Return the reason in Thai (the source language)."""
        return REASONS[self.code] % self.values


@dataclass
class OrderRecord:
    """One area's appointment order and its members, ready to be written."""

    area_code: str
    order_number: str
    order_date: date
    term_start: date | None
    term_end: date | None
    first_row: int
    members: list = field(default_factory=list)


@dataclass
class ImportResult:
    """Orders to write, or the errors that stop the whole file."""

    orders: list
    errors: list

    @property
    def ok(self):
        """Return True when the file can be imported."""
        return not self.errors


def cell_text(value):
    """Return a cell as stripped text; whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DATE_REASONS = {"format": "date_format", "ce_year": "be_year", "no_such_day": "no_such_date"}


def cell_date(value):
    """Return a cell as a date, or None if empty; raise CellError.

    Text is read as d/m/yyyy in B.E.; a real spreadsheet date is taken as it
    is, unless its year is a B.E. year typed into a C.E. calendar.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year > 2400:
            return date(value.year - BE_OFFSET, value.month, value.day)
        return value
    try:
        return parse_be_date(cell_text(value))
    except BEDateError as exc:
        raise CellError(_DATE_REASONS[exc.reason]) from None


def cell_phone(value):
    """Return a phone cell as digits; numbers typed as numbers lost their 0."""
    text = cell_text(value)
    if isinstance(value, (int, float)) and len(text) in (8, 9):
        text = "0" + text
    try:
        return normalise_phone(text)
    except ValueError:
        raise CellError("phone") from None


def header_map(header):
    """Return key -> column index for the template's headers found in ``header``."""
    wanted = {h: key for key, h, _, _ in COLUMNS}
    found = {}
    for index, value in enumerate(header):
        key = wanted.get(cell_text(value))
        if key and key not in found:
            found[key] = index
    return found


def _read_row(values, columns, number, errors):
    """Return the row's values by key, appending its problems to ``errors``."""
    row = {}
    for key, header, required, longest in COLUMNS:
        raw = values[columns[key]] if key in columns and columns[key] < len(values) else None
        try:
            if key in ("order_date", "term_start", "term_end"):
                value = cell_date(raw)
            elif key == "phone":
                value = cell_phone(raw)
            else:
                value = cell_text(raw)
        except CellError as exc:
            errors.append(RowError(number, header, exc.code))
            row[key] = None
            continue
        if required and value in ("", None):
            errors.append(RowError(number, header, "required"))
        elif isinstance(value, str) and len(value) > longest:
            errors.append(RowError(number, header, "too_long", (("longest", longest),)))
        row[key] = value
    if row.get("term_start") and row.get("term_end") and row["term_end"] < row["term_start"]:
        errors.append(RowError(number, HEADERS["term_end"], "term_order"))
    return row


def _check_area(code, number, known, editable, errors):
    """Append a problem when ``code`` is unknown or outside the officer's area."""
    header = HEADERS["area_code"]
    if not code:
        return False
    if not (code.isdigit() and len(code) in (2, 4, 6)) or code not in known:
        errors.append(RowError(number, header, "unknown_area", (("code", code),)))
        return False
    if code not in editable:
        errors.append(RowError(number, header, "out_of_scope", (("code", code),)))
        return False
    return True


def _add_to_order(orders, row, number, existing, errors):
    """Put the row's member on its area's order; the order must match earlier rows."""
    code = row["area_code"]
    order = orders.get(code)
    if order is None:
        if (code, row["order_number"], row["order_date"]) in existing:
            errors.append(RowError(number, HEADERS["order_number"], "order_exists"))
        order = orders[code] = OrderRecord(code, row["order_number"], row["order_date"],
                                           row["term_start"], row["term_end"], number)
    else:
        for key in ORDER_KEYS:
            if row[key] != getattr(order, key):
                errors.append(RowError(number, HEADERS[key], "order_differs",
                                       (("first_row", order.first_row),)))
    name = (row["first_name"], row["last_name"])
    if any((m["first_name"], m["last_name"]) == name for m in order.members):
        errors.append(RowError(number, HEADERS["first_name"], "duplicate_name"))
    order.members.append({key: row[key] for key in MEMBER_KEYS})


def validate_rows(header, rows, known, editable, existing=frozenset()):
    """Check a sheet: ``header`` is row 1, ``rows`` the rows below it.

    ``known`` holds the area codes that exist, ``editable`` those the officer
    may change, ``existing`` (area, number, date) of orders already recorded.
    Return an ImportResult whose orders are only meaningful when it is ok.
    """
    columns = header_map(header)
    errors = [RowError(1, h, "missing_column")
              for key, h, required, _ in COLUMNS if required and key not in columns]
    if errors:
        return ImportResult([], errors)
    orders, count = {}, 0
    for number, values in enumerate(rows, start=FIRST_DATA_ROW):
        values = list(values)
        if all(cell_text(v) == "" for v in values):
            continue  # blank lines between blocks are common in hand-kept sheets
        count += 1
        if count > MAX_ROWS:
            errors.append(RowError(number, "", "too_many_rows", (("max_rows", MAX_ROWS),)))
            break
        row_errors = []
        row = _read_row(values, columns, number, row_errors)
        area_ok = _check_area(row["area_code"], number, known, editable, row_errors)
        if area_ok and not row_errors:
            _add_to_order(orders, row, number, existing, row_errors)
        errors.extend(row_errors)
    if count == 0:
        errors.append(RowError(FIRST_DATA_ROW, "", "empty_file"))
    return ImportResult(list(orders.values()), errors)
