"""One subdistrict's assessment on paper: a PDF to sign and file.

Every indicator with the rubric level chosen, the note and the evidence
listed, each category's points, the weighted score and level, the history of
sending, returning and approving, and lines for the committee's chair and the
officer to sign. The same Thai typesetting as the progress report (Sarabun,
Thai digits, headings kept with their text). Takes a ``Paper`` (plain data,
no database) and returns bytes.
"""

from dataclasses import dataclass, field
from datetime import datetime

from ..domain.deadlines import bangkok_time
from ..domain.results_table import level_title, percent_of, status_title
from ..domain.scoring import category_points
from ..domain.thai_dates import format_datetime, thai_digits
from ..pdf import heading, keep_together, new_thai_pdf, para, soft_breaks

ACTIONS = {"save": "บันทึก", "submit": "ส่งให้อำเภอ", "approve": "อนุมัติ",
           "return": "ส่งกลับให้แก้ไข", "reopen": "เปิดให้แก้ไขอีกครั้ง"}
DOTS = "." * 40


@dataclass(frozen=True)
class Step:
    """One step of the assessment's history."""

    at: datetime
    actor: str
    action: str
    comment: str = ""


@dataclass(frozen=True)
class Paper:
    """Everything the printed assessment shows."""

    framework: object
    place: str  # "ตำบลX อำเภอY จังหวัดZ"
    fiscal_year: int
    round_number: int
    status: str
    percent: float = None
    level_code: str = None
    scores: dict = field(default_factory=dict)  # indicator code -> score or None
    notes: dict = field(default_factory=dict)  # indicator code -> note
    evidence: dict = field(default_factory=dict)  # indicator code -> [file names]
    history: tuple = ()  # Step, oldest first
    approver: str = None  # the officer whose approval stands


def _answer_line(indicator, score):
    """Return "ระดับที่เลือก ..." with the rubric text of the chosen score."""
    if score is None:
        return "ระดับที่เลือก: ยังไม่ได้ตอบ"
    text = next((r.text_th for r in indicator.rubric if r.score == score), "")
    return f"ระดับที่เลือก: {score} จาก {indicator.max_score} คะแนน — {text}"


def _evidence_line(names):
    """Return the list of files attached, or says there are none."""
    if not names:
        return "หลักฐาน: ไม่มีหลักฐานแนบ"
    return f"หลักฐาน ({len(names)} ไฟล์): " + ", ".join(names)


def _summary(paper):
    """Return the score lines under the title."""
    line = f"สถานะ: {status_title(paper.status, 'th')}"
    if paper.percent is not None:
        line += f" · คะแนนรวมถ่วงน้ำหนัก {paper.percent:.2f} จาก 100"
    if paper.level_code:
        line += f" · ระดับ{level_title(paper.framework, paper.level_code, 'th')}"
    return line


def _categories(pdf, paper):
    """Write every category and indicator."""
    for category, points, top in category_points(paper.framework, paper.scores):
        heading(pdf, thai_digits(f"หมวด {category.code} {category.name_th}"), keep_with=3)
        para(pdf, thai_digits(f"น้ำหนักร้อยละ {category.weight:g} · ได้ {points} จาก {top} "
                              f"คะแนน (ร้อยละ {percent_of(points, top):.1f})"), indent=5)
        for indicator in category.indicators:
            title = f"{indicator.code} {indicator.name_th}"
            if indicator.status == "draft":
                title += " (ร่างเกณฑ์)"
            elif not paper.framework.official:
                title += " (หัวข้อทางการ)"
            heading(pdf, soft_breaks(thai_digits(title)), indent=5, keep_with=2)
            para(pdf, soft_breaks(thai_digits(
                _answer_line(indicator, paper.scores.get(indicator.code)))), indent=10)
            note = paper.notes.get(indicator.code, "").strip()
            if note:
                for number, line in enumerate(note.splitlines()):
                    lead = "หมายเหตุ: " if number == 0 else ""
                    para(pdf, soft_breaks(thai_digits(lead + line)) or " ", indent=10)
            para(pdf, soft_breaks(thai_digits(
                _evidence_line(paper.evidence.get(indicator.code, [])))), indent=10)
        pdf.ln(2)


def _history(pdf, paper):
    """Write who sent, returned and approved, when."""
    heading(pdf, "ประวัติการส่งและการตรวจ")
    steps = [s for s in paper.history if s.action != "save"]
    if not steps:
        para(pdf, "ยังไม่มี", indent=5)
    for step in steps:
        line = (f"{format_datetime(bangkok_time(step.at))} · {step.actor} · "
                f"{ACTIONS.get(step.action, step.action)}")
        if step.comment:
            line += f": {step.comment}"
        para(pdf, soft_breaks(thai_digits(line)), indent=5)


def _signatures(pdf, paper):
    """Write the chair's and the officer's signature blocks, each on one page."""
    blocks = (
        [f"(ลงชื่อ) {DOTS}", f"({DOTS})",
         "ประธานศูนย์ประสานงานองค์การชุมชนตำบล (ศอช.ต.)", f"วันที่ {DOTS}"],
        [f"(ลงชื่อ) {DOTS}", f"({paper.approver or DOTS})", "พัฒนากรผู้ตรวจและรับรองผล",
         f"วันที่ {DOTS}"],
    )
    for lines in blocks:
        pdf.ln(6)
        keep_together(pdf, len(lines))
        for line in lines:
            para(pdf, line, indent=70, align="C")


def build_pdf(paper):
    """Return the assessment as PDF bytes."""
    framework = paper.framework
    pdf = new_thai_pdf(framework.title_th)
    para(pdf, soft_breaks(framework.title_th, longer_than=20), size=16, style="B", align="C")
    para(pdf, thai_digits(f"ปีงบประมาณ พ.ศ. {paper.fiscal_year} ครั้งที่ {paper.round_number}"),
         size=16, style="B", align="C")
    para(pdf, paper.place, size=16, align="C")
    para(pdf, thai_digits(_summary(paper)), align="C")
    para(pdf, thai_digits(f"เกณฑ์รุ่น {framework.version}"), size=12, align="C")
    if not framework.official:
        para(pdf, "ระดับคะแนน น้ำหนักของหมวด และเกณฑ์ระดับการพัฒนา เป็นข้อเสนอของระบบ "
                  "ยังไม่ใช่เกณฑ์ทางการ", size=12, align="C")
    pdf.ln(3)
    _categories(pdf, paper)
    _history(pdf, paper)
    _signatures(pdf, paper)
    return bytes(pdf.output())
