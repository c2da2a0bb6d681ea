"""A framework file's problems in the reader's language.

The parser (domain/framework.py) names each problem in a few fixed English
shapes, for developers and logs; the department's staff read them here in
Thai. A shape not known here is shown as the parser wrote it.
"""

import re

from flask_babel import gettext as _

_PLACE = [
    (re.compile(r"category (\S+) indicator (\d+) rubric level (\d+)"),
     lambda m: _("หมวด %(c)s ตัวชี้วัดลำดับที่ %(i)s ระดับคะแนนลำดับที่ %(r)s",
                 c=m[1], i=m[2], r=m[3])),
    (re.compile(r"indicator (\S+) rubric level (\d+)"),
     lambda m: _("ตัวชี้วัด %(i)s ระดับคะแนนลำดับที่ %(r)s", i=m[1], r=m[2])),
    (re.compile(r"category (\S+) indicator (\d+)"),
     lambda m: _("หมวด %(c)s ตัวชี้วัดลำดับที่ %(i)s", c=m[1], i=m[2])),
    (re.compile(r"indicator (\S+)"), lambda m: _("ตัวชี้วัด %(i)s", i=m[1])),
    (re.compile(r"category (\S+)"), lambda m: _("หมวด %(c)s", c=m[1])),
    (re.compile(r"level (\d+)"), lambda m: _("ระดับการพัฒนาลำดับที่ %(n)s", n=m[1])),
    (re.compile(r"levels"), lambda m: _("ระดับการพัฒนา")),
    (re.compile(r"file"), lambda m: _("ส่วนหัวของไฟล์")),
]


def _place(text):
    for pattern, words in _PLACE:
        match = pattern.fullmatch(text)
        if match:
            return words(match)
    return text


_SHAPES = [
    (re.compile(r"(.+): '(\w+)' is missing or empty"),
     lambda m: _("%(where)s: ไม่มีช่อง '%(key)s' หรือเว้นว่างไว้", where=_place(m[1]), key=m[2])),
    (re.compile(r"(.+): '(\w+)' must be a number"),
     lambda m: _("%(where)s: ช่อง '%(key)s' ต้องเป็นตัวเลข", where=_place(m[1]), key=m[2])),
    (re.compile(r"(.+): '(\w+)' must be text"),
     lambda m: _("%(where)s: ช่อง '%(key)s' ต้องเป็นข้อความ", where=_place(m[1]), key=m[2])),
    (re.compile(r"(.+): 'score' must be a whole number"),
     lambda m: _("%(where)s: คะแนนต้องเป็นจำนวนเต็ม", where=_place(m[1]))),
    (re.compile(r"(.+): 'rubric' needs at least two levels"),
     lambda m: _("%(where)s: ต้องมีระดับคะแนนอย่างน้อย 2 ระดับ", where=_place(m[1]))),
    (re.compile(r"(.+): rubric scores must be unique and ascending"),
     lambda m: _("%(where)s: คะแนนของแต่ละระดับต้องไม่ซ้ำและเรียงจากน้อยไปมาก",
                 where=_place(m[1]))),
    (re.compile(r"(.+): 'status' must be 'official' or 'draft'"),
     lambda m: _("%(where)s: ช่อง 'status' ต้องเป็น official (เกณฑ์ทางการ) หรือ draft (ร่าง)",
                 where=_place(m[1]))),
    (re.compile(r"(.+): 'weight' must be more than 0"),
     lambda m: _("%(where)s: น้ำหนักต้องมากกว่า 0", where=_place(m[1]))),
    (re.compile(r"(.+): 'indicators' must be a non-empty list"),
     lambda m: _("%(where)s: ต้องมีตัวชี้วัดอย่างน้อย 1 ตัว", where=_place(m[1]))),
    (re.compile(r"'levels' must be a non-empty list"),
     lambda m: _("ต้องมีระดับการพัฒนาอย่างน้อย 1 ระดับ")),
    (re.compile(r"levels: 'min_percent' must start at 0, rise, and stay within 100"),
     lambda m: _("ร้อยละขั้นต่ำของระดับการพัฒนาต้องเริ่มที่ 0 เพิ่มขึ้นทีละระดับ และไม่เกิน 100")),
    (re.compile(r"'fiscal_year' must be a B\.E\. year such as 2568"),
     lambda m: _("ช่อง 'fiscal_year' ต้องเป็นปีงบประมาณ พ.ศ. เช่น 2568")),
    (re.compile(r"'categories' must be a non-empty list"),
     lambda m: _("ต้องมีหมวดอย่างน้อย 1 หมวด")),
    (re.compile(r"indicator codes repeated: (.+)"),
     lambda m: _("รหัสตัวชี้วัดซ้ำกัน: %(codes)s", codes=m[1])),
    (re.compile(r"category weights must add up to 100"),
     lambda m: _("น้ำหนักของทุกหมวดรวมกันต้องเท่ากับ 100")),
    (re.compile(r"the file must be a mapping at the top level"),
     lambda m: _("ไฟล์ไม่อยู่ในรูปแบบเกณฑ์ (ต้องขึ้นต้นด้วยช่อง fiscal_year, version, ...)")),
    # The XLSX template's own shapes (framework_versions/workbook.py).
    (re.compile(r"sheet (.+): missing or empty"),
     lambda m: _("ไม่มีแผ่นงาน «%(sheet)s» หรือแผ่นงานนี้ว่าง กรุณาใช้แบบฟอร์มของระบบ", sheet=m[1])),
    (re.compile(r"sheet (.+): headings have no \(key\)"),
     lambda m: _("แผ่นงาน «%(sheet)s»: หัวคอลัมน์ต้องลงท้ายด้วยชื่อช่องในวงเล็บ เช่น ชื่อ (name_th) "
                 "กรุณาใช้แบบฟอร์มของระบบ", sheet=m[1])),
    (re.compile(r"indicator (\S+): category '(.*)' is not in the sheet"),
     lambda m: _("ตัวชี้วัด %(code)s: ไม่มีหมวด «%(category)s» ในแผ่นงาน หมวด",
                 code=m[1], category=m[2])),
    (re.compile(r"score band of indicator '(.*)': no such indicator"),
     lambda m: _("แผ่นงาน ระดับคะแนน: ไม่มีตัวชี้วัด «%(code)s» ในแผ่นงาน ตัวชี้วัด", code=m[1])),
    (re.compile(r"not valid YAML at line (\d+), column (\d+)"),
     lambda m: _("ไฟล์ไม่ใช่ YAML ที่ถูกต้อง ที่บรรทัด %(line)s คอลัมน์ %(column)s "
                 "(ดูการเว้นวรรคและเครื่องหมาย :)", line=m[1], column=m[2])),
    (re.compile(r"not valid YAML: aliases are not allowed"),
     lambda m: _("ไฟล์ไม่ใช่ YAML ที่ถูกต้อง: ห้ามใช้การอ้างอิงซ้ำ (& และ *) ในไฟล์เกณฑ์")),
    (re.compile(r"not valid YAML: nested too deep"),
     lambda m: _("ไฟล์ไม่ใช่ YAML ที่ถูกต้อง: วงเล็บ [ ] หรือ { } ซ้อนกันลึกเกินไป")),
    (re.compile(r"not valid YAML"),
     lambda m: _("ไฟล์ไม่ใช่ YAML ที่ถูกต้อง (ตัวเลขยาวเกินไปหรือซ้อนกันลึกเกินไป)")),
]


def readable(problem):
    """Return one parser problem as the reader's language says it."""
    for pattern, words in _SHAPES:
        match = pattern.fullmatch(problem)
        if match:
            return words(match)
    return problem
