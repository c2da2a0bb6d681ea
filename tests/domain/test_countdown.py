"""How a due date stands for a committee: days left, due today, overdue, or nothing once sent."""

from datetime import date

from korch_pwa.domain.deadlines import Countdown, countdown

DUE = date(2026, 11, 24)


def test_days_left_today_and_overdue():
    assert countdown(DUE, date(2026, 11, 20)) == Countdown("days_left", 4)
    assert countdown(DUE, DUE) == Countdown("due_today", 0)
    assert countdown(DUE, date(2026, 11, 25)) == Countdown("overdue", 1)
    assert countdown(DUE, date(2027, 1, 1)) == Countdown("overdue", 38)


def test_nothing_once_sent_or_without_a_date():
    assert countdown(DUE, date(2026, 11, 25), sent=True) is None
    assert countdown(None, date(2026, 11, 25)) is None
