"""A stored report file is reused exactly when everything it prints is the same."""

from dataclasses import replace
from datetime import date

import pytest

from korch_pwa.reports.export import ReportDoc
from korch_pwa.reports.rendered import doc_digest

COUNTS = {"register": {"subdistrict": {"areas": 2, "committees": 2, "persons": 24}},
          "kbt": 2, "strong": {"subdistricts": 2, "activities": 3}}
DOC = ReportDoc(2570, "อำเภอเมืองลำปาง จังหวัดลำปาง", COUNTS, "ปัญหา", "ข้อเสนอ",
                "นางวิไล ชุมชน", "พัฒนาการอำเภอ", date(2027, 6, 1))


def test_the_same_report_has_the_same_digest():
    copy = ReportDoc(2570, "อำเภอเมืองลำปาง จังหวัดลำปาง",
                     {"strong": {"activities": 3, "subdistricts": 2}, "kbt": 2,
                      "register": {"subdistrict": {"persons": 24, "committees": 2, "areas": 2}}},
                     "ปัญหา", "ข้อเสนอ", "นางวิไล ชุมชน", "พัฒนาการอำเภอ", date(2027, 6, 1))
    assert doc_digest(copy, "pdf") == doc_digest(DOC, "pdf")


@pytest.mark.parametrize("change", [
    dict(fiscal_year=2571), dict(area_title="อำเภอเกาะคา จังหวัดลำปาง"),
    dict(counts={**COUNTS, "kbt": 3}), dict(problems="ปัญหาอื่น"), dict(suggestions=""),
    dict(reporter_name="นายสมชาย"), dict(reporter_position="ปลัด"),
    dict(reported_on=date(2027, 6, 2)), dict(reported_on=None)])
def test_anything_printed_changes_the_digest(change):
    assert doc_digest(replace(DOC, **change), "pdf") != doc_digest(DOC, "pdf")


def test_the_format_changes_the_digest():
    assert doc_digest(DOC, "xlsx") != doc_digest(DOC, "pdf")


def test_the_code_that_prints_it_changes_the_digest(monkeypatch):
    from korch_pwa.reports import rendered

    before = doc_digest(DOC, "pdf")
    monkeypatch.setattr(rendered, "layout_digest", lambda: "another layout")
    assert doc_digest(DOC, "pdf") != before
