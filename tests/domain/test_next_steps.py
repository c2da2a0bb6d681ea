"""From scores to next steps, without a database."""

from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.next_steps import area_needs, moves, next_level, next_steps

FRAMEWORK = framework_for(2570)
CODES = [i.code for i in FRAMEWORK.indicators]


def full(**low):
    """Every indicator at its top, except ``low`` (code with '_' for '.')."""
    scores = {i.code: i.max_score for i in FRAMEWORK.indicators}
    scores.update({k.replace("_", "."): v for k, v in low.items()})
    return scores


def test_the_next_level_is_the_rubric_level_just_above():
    indicator = FRAMEWORK.indicator("1.1")
    assert next_level(indicator, 0).score == 1
    assert next_level(indicator, 2).text_th == indicator.rubric[-1].text_th
    assert next_level(indicator, indicator.max_score) is None


def test_next_steps_are_the_weakest_below_the_top_weakest_first():
    steps = next_steps(FRAMEWORK, full(**{"2_1": 0, "1_3": 2, "4_1": 1}))
    assert [(s.indicator.code, s.score, s.next_level.score) for s in steps] == [
        ("2.1", 0, 1), ("4.1", 1, 2), ("1.3", 2, 3)]
    assert next_steps(FRAMEWORK, full()) == []  # at the top everywhere: nothing to add
    unanswered = full(**{"1_1": None, "1_2": 0})
    assert [s.indicator.code for s in next_steps(FRAMEWORK, unanswered)] == ["1.2"]
    everything_low = {code: 0 for code in CODES}
    assert [s.indicator.code for s in next_steps(FRAMEWORK, everything_low)] == CODES[:5]


def test_area_needs_put_the_indicator_holding_most_subdistricts_back_first():
    needs = area_needs(FRAMEWORK, {
        "520101": full(**{"2_1": 0, "1_1": 1}),
        "520102": full(**{"2_1": 1}),
        "520103": full(**{"1_1": 0}),
        "520104": full()})
    assert [(n.indicator.code, n.count, n.held) for n in needs] == [
        ("1.1", 2, (("520101", 1), ("520103", 0))),
        ("2.1", 2, (("520101", 0), ("520102", 1)))]  # ties in the form's order
    assert area_needs(FRAMEWORK, {}) == []


def test_moves_list_what_changed_between_rounds():
    before, after = full(**{"1_1": 1, "2_1": 3}), full(**{"1_1": 3, "2_1": 2})
    changed = moves(FRAMEWORK, before, after)
    assert [(m.indicator.code, m.before, m.after, m.up) for m in changed] == [
        ("1.1", 1, 3, True), ("2.1", 3, 2, False)]
    assert moves(FRAMEWORK, {"1.1": None}, {"1.1": 2}) == []
