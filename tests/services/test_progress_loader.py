"""The progress report's counts through the loader, on the same known fixture."""

import copy

from korch_pwa.domain.progress_report import add_counts
from korch_pwa.org.services import children
from korch_pwa.reports import services
from tests import progress_fixture as fx
from tests.report_rows import store_fixture


def test_district_counts_through_the_loader(ctx, world):
    store_fixture(world)
    assert services.live_counts("5201", fx.FY) == fx.EXPECTED_DISTRICT


def test_other_district_is_not_counted(ctx, world):
    store_fixture(world)
    counts = services.live_counts("5202", fx.FY)
    assert counts["register"]["subdistrict"]["committees"] == 0
    assert counts["assessed"] == 0 and counts["kbt"] == 0


def test_province_is_the_sum_of_its_districts_plus_its_own_committee(ctx, world):
    store_fixture(world)
    province = services.live_counts("52", fx.FY)
    summed = add_counts(services.live_counts(d.code, fx.FY) for d in children("52"))
    assert province["register"]["province"] == {"areas": 1, "committees": 1, "persons": 25}
    assert province["meetings"]["province"] == 1
    without_own = copy.deepcopy(province)
    without_own["register"]["province"] = summed["register"]["province"]
    without_own["meetings"]["province"] = summed["meetings"]["province"]
    assert without_own == summed
    assert summed["register"]["subdistrict"] == fx.EXPECTED_DISTRICT["register"]["subdistrict"]
