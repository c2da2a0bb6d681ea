"""The framework file and its validation."""

import copy

import pytest
import yaml

from korch_pwa.domain.framework import (
    FRAMEWORK_DIR, FrameworkError, available_years, framework_for, load_framework_file,
    parse_framework)


@pytest.fixture
def raw():
    """The shipped file as parsed YAML, to break in each test."""
    path = FRAMEWORK_DIR / f"{available_years()[0]}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_shipped_framework_has_5_categories_and_23_indicators():
    fw = framework_for(2570)
    assert len(fw.categories) == 5
    assert len(fw.indicators) == 23
    assert [len(c.indicators) for c in fw.categories][0] == 6
    assert sum(c.weight for c in fw.categories) == 100
    assert all(i.status == "official" for i in fw.categories[0].indicators)
    assert all(i.status == "draft" for c in fw.categories[1:] for i in c.indicators)
    assert [lv.name_th for lv in fw.levels] == ["พัฒนา", "ดี", "ดีมาก"]
    assert fw.indicator("1.6").rubric[0].text_th


def test_framework_for_picks_newest_not_after_year(tmp_path, raw):
    for year in (2568, 2570):
        data = dict(raw, fiscal_year=year, version=f"v{year}")
        (tmp_path / f"{year}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    assert framework_for(2569, tmp_path).version == "v2568"
    assert framework_for(2571, tmp_path).version == "v2570"
    with pytest.raises(FrameworkError, match="no framework file"):
        framework_for(2567, tmp_path)


def _problems(data):
    with pytest.raises(FrameworkError) as info:
        parse_framework(data, "bad.yaml")
    return "\n".join(info.value.problems)


def test_weights_must_add_to_100(raw):
    raw["categories"][0]["weight"] = 10
    assert "add up to 100" in _problems(raw)


def test_duplicate_indicator_code(raw):
    raw["categories"][1]["indicators"][0]["code"] = "1.1"
    assert "repeated: 1.1" in _problems(raw)


def test_rubric_scores_must_ascend(raw):
    rubric = raw["categories"][0]["indicators"][0]["rubric"]
    rubric[0]["score"], rubric[1]["score"] = rubric[1]["score"], rubric[0]["score"]
    assert "indicator 1.1: rubric scores must be unique and ascending" in _problems(raw)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_number_that_is_not_finite_is_a_problem_not_a_crash(raw, value):
    # A workbook cell can hold these; int(inf) raised OverflowError (a 500).
    raw["categories"][0]["indicators"][0]["rubric"][1]["score"] = value
    raw["categories"][1]["weight"] = value
    problems = _problems(raw)
    assert "indicator 1.1 rubric level 2: 'score' must be a number" in problems
    assert "category 2: 'weight' must be a number" in problems


def test_missing_text_names_the_place(raw):
    del raw["categories"][2]["indicators"][1]["name_th"]
    assert "indicator 3.2: 'name_th' is missing" in _problems(raw)


def test_evidence_may_be_left_out_but_must_be_text(raw):
    del raw["categories"][0]["indicators"][0]["evidence_th"]
    assert parse_framework(copy.deepcopy(raw)).indicator("1.1").evidence_th == ""
    raw["categories"][0]["indicators"][0]["evidence_th"] = 5
    assert "indicator 1.1: 'evidence_th' must be text" in _problems(raw)


def test_thresholds_must_start_at_zero(raw):
    raw["levels"][0]["min_percent"] = 10
    assert "min_percent" in _problems(raw)


def test_every_problem_is_listed_at_once(raw):
    bad = copy.deepcopy(raw)
    bad["fiscal_year"] = 2023
    bad["categories"][0]["indicators"][0]["status"] = "maybe"
    problems = _problems(bad)
    assert "B.E. year" in problems and "'status'" in problems


def test_not_yaml_mapping_and_unreadable(tmp_path):
    assert "mapping" in _problems(["a"])
    broken = tmp_path / "2570.yaml"
    broken.write_text("categories: [unclosed", encoding="utf-8")
    with pytest.raises(FrameworkError, match="cannot read"):
        load_framework_file(broken)
