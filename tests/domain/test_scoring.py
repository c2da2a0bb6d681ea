"""Scoring and the development level."""

import pytest

from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.scoring import AnswerError, level_for, score

FW = framework_for(2570)


def all_at(value):
    return {i.code: value for i in FW.indicators}


def test_full_marks_is_100_and_very_good():
    result = score(FW, all_at(3))
    assert result.percent == 100 and result.level.code == "very_good" and result.complete


def test_zero_is_developing():
    result = score(FW, all_at(0))
    assert result.percent == 0 and result.level.code == "developing"


def test_weighted_categories():
    # Category 1 (weight 30) full, everything else zero.
    answers = all_at(0)
    answers.update({i.code: 3 for i in FW.categories[0].indicators})
    result = score(FW, answers)
    assert result.percent == 30
    assert result.categories[0].points == 18 and result.categories[0].max_points == 18


def test_missing_answers_count_zero_and_are_listed():
    result = score(FW, {"1.1": 3})
    assert not result.complete and "1.1" not in result.missing and len(result.missing) == 22
    assert result.percent == pytest.approx(30 * 3 / 18, abs=0.01)


@pytest.mark.parametrize("percent, code", [(0, "developing"), (59.99, "developing"),
                                           (60, "good"), (79.9, "good"), (80, "very_good")])
def test_thresholds(percent, code):
    assert level_for(FW, percent).code == code


def test_score_outside_rubric_is_refused():
    with pytest.raises(AnswerError) as info:
        score(FW, {"1.1": 7})
    assert info.value.indicator_code == "1.1"
    with pytest.raises(AnswerError):
        score(FW, {"9.9": 1})
