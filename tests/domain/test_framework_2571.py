"""The 2571 draft: the wording fixes and the two indicators the letters ask for.

Pure checks of the shipped files, and of how scores made under one version
are read under the other.
"""

from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.framework_diff import comparable_codes, diff, same_scoring
from korch_pwa.domain.results import pooled_averages
from korch_pwa.domain.results_table import Facts, Place, summary_columns, summary_row

OLD = framework_for(2570)
NEW = framework_for(2571)


def test_2571_is_its_own_version_and_2570_keeps_the_old_one():
    assert (OLD.version, NEW.version) == ("2568.1-draft", "2571.1-draft")
    assert len(OLD.indicators) == 23 and len(NEW.indicators) == 25
    assert [len(c.indicators) for c in NEW.categories] == [7, 6, 4, 4, 4]
    assert [c.weight for c in NEW.categories] == [c.weight for c in OLD.categories]
    assert not NEW.official


def test_only_the_departments_subjects_are_marked_official():
    official = [i.code for i in NEW.indicators if i.status == "official"]
    assert official == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
    for code in official:  # the department's subject is kept word for word
        assert NEW.indicator(code).name_th.startswith(OLD.indicator(code).name_th)


def test_exactly_the_five_indicators_the_issue_names_change():
    changes = diff(OLD, NEW)
    assert {(c.kind, c.code) for c in changes} == {
        ("added", "1.7"), ("added", "2.6"),
        ("changed", "1.2"), ("changed", "2.3"), ("changed", "3.1")}
    # 1.2 says what it scores; its bands stay, so its scores keep their meaning.
    assert {c.part for c in changes if c.code == "1.2"} == {"name_th", "name_en", "evidence_th"}
    assert {c.part for c in changes if c.code in ("2.3", "3.1")} >= {"rubric"}


def test_1_2_is_titled_as_the_share_it_scores():
    indicator = NEW.indicator("1.2")
    assert "ร้อยละ" in indicator.name_th and "share" in indicator.name_en
    assert all("ร้อยละ" in band.text_th for band in indicator.rubric[1:])


def test_2_3_no_longer_scores_the_member_register_that_1_2_scores():
    register, requests = NEW.indicator("1.2"), NEW.indicator("2.3")
    assert "ทะเบียน" not in requests.name_th + requests.evidence_th
    assert not any("ทะเบียน" in band.text_th for band in requests.rubric)
    assert "ทะเบียน" in register.evidence_th
    evidence = [i.evidence_th for i in NEW.indicators]
    assert len(set(evidence)) == len(evidence)  # no two indicators score one document


def test_3_1_is_about_the_subdistrict_plan_of_the_2562_regulation_only():
    plan = NEW.indicator("3.1")
    assert "2562" in plan.name_th and "แผนพัฒนาตำบล" in plan.name_th
    words = plan.name_th + plan.evidence_th + "".join(b.text_th for b in plan.rubric)
    assert "อปท." not in words and "แผนของ" not in words
    assert "อปท." in OLD.indicator("3.1").rubric[3].text_th  # what was mixed in


def test_the_two_new_indicators_score_what_the_letters_ask():
    meetings, seats = NEW.indicator("1.7"), NEW.indicator("2.6")
    assert meetings.status == seats.status == "draft"
    assert "2 ครั้ง" in meetings.name_th and "2 ครั้ง" in meetings.rubric[2].text_th
    assert "ก.บ.ต." in seats.name_th and "ผู้ทรงคุณวุฒิ" in seats.name_th
    assert [b.score for b in meetings.rubric] == [b.score for b in seats.rubric] == [0, 1, 2, 3]


def test_scores_keep_their_meaning_only_where_the_rubric_is_the_same():
    keep = comparable_codes(NEW, OLD)
    assert keep == {i.code for i in NEW.indicators} - {"1.7", "2.6", "2.3", "3.1"}
    assert comparable_codes(OLD, OLD) == {i.code for i in OLD.indicators}
    assert same_scoring(NEW.indicator("1.2"), OLD.indicator("1.2"))
    assert not same_scoring(NEW.indicator("2.3"), OLD.indicator("2.3"))
    assert not same_scoring(NEW.indicator("1.7"), None)


def test_pooled_averages_weigh_by_count_and_leave_out_other_meanings():
    by_version = {"old": {"1.1": (1.0, 3), "2.3": (3.0, 3)},
                  "new": {"1.1": (3.0, 1), "2.3": (0.0, 1), "1.7": (2.0, 1)}}
    keep = {"old": {"1.1"}, "new": {"1.1", "2.3", "1.7"}}
    assert pooled_averages(by_version, keep.get) == {
        "1.1": (1.5, 4), "2.3": (0.0, 1), "1.7": (2.0, 1)}


def test_a_summary_row_reads_an_old_assessment_with_its_own_maxima():
    place = Place("52", "ลำปาง", "5201", "เมืองลำปาง", "520101", "เวียงเหนือ")
    scores = {i.code: 2 for i in OLD.indicators}
    facts = Facts("approved", OLD.version, 66.7, "good", scores=scores)
    columns = [c.key for c in summary_columns(NEW)]
    row = dict(zip(columns, summary_row(place, 2570, 1, facts, NEW, "th", OLD)))
    # 2 of 3 on each of its own 6 indicators: 66.7%, not 12 of the new 21 points.
    assert row["category_1"] == 66.7 and row["framework_version"] == OLD.version
    assert row["level"] == "ดี"
