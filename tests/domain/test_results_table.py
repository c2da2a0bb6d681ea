"""The results tables, without a database: every cell of a row, both languages."""

from datetime import datetime, timezone

from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.results_table import (INDICATOR_COLUMNS, NOT_STARTED_FACTS, Facts, Place,
                                            category_percentages, indicator_rows,
                                            summary_columns, summary_row)

FRAMEWORK = framework_for(2570)
PLACE = Place("52", "ลำปาง", "5201", "เมืองลำปาง", "520101", "เวียงเหนือ")
WHEN = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


def facts(score=2, **extra):
    """An assessment answering every indicator with ``score``."""
    codes = [i.code for i in FRAMEWORK.indicators]
    base = dict(framework_version=FRAMEWORK.version, percent=66.67, level_code="developing",
                submitted_at=WHEN, scores={c: score for c in codes},
                notes={codes[0]: "=1+1"}, evidence={codes[0]: 3})
    base.update(extra)
    return Facts("approved", **base, approved_by="คุณ อำเภอ", approved_at=WHEN)


def test_a_not_started_round_still_has_a_row_per_indicator():
    rows = list(indicator_rows(PLACE, 2570, 2, NOT_STARTED_FACTS, FRAMEWORK))
    assert len(rows) == len(FRAMEWORK.indicators) == 23
    first = dict(zip((c.key for c in INDICATOR_COLUMNS), rows[0]))
    assert first == {
        "province_code": "52", "province": "ลำปาง", "district_code": "5201",
        "district": "เมืองลำปาง", "subdistrict_code": "520101", "subdistrict": "เวียงเหนือ",
        "fiscal_year": 2570, "round": 2, "indicator_code": "1.1",
        "indicator": FRAMEWORK.indicators[0].name_th, "score": None,
        "max_score": FRAMEWORK.indicators[0].max_score, "note": "", "evidence": 0,
        "status": "ยังไม่เริ่ม", "approved_by": None, "approved_at": None,
        "framework_version": None,
        "criteria": "หัวข้อทางการ ระดับคะแนนเป็นข้อเสนอของระบบ"}  # 1.1: only its subject


def test_an_approved_round_gives_scores_notes_evidence_and_the_approval():
    rows = list(indicator_rows(PLACE, 2570, 1, facts(), FRAMEWORK, "en"))
    first, last = (dict(zip((c.key for c in INDICATOR_COLUMNS), r)) for r in (rows[0], rows[-1]))
    assert (first["score"], first["note"], first["evidence"]) == (2, "=1+1", 3)
    assert (first["status"], first["approved_by"], first["approved_at"]) == (
        "Approved", "คุณ อำเภอ", WHEN)
    assert first["indicator"] == FRAMEWORK.indicators[0].name_en
    assert (last["indicator_code"], last["note"], last["evidence"]) == (
        FRAMEWORK.indicators[-1].code, "", 0)
    at = [c.key for c in INDICATOR_COLUMNS].index("indicator_code")
    assert [r[at] for r in rows] == [i.code for i in FRAMEWORK.indicators]


def test_category_percentages_count_unanswered_as_zero():
    first = FRAMEWORK.categories[0]
    top = sum(i.max_score for i in first.indicators)
    scores = {first.indicators[0].code: first.indicators[0].max_score}
    shares = category_percentages(FRAMEWORK, scores)
    assert len(shares) == len(FRAMEWORK.categories)
    assert shares[0] == round(100.0 * first.indicators[0].max_score / top, 1)
    assert shares[1:] == (0.0,) * (len(FRAMEWORK.categories) - 1)
    full = {i.code: i.max_score for i in FRAMEWORK.indicators}
    assert category_percentages(FRAMEWORK, full) == (100.0,) * len(FRAMEWORK.categories)


def test_the_summary_row_fits_its_columns_in_both_states():
    columns = summary_columns(FRAMEWORK)
    keys = [c.key for c in columns]
    done = dict(zip(keys, summary_row(PLACE, 2570, 1, facts(score=None), FRAMEWORK)))
    assert len(done) == len(columns)
    assert done["answered"] == 0 and done["percent"] == 66.67
    assert done["level"] == next(lv.name_th for lv in FRAMEWORK.levels
                                 if lv.code == "developing")
    assert (done["submitted_at"], done["approved_at"]) == (WHEN, WHEN)
    assert done["framework_version"] == FRAMEWORK.version
    assert done["criteria"] == "น้ำหนักและเกณฑ์ระดับเป็นข้อเสนอของระบบ ยังไม่ใช่เกณฑ์ทางการ"
    answered = dict(zip(keys, summary_row(PLACE, 2570, 1, facts(), FRAMEWORK, "en")))
    assert answered["answered"] == 23 and answered["status"] == "Approved"
    assert [answered[f"category_{c.code}"] for c in FRAMEWORK.categories] == list(
        category_percentages(FRAMEWORK, facts().scores))
    waiting = dict(zip(keys, summary_row(PLACE, 2570, 2, NOT_STARTED_FACTS, FRAMEWORK)))
    assert waiting["status"] == "ยังไม่เริ่ม" and waiting["answered"] == 0
    assert all(waiting[k] is None for k in keys
               if k.startswith("category_") or k in ("percent", "level", "approved_at"))


def test_a_level_the_framework_does_not_know_is_shown_by_its_code():
    row = dict(zip([c.key for c in summary_columns(FRAMEWORK)],
                   summary_row(PLACE, 2570, 1, facts(level_code="old-level"), FRAMEWORK)))
    assert row["level"] == "old-level"


def test_every_column_has_a_thai_and_an_english_heading():
    for column in INDICATOR_COLUMNS + summary_columns(FRAMEWORK):
        assert column.title("th") and column.title("en") and column.title("th") != column.key
        assert column.kind in ("text", "int", "float", "datetime")


def test_the_criteria_are_labelled_honestly_until_an_official_file_is_loaded():
    import dataclasses

    from korch_pwa.domain.results_table import criteria_status

    drafted = next(i for i in FRAMEWORK.indicators if i.status == "draft")
    assert not FRAMEWORK.official
    assert criteria_status(FRAMEWORK, FRAMEWORK.indicator("1.1")) == "subject"
    assert criteria_status(FRAMEWORK, drafted) == "draft"
    assert criteria_status(FRAMEWORK) == "proposal"
    official = dataclasses.replace(FRAMEWORK, official=True)
    assert {criteria_status(official, i) for i in official.indicators} == {"official"}
    rows = list(indicator_rows(PLACE, 2570, 1, NOT_STARTED_FACTS, official, "en"))
    assert {r[-1] for r in rows} == {"Official criteria"}
