"""The dashboard's status and lateness rules, over every case."""

from datetime import date, datetime, timezone

import pytest

from korch_pwa.domain import deadlines as d

DUE = date(2026, 11, 24)


@pytest.mark.parametrize("submitted_on, today, expected", [
    (date(2026, 11, 20), date(2026, 11, 21), d.ON_TIME),   # early
    (DUE, DUE, d.ON_TIME),                                 # on the day itself
    (date(2026, 11, 25), date(2026, 11, 26), d.LATE),      # after the date
    (date(2026, 11, 20), date(2027, 1, 1), d.ON_TIME),     # sent early, seen later
    (None, date(2026, 11, 23), d.WAITING),                 # not sent, still time
    (None, DUE, d.WAITING),                                # not sent, due today
    (None, date(2026, 11, 25), d.LATE),                    # not sent, date passed
])
def test_timeliness(submitted_on, today, expected):
    assert d.timeliness(submitted_on, DUE, today) == expected


@pytest.mark.parametrize("submitted_on", [None, date(2026, 11, 1)])
def test_no_due_date_is_its_own_case(submitted_on):
    assert d.timeliness(submitted_on, None, date(2030, 1, 1)) == d.NO_DATE


@pytest.mark.parametrize("status, expected", [
    (None, "not_started"), ("draft", "draft"), ("submitted", "submitted"),
    ("returned", "returned"), ("approved", "approved")])
def test_status_of(status, expected):
    assert d.status_of(status) == expected


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        d.status_of("lost")


def test_bangkok_date_of_utc_evening_is_next_day():
    # 24 Nov 18:30 UTC is 25 Nov 01:30 in Bangkok: a day late for a 24 Nov date.
    assert d.bangkok_date(datetime(2026, 11, 24, 18, 30)) == date(2026, 11, 25)
    aware = datetime(2026, 11, 24, 16, 59, tzinfo=timezone.utc)
    assert d.bangkok_date(aware) == date(2026, 11, 24)
    assert d.bangkok_date(None) is None
    assert d.bangkok_date(date(2026, 1, 2)) == date(2026, 1, 2)


def test_state_judges_both_dates_separately():
    # Sent between the province's date and the department's later one.
    state = d.subdistrict_state("520101", "submitted", date(2026, 11, 27), DUE,
                                date(2026, 11, 30), date(2026, 12, 5))
    assert (state.province, state.department) == (d.LATE, d.ON_TIME)


def test_tally_counts_and_percentages():
    today = date(2026, 11, 26)
    states = [
        d.subdistrict_state("1", None, None, DUE, date(2026, 11, 30), today),
        d.subdistrict_state("2", "draft", None, DUE, date(2026, 11, 30), today),
        d.subdistrict_state("3", "approved", date(2026, 11, 20), DUE, date(2026, 11, 30), today),
        d.subdistrict_state("4", "returned", date(2026, 11, 25), DUE, date(2026, 11, 30), today),
    ]
    t = d.tally(states)
    assert t.total == 4
    assert t.status == {"not_started": 1, "draft": 1, "submitted": 0, "returned": 1,
                        "approved": 1}
    assert t.status_percent["approved"] == 25.0
    assert t.province == {"on_time": 1, "late": 3, "waiting": 0, "no_date": 0}
    assert t.department == {"on_time": 2, "late": 0, "waiting": 2, "no_date": 0}
    assert (t.province_on_time_rate, t.department_on_time_rate) == (25.0, 50.0)
    assert not t.all_approved


def test_all_approved_needs_every_subdistrict_and_at_least_one():
    today = date(2026, 11, 26)
    assert not d.tally([]).all_approved
    ok = [d.subdistrict_state(str(n), "approved", DUE, DUE, DUE, today) for n in range(3)]
    assert d.tally(ok).all_approved


def test_percent_of_nothing_is_zero():
    assert d.percent(0, 0) == 0.0
    assert d.percent(1, 3) == 33.3


def test_group_by_prefix():
    states = [d.SubdistrictState(c, "draft", None, d.WAITING, d.WAITING)
              for c in ("520201", "520101", "520102")]
    groups = d.group_by_prefix(states, 4)
    assert list(groups) == ["5201", "5202"]
    assert [s.code for s in groups["5201"]] == ["520101", "520102"]
