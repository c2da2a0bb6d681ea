"""Assessment results as flat tables, for spreadsheets.

Two tables, both ordered by subdistrict code and round:

* one row per subdistrict x round x indicator (the score, the note, how many
  evidence files, the status, who approved and when);
* one row per subdistrict x round (each category's percentage, the weighted
  score, the level).

A subdistrict that has not started a round still gets its rows, marked
"not started": the people reading the file are looking for who is missing.
Plain data in, plain rows out: the database and the file format are elsewhere.
"""

from dataclasses import dataclass, field
from datetime import datetime

from .deadlines import NOT_STARTED
from .scoring import category_points


@dataclass(frozen=True)
class Column:
    """One column: its key, its headings and what its cells hold.

    ``kind`` is "text", "int", "float" or "datetime"; spreadsheets keep numbers
    as numbers and dates as dates.
    """

    key: str
    title_th: str
    title_en: str
    kind: str = "text"

    def title(self, locale):
        """Return the heading in ``locale`` (Thai unless "en")."""
        return self.title_en if locale == "en" else self.title_th


STATUS_TITLES = {
    NOT_STARTED: ("ยังไม่เริ่ม", "Not started"),
    "draft": ("ร่าง", "Draft"),
    "submitted": ("ส่งแล้ว รอตรวจ", "Submitted, awaiting review"),
    "returned": ("ส่งกลับให้แก้ไข", "Returned for changes"),
    "approved": ("อนุมัติแล้ว", "Approved"),
}

CRITERIA_TITLES = {
    "official": ("เกณฑ์ทางการ", "Official criteria"),
    "subject": ("หัวข้อทางการ ระดับคะแนนเป็นข้อเสนอของระบบ",
                "Official subject; the score bands are this system's proposal"),
    "draft": ("ร่างเกณฑ์ของระบบ ยังไม่ใช่เกณฑ์ทางการ", "Drafted by this system, not official"),
    "proposal": ("น้ำหนักและเกณฑ์ระดับเป็นข้อเสนอของระบบ ยังไม่ใช่เกณฑ์ทางการ",
                 "Weights and level thresholds are this system's proposal, not official"),
}


def criteria_status(framework, indicator=None):
    """Return how official a framework (or one of its indicators) is, honestly.

    "official" only for a framework the department issued as such; otherwise
    "subject" for an indicator whose subject is the department's, "draft" for
    one this system wrote, and "proposal" for the framework's scoring as a whole.
    """
    if framework.official:
        return "official"
    if indicator is None:
        return "proposal"
    return "subject" if indicator.status == "official" else "draft"


def criteria_title(status, locale):
    """Return a criteria status as people read it."""
    th, en = CRITERIA_TITLES[status]
    return en if locale == "en" else th


PLACE_COLUMNS = (
    Column("province_code", "รหัสจังหวัด", "Province code"),
    Column("province", "จังหวัด", "Province"),
    Column("district_code", "รหัสอำเภอ", "District code"),
    Column("district", "อำเภอ", "District"),
    Column("subdistrict_code", "รหัสตำบล", "Subdistrict code"),
    Column("subdistrict", "ตำบล", "Subdistrict"),
    Column("fiscal_year", "ปีงบประมาณ", "Fiscal year (B.E.)", "int"),
    Column("round", "ครั้งที่", "Round", "int"),
)
DECISION_COLUMNS = (
    Column("status", "สถานะ", "Status"),
    Column("approved_by", "ผู้อนุมัติ", "Approved by"),
    Column("approved_at", "วันเวลาที่อนุมัติ", "Approved at", "datetime"),
)
INDICATOR_COLUMNS = PLACE_COLUMNS + (
    Column("indicator_code", "ตัวชี้วัด", "Indicator"),
    Column("indicator", "ชื่อตัวชี้วัด", "Indicator name"),
    Column("score", "คะแนน", "Score", "int"),
    Column("max_score", "คะแนนเต็ม", "Maximum score", "int"),
    Column("note", "หมายเหตุ", "Note"),
    Column("evidence", "จำนวนหลักฐาน", "Evidence files", "int"),
) + DECISION_COLUMNS + (
    Column("framework_version", "รุ่นของเกณฑ์", "Framework version"),
    Column("criteria", "สถานะของเกณฑ์", "Status of the criteria"),
)


def summary_columns(framework):
    """Return the columns of the one-row-per-round table for ``framework``."""
    categories = tuple(
        Column(f"category_{c.code}", f"หมวด {c.code} {c.name_th} (ร้อยละ)",
               f"Category {c.code} {c.name_en} (%)", "float")
        for c in framework.categories)
    return PLACE_COLUMNS + categories + (
        Column("percent", "คะแนนรวมถ่วงน้ำหนัก (ร้อยละ)", "Weighted score (%)", "float"),
        Column("level", "ระดับการพัฒนา", "Development level"),
        Column("answered", "ตอบแล้ว (ตัวชี้วัด)", "Indicators answered", "int"),
        Column("submitted_at", "วันเวลาที่ส่ง", "Submitted at", "datetime"),
    ) + DECISION_COLUMNS + (
        Column("framework_version", "รุ่นของเกณฑ์", "Framework version"),
        Column("criteria", "สถานะของเกณฑ์", "Status of the criteria"),
    )


@dataclass(frozen=True)
class Place:
    """Where a subdistrict is: codes and names of it, its district and province."""

    province_code: str
    province: str
    district_code: str
    district: str
    code: str
    name: str

    def cells(self, fiscal_year, round_number):
        """Return the cells of PLACE_COLUMNS."""
        return (self.province_code, self.province, self.district_code, self.district,
                self.code, self.name, fiscal_year, round_number)


@dataclass
class Facts:
    """What is known of one subdistrict's assessment in one round."""

    status: str
    framework_version: str = ""
    percent: float = None
    level_code: str = None
    submitted_at: datetime = None
    scores: dict = field(default_factory=dict)  # indicator code -> score or None
    notes: dict = field(default_factory=dict)  # indicator code -> note
    evidence: dict = field(default_factory=dict)  # indicator code -> files attached
    approved_by: str = None
    approved_at: datetime = None


NOT_STARTED_FACTS = Facts(NOT_STARTED)


def status_title(status, locale):
    """Return a status as people read it."""
    th, en = STATUS_TITLES.get(status, (status, status))
    return en if locale == "en" else th


def _decision(facts, locale):
    return (status_title(facts.status, locale), facts.approved_by, facts.approved_at)


def indicator_rows(place, fiscal_year, round_number, facts, framework, locale="th"):
    """Yield one row (cells of INDICATOR_COLUMNS) per indicator of ``framework``.

    ``framework`` is the one the assessment was made with (the year's active
    one for a subdistrict not started): an indicator's score is only read
    under the words it was given for.
    """
    head = place.cells(fiscal_year, round_number)
    decision = _decision(facts, locale)
    for indicator in framework.indicators:
        code = indicator.code
        yield head + (code, indicator.name_en if locale == "en" else indicator.name_th,
                      facts.scores.get(code), indicator.max_score, facts.notes.get(code, ""),
                      facts.evidence.get(code, 0)) + decision + (
            facts.framework_version or None,
            criteria_title(criteria_status(framework, indicator), locale),)


def percent_of(points, top):
    """Return points as a percentage of a maximum, to one decimal."""
    return round(100.0 * points / top, 1) if top else 0.0


def category_percentages(framework, scores):
    """Return each category's points as a percentage of its maximum (one decimal).

    Unanswered indicators count as zero, as the weighted score counts them.
    """
    return tuple(percent_of(points, top)
                 for _category, points, top in category_points(framework, scores))


def level_title(framework, code, locale):
    """Return a level's name, or its code when the framework does not know it."""
    for level in framework.levels:
        if level.code == code:
            return level.name_en if locale == "en" else level.name_th
    return code


def summary_row(place, fiscal_year, round_number, facts, framework, locale="th", own=None):
    """Return the cells of ``summary_columns(framework)`` for one round.

    ``own`` is the framework the assessment was made with (``framework``, the
    columns' one, when omitted): its percentages and level are computed with
    its own indicators and maxima, and fill the columns of the categories the
    two share by code.
    """
    own = own or framework
    head = place.cells(fiscal_year, round_number)
    if facts.status == NOT_STARTED:
        middle = (None,) * len(framework.categories) + (None, None, 0, None)
    else:
        answered = sum(1 for value in facts.scores.values() if value is not None)
        shares = dict(zip((c.code for c in own.categories),
                          category_percentages(own, facts.scores)))
        middle = tuple(shares.get(c.code) for c in framework.categories) + (
            facts.percent, level_title(own, facts.level_code, locale) if facts.level_code
            else None, answered, facts.submitted_at)
    return head + middle + _decision(facts, locale) + (
        facts.framework_version or None, criteria_title(criteria_status(own), locale))
