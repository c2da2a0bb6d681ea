"""The reminder schedule as a pure function of dates: 7, 3, 1 days before, then daily."""

from datetime import date, timedelta

from korch_pwa.domain.reminders import (LATE_FOR_DAYS, Reminder, reminder_dates, reminder_key,
                                        reminder_on)

DUE = date(2026, 11, 24)


def test_reminders_fall_7_3_and_1_days_before_then_every_day_late():
    days = reminder_dates(DUE, date(2026, 11, 1), date(2026, 11, 28))
    assert days == [(date(2026, 11, 17), Reminder("before", 7)),
                    (date(2026, 11, 21), Reminder("before", 3)),
                    (date(2026, 11, 23), Reminder("before", 1)),
                    (date(2026, 11, 25), Reminder("late", 1)),
                    (date(2026, 11, 26), Reminder("late", 2)),
                    (date(2026, 11, 27), Reminder("late", 3)),
                    (date(2026, 11, 28), Reminder("late", 4))]
    assert reminder_on(DUE, DUE, sent=False) is None  # the day itself: told the day before


def test_nobody_who_sent_is_reminded():
    days = reminder_dates(DUE, date(2026, 11, 1), date(2026, 12, 31), sent_on=date(2026, 11, 22))
    assert [d for d, _r in days] == [date(2026, 11, 17), date(2026, 11, 21)]
    assert reminder_on(DUE, date(2026, 11, 30), sent=True) is None
    assert reminder_on(None, date(2026, 11, 30), sent=False) is None


def test_late_reminders_stop_after_the_window():
    last = DUE + timedelta(days=LATE_FOR_DAYS)
    assert reminder_on(DUE, last, sent=False) == Reminder("late", LATE_FOR_DAYS)
    assert reminder_on(DUE, last + timedelta(days=1), sent=False) is None


def test_a_reminder_is_one_per_thing_area_and_day():
    assert reminder_key("item-3", "5201", DUE) == "remind:item-3:5201:2026-11-24"
    assert reminder_key("item-3", "5201", DUE) != reminder_key("item-3", "5201",
                                                                DUE + timedelta(days=1))
