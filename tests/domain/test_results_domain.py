"""Level distribution, weakest indicators and round 1 vs round 2."""

from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.results import (
    level_distribution, rounds_side_by_side, weakest_indicators)

FW = framework_for(2570)


def test_level_distribution_in_framework_order_with_percent():
    rows = level_distribution({"good": 3, "very_good": 1}, FW.levels)
    assert [(lv.code, n, pct) for lv, n, pct in rows] == [
        ("developing", 0, 0.0), ("good", 3, 75.0), ("very_good", 1, 25.0)]


def test_unknown_level_codes_are_listed_after():
    rows = level_distribution({"good": 1, "legacy": 1}, FW.levels)
    assert rows[-1] == ("legacy", 1, 50.0)


def test_weakest_first_on_share_of_top_score():
    top = {i.code: i.max_score for i in FW.indicators}
    averages = {"1.1": (top["1.1"] * 0.9, 4), "2.1": (top["2.1"] * 0.2, 4),
                "3.1": (top["3.1"] * 0.5, 4), "9.9": (0, 4), "4.1": (0, 0)}
    found = weakest_indicators(averages, FW)
    assert [r.indicator.code for r in found] == ["2.1", "3.1", "1.1"]
    assert found[0].percent_of_max == 20.0
    assert len(weakest_indicators(averages, FW, limit=1)) == 1


def test_rounds_side_by_side():
    numbers, rows = rounds_side_by_side({1: {"developing": 2}, 2: {"good": 1, "developing": 1}},
                                        FW.levels)
    assert numbers == [1, 2]
    assert rows[0][0].code == "developing"
    assert rows[0][1] == [(2, 100.0), (1, 50.0)]
    assert rows[1][1] == [(0, 0.0), (1, 50.0)]
