"""Where the dashboards' bars and lines go, without a page."""

from datetime import date

import pytest

from korch_pwa.domain import charts
from korch_pwa.domain.framework import framework_for

FRAMEWORK = framework_for(2570)


def test_a_stacked_bar_splits_100_percent_in_order_and_skips_empty_parts():
    bar = charts.stacked_bar("5201", [("developing", 1), ("good", 0), ("very_good", 3)])
    assert bar.total == 4
    assert [(s.key, s.count, s.share, s.start) for s in bar.segments] == [
        ("developing", 1, 25.0, 0.0), ("very_good", 3, 75.0, 25.0)]
    assert charts.stacked_bar("5202", [("good", 0)]).segments == ()


def test_level_bars_take_one_round_of_each_area():
    by_area = {"5202": {1: {"good": 2}}, "5201": {1: {"developing": 1}, 2: {"good": 5}}}
    bars = charts.level_bars(by_area, FRAMEWORK.levels, 2)
    assert [(b.label, b.total) for b in bars] == [("5201", 5), ("5202", 0)]
    assert [s.key for s in bars[0].segments] == ["good"]


def test_category_shares_from_indicator_averages():
    first = FRAMEWORK.categories[0]
    averages = {i.code: (i.max_score / 2, 4) for i in FRAMEWORK.indicators}
    shares = dict(charts.category_shares(averages, FRAMEWORK))
    assert shares[first] == 50.0 and set(shares.values()) == {50.0}
    del averages[first.indicators[0].code]  # nobody approved answered it yet
    assert dict(charts.category_shares(averages, FRAMEWORK))[first] is None
    assert all(v is None for _c, v in charts.category_shares({}, FRAMEWORK))


def test_a_timeline_steps_up_on_the_days_things_were_sent():
    sent = {date(2026, 11, 20): 1, date(2026, 11, 22): 2}
    approved = {date(2026, 11, 23): 1}
    t = charts.timeline(sent, approved, 4, {"province": date(2026, 11, 24),
                                            "department": date(2026, 11, 30)},
                        today=date(2026, 11, 27), lead_days=10)
    assert (t.start, t.end) == (date(2026, 11, 14), date(2026, 11, 30))
    assert [(p.day, p.count, p.share) for p in t.submitted] == [
        (date(2026, 11, 14), 0, 0.0), (date(2026, 11, 20), 0, 0.0),
        (date(2026, 11, 20), 1, 25.0), (date(2026, 11, 22), 1, 25.0),
        (date(2026, 11, 22), 3, 75.0), (date(2026, 11, 30), 3, 75.0)]
    assert t.submitted[0].y == charts.HEIGHT and t.submitted[-1].y == charts.HEIGHT / 4
    assert t.submitted[-1].x == charts.WIDTH
    assert t.points("approved").startswith("0,120 ")
    assert {m.key: (m.day, m.x) for m in t.marks} == {
        "province": (date(2026, 11, 24), pytest.approx(charts.WIDTH * 10 / 16, abs=0.1)),
        "department": (date(2026, 11, 30), charts.WIDTH)}
    rows = [(day, s.count, a.count) for day, s, a in t.rows()]
    assert rows == [(date(2026, 11, 14), 0, 0), (date(2026, 11, 20), 1, 0),
                    (date(2026, 11, 22), 3, 0), (date(2026, 11, 23), 3, 1),
                    (date(2026, 11, 30), 3, 1)]


def test_a_timeline_with_nothing_sent_and_no_dates_still_draws():
    t = charts.timeline({}, {}, 0, {"province": None, "department": None},
                        today=date(2026, 12, 4))
    assert t.marks == () and t.end == date(2026, 12, 4)
    assert all(p.y == charts.HEIGHT and p.count == 0 for p in t.submitted + t.approved)
    # Something sent before the window would start moves the start back.
    early = charts.timeline({date(2026, 9, 1): 1}, {}, 1, {"department": date(2026, 11, 30)},
                            today=date(2026, 11, 1))
    assert early.start == date(2026, 9, 1) and early.submitted[-1].share == 100.0


def test_the_median_level_is_where_the_middle_subdistrict_stands():
    levels = FRAMEWORK.levels  # developing, good, very_good
    assert charts.median_level({"developing": 1, "good": 1, "very_good": 5}, levels) == 2
    assert charts.median_level({"developing": 3, "very_good": 3}, levels) == 0  # the lower one
    assert charts.median_level({"good": 1}, levels) == 1
    assert charts.median_level({}, levels) is None
    assert charts.median_level({"old-level": 4}, levels) is None  # not this framework's


def test_tiles_cover_every_area_and_provinces_run_north_to_south():
    by_area = {"52": {1: {"good": 2}, 2: {"very_good": 1}}, "90": {1: {"developing": 1}}}
    bands = charts.tile_grid(["10", "34", "50", "52", "90"], by_area, FRAMEWORK.levels, 1,
                             provinces=True)
    assert [(b.key, [t.code for t in b.tiles]) for b in bands] == [
        ("5", ["50", "52"]), ("3", ["34"]), ("1", ["10"]), ("9", ["90"])]
    tiles = {t.code: t for b in bands for t in b.tiles}
    assert (tiles["52"].level, tiles["52"].approved) == (1, 2)
    assert (tiles["50"].level, tiles["50"].approved) == (None, 0)
    districts = charts.tile_grid(["5201", "5202"], {"5201": {2: {"good": 1}}},
                                 FRAMEWORK.levels, 2)
    assert [(b.key, [(t.code, t.level) for t in b.tiles]) for b in districts] == [
        ("", [("5201", 1), ("5202", None)])]
    assert charts.tile_grid([], {}, FRAMEWORK.levels, 1) == []
