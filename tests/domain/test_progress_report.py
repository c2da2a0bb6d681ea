"""Parts (1)-(6) of the progress report on a fixture with known answers."""

import copy
from datetime import date

import pytest

from korch_pwa.domain.progress_report import (
    add_counts, level_of, order_in_force, orders_within, progress_counts)
from tests import progress_fixture as fx


def test_counts_of_the_fixture():
    counts = progress_counts(fx.FY, fx.plain_committees(fx.COMMITTEES),
                             fx.plain_assessments(), fx.ACTIVITIES)
    assert counts == fx.EXPECTED_DISTRICT


def test_province_committee_counts_at_province_level():
    committees = fx.plain_committees(fx.COMMITTEES + [fx.PROVINCE_COMMITTEE])
    counts = progress_counts(fx.FY, committees, fx.plain_assessments(), fx.ACTIVITIES)
    assert counts["register"]["province"] == {"areas": 1, "committees": 1, "persons": 25}
    assert counts["orders"]["province"] == {"areas": 0, "committees": 0, "persons": 0}
    assert counts["meetings"]["province"] == 1


def test_other_year_counts_differently():
    # FY 2569 (1 Oct 2025 - 30 Sep 2026): 520101's old order is in force.
    counts = progress_counts(fx.FY - 1, fx.plain_committees(fx.COMMITTEES),
                             fx.plain_assessments(fx.FY - 1), fx.ACTIVITIES)
    assert counts["register"]["subdistrict"] == {"areas": 3, "committees": 3, "persons": 31}
    assert counts["orders"]["subdistrict"]["committees"] == 0
    assert counts["kbt"] == 1  # 520102's order of 30 Sep 2026
    assert counts["assessed"] == 1 and counts["assessed_by_round"] == {"2": 1}
    assert counts["strong"] == {"subdistricts": 1, "activities": 1}


def test_empty_area_counts_zero():
    counts = progress_counts(fx.FY, [], [], [])
    assert counts["register"]["subdistrict"] == {"areas": 0, "committees": 0, "persons": 0}
    assert counts["kbt"] == counts["assessed"] == 0
    assert counts["assessed_by_round"] == {}


def test_add_counts_sums_every_field():
    one = copy.deepcopy(fx.EXPECTED_DISTRICT)
    total = add_counts([one, fx.EXPECTED_DISTRICT])
    assert total["register"]["subdistrict"]["persons"] == 48
    assert total["meetings"]["district"] == 2
    assert total["assessed_by_round"] == {"1": 2, "2": 4}
    assert total["strong"] == {"subdistricts": 4, "activities": 6}
    with pytest.raises(ValueError):
        add_counts([])


def test_order_helpers():
    orders = [{"order_date": date(2026, 1, 1)}, {"order_date": date(2027, 1, 1)}]
    assert order_in_force(orders, date(2026, 6, 1)) is orders[0]
    assert order_in_force(orders, date(2025, 6, 1)) is None
    assert orders_within(orders, date(2025, 1, 1), date(2028, 1, 1)) == orders[::-1]
    assert [level_of(c) for c in ("52", "5201", "520101")] == [
        "province", "district", "subdistrict"]
