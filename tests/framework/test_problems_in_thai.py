"""Every problem shape the framework parser writes is said in Thai."""

import pytest

from korch_pwa.framework_versions.problems import readable

THAI = "\u0e01"


@pytest.mark.parametrize("problem, expected", [
    ("category 2 indicator 3: 'name_th' is missing or empty", "หมวด 2 ตัวชี้วัดลำดับที่ 3"),
    ("indicator 1.2 rubric level 2: 'score' must be a number", "ตัวชี้วัด 1.2 ระดับคะแนนลำดับที่ 2"),
    ("indicator 1.2 rubric level 2: 'score' must be a whole number", "จำนวนเต็ม"),
    ("indicator 1.2: 'rubric' needs at least two levels", "อย่างน้อย 2 ระดับ"),
    ("indicator 1.2: rubric scores must be unique and ascending", "เรียงจากน้อยไปมาก"),
    ("indicator 1.2: 'status' must be 'official' or 'draft'", "official"),
    ("category 1: 'weight' must be more than 0", "หมวด 1: น้ำหนักต้องมากกว่า 0"),
    ("category 1: 'indicators' must be a non-empty list", "ตัวชี้วัดอย่างน้อย 1 ตัว"),
    ("'levels' must be a non-empty list", "ระดับการพัฒนาอย่างน้อย"),
    ("levels: 'min_percent' must start at 0, rise, and stay within 100", "เริ่มที่ 0"),
    ("level 2: 'min_percent' must be a number", "ระดับการพัฒนาลำดับที่ 2"),
    ("'fiscal_year' must be a B.E. year such as 2568", "พ.ศ."),
    ("'categories' must be a non-empty list", "หมวดอย่างน้อย 1 หมวด"),
    ("indicator codes repeated: 1.1, 2.2", "ซ้ำกัน: 1.1, 2.2"),
    ("category weights must add up to 100", "เท่ากับ 100"),
    ("the file must be a mapping at the top level", "ไม่อยู่ในรูปแบบเกณฑ์"),
    ("file: 'version' is missing or empty", "ส่วนหัวของไฟล์: ไม่มีช่อง 'version'"),
    ("not valid YAML at line 3, column 7", "บรรทัด 3 คอลัมน์ 7"),
    ("not valid YAML: aliases are not allowed", "อ้างอิงซ้ำ"),
    ("not valid YAML: nested too deep", "ซ้อนกันลึกเกินไป"),
    ("not valid YAML", "ไม่ใช่ YAML"),
])
def test_each_shape(app, problem, expected):
    with app.test_request_context():
        text = readable(problem)
    assert expected in text and THAI <= max(text)


def test_the_parser_writes_only_known_shapes(app):
    """Any problem the parser can write on a broken file reads as Thai."""
    from korch_pwa.domain.framework import FrameworkError, parse_framework

    broken = {"fiscal_year": 1, "levels": [{"code": "a"}], "categories": [
        {"code": "1", "weight": 0, "indicators": [{"code": "1.1", "rubric": [{"score": 1.5}]},
                                                  {"code": "1.1"}]}]}
    with pytest.raises(FrameworkError) as raised:
        parse_framework(broken)
    with app.test_request_context():
        untranslated = [p for p in raised.value.problems if readable(p) == p]
    assert raised.value.problems and untranslated == []
