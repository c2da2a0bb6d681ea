"""The backup rotation: newest of each of the last days, weeks and months."""

from datetime import datetime, timedelta

from korch_pwa.operations.retention import to_keep


def test_a_year_of_nightly_backups_keeps_days_weeks_and_months():
    start = datetime(2026, 1, 1, 2, 0)
    stamps = [start + timedelta(days=n) for n in range(365)]
    kept = to_keep(stamps, daily=14, weekly=8, monthly=12)
    newest = stamps[-1]
    # The last 14 nights are all kept.
    assert {newest - timedelta(days=n) for n in range(14)} <= kept
    # Every one of the 12 months keeps its newest backup: its last night.
    month_ends = {datetime(2026, m + 1, 1, 2, 0) - timedelta(days=1) for m in range(1, 12)}
    assert month_ends | {newest} <= kept
    # Weekly: the newest of each of the last 8 ISO weeks (Sundays, or today).
    sundays = sorted(s for s in kept if s.isoweekday() == 7)
    assert len([s for s in sundays if s > newest - timedelta(weeks=8)]) >= 7
    assert len(kept) < 14 + 8 + 12 + 1
    # Nothing older than 12 months of backups, and nothing kept that was not there.
    assert kept <= set(stamps)


def test_several_backups_a_day_keep_the_newest_of_the_day():
    day = datetime(2026, 11, 20)
    stamps = [day + timedelta(hours=h) for h in (1, 9, 17)]
    assert to_keep(stamps, daily=1, weekly=0, monthly=0) == {day + timedelta(hours=17)}


def test_nothing_to_keep_from_nothing():
    assert to_keep([]) == set()
