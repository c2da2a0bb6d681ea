"""Row-by-row checks of an imported register, without HTTP or a database."""

from datetime import date, datetime

from korch_pwa.domain.register_import import COLUMNS, HEADERS, validate_rows

HEADER = [h for _, h, _, _ in COLUMNS]
KNOWN = {"5201", "520101", "520102", "520201"}
EDITABLE = {"5201", "520101", "520102"}


def row(**values):
    """Return a valid row in template order, with ``values`` replacing cells."""
    base = {"area_code": "520101", "order_number": "12/2569", "order_date": "15/1/2569",
            "term_start": "", "term_end": "", "title": "นาง", "first_name": "สมใจ",
            "last_name": "ทดสอบ", "position": "ประธาน", "organisation": "กลุ่มออมทรัพย์",
            "phone": "081-234-5678"}
    base.update(values)
    return [base[key] for key, _, _, _ in COLUMNS]


def check(rows, existing=frozenset(), header=HEADER):
    """Validate ``rows`` against the fixed world above."""
    return validate_rows(header, rows, KNOWN, EDITABLE, existing)


def reasons(result):
    """Return (row, column, reason) triples for easy asserts."""
    return [(e.row, e.column, e.reason) for e in result.errors]


def test_clean_file_groups_members_by_area():
    """Rows of one area become one order; phones and dates are normalised."""
    result = check([row(), row(first_name="สมหมาย", position="กรรมการ", phone=""),
                    row(area_code="5201", order_number="3/2569", first_name="ก")])
    assert result.ok
    orders = {o.area_code: o for o in result.orders}
    assert orders["520101"].order_date == date(2026, 1, 15)
    assert [m["first_name"] for m in orders["520101"].members] == ["สมใจ", "สมหมาย"]
    assert orders["520101"].members[0]["phone"] == "0812345678"
    assert len(orders["5201"].members) == 1


def test_every_bad_row_is_reported_with_row_and_column():
    """Unknown area, out of scope, missing name, bad phone, bad date: one line each."""
    result = check([
        row(),
        row(area_code="999999"),
        row(area_code="520201"),
        row(first_name=""),
        row(phone="12345"),
        row(order_date="31/2/2569"),
        row(order_date="15/1/2026"),
    ])
    assert not result.ok
    got = reasons(result)
    assert (3, HEADERS["area_code"], "ไม่พบรหัสพื้นที่ 999999") in got
    assert any(r == 4 and "นอกพื้นที่" in why for r, _, why in got)
    assert (5, HEADERS["first_name"], "ต้องกรอกช่องนี้") in got
    assert any(r == 6 and c == HEADERS["phone"] and "เบอร์โทรศัพท์" in why
               for r, c, why in got)
    assert (7, HEADERS["order_date"], "ไม่มีวันที่นี้ในปฏิทิน") in got
    assert any(r == 8 and c == HEADERS["order_date"] and "พ.ศ." in why for r, c, why in got)
    assert 2 not in {r for r, _, _ in got}


def test_missing_column_stops_before_rows():
    """A sheet not in the template's layout is refused at row 1."""
    header = [h for h in HEADER if h != HEADERS["last_name"]]
    result = check([row()], header=header)
    assert reasons(result) == [(1, HEADERS["last_name"],
                                "ไม่พบหัวคอลัมน์นี้ กรุณาใช้แบบฟอร์มของระบบ")]


def test_columns_may_come_in_any_order():
    """Headers are matched by name, not position."""
    header = list(reversed(HEADER))
    result = check([list(reversed(row()))], header=header)
    assert result.ok and result.orders[0].members[0]["last_name"] == "ทดสอบ"


def test_one_area_one_order_and_no_duplicate_names():
    """A second order number for the same area, or the same person twice, is an error."""
    result = check([row(), row(first_name="ข", order_number="13/2569"), row()])
    got = reasons(result)
    assert any(r == 3 and c == HEADERS["order_number"] and "แถวที่ 2" in why
               for r, c, why in got)
    assert any(r == 4 and "ซ้ำ" in why for r, _, why in got)


def test_order_already_in_register_is_refused():
    """Importing the same order twice would double the term."""
    result = check([row()], existing={("520101", "12/2569", date(2026, 1, 15))})
    assert any("มีอยู่ในทะเบียนแล้ว" in why for _, _, why in reasons(result))


def test_spreadsheet_types_are_understood():
    """Numbers lose no leading zero; real dates, also B.E. ones, are read as dates."""
    result = check([row(area_code=520101, phone=812345678, order_date=datetime(2026, 1, 15),
                        term_start=date(2569, 2, 1), term_end="31/1/2573")])
    assert result.ok, reasons(result)
    order = result.orders[0]
    assert order.area_code == "520101" and order.members[0]["phone"] == "0812345678"
    assert (order.order_date, order.term_start) == (date(2026, 1, 15), date(2026, 2, 1))
    assert order.term_end == date(2030, 1, 31)


def test_term_end_before_start_and_too_long_text():
    """Order of term dates and column widths are checked."""
    result = check([row(term_start="1/2/2569", term_end="1/1/2569", title="น" * 41)])
    got = reasons(result)
    assert any(c == HEADERS["term_end"] for _, c, _ in got)
    assert any(c == HEADERS["title"] and "40" in why for _, c, why in got)


def test_blank_lines_are_skipped_and_empty_file_refused():
    """Blank rows keep their numbers for the report; a file with no rows is an error."""
    result = check([row(), [None] * len(HEADER), row(first_name="ค", phone="abc")])
    assert [e.row for e in result.errors] == [4]
    assert reasons(check([])) == [(2, "", "ไม่มีข้อมูลในไฟล์")]


def test_errors_carry_codes_for_translation():
    """Each error names a reason code whose Thai message fills in its values."""
    result = check([row(area_code="999999"), row(order_date="1/13/2569"), row(title="x" * 41)])
    assert [(e.row, e.code) for e in result.errors] == [
        (2, "unknown_area"), (3, "no_such_date"), (4, "too_long")]
    assert result.errors[0].values == {"code": "999999"}
    assert result.errors[2].reason == "ยาวเกิน 40 ตัวอักษร"
