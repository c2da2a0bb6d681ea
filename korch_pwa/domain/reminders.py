"""When to remind whom of a due date: plain rules over dates, no Flask, no clock.

Whoever has not sent yet is reminded 7, 3 and 1 days before the date they
are judged against, then every day while late. Sent means sent at least
once: a sending returned for a correction was on time or not by its first
sending (domain/due_items.py), and the return itself told the sender.

Each reminder has a key per thing, area and day, so running the reminders
twice on one day (or on two hosts at once) tells nobody twice.
"""

from datetime import timedelta
from typing import NamedTuple

from .messages import N_

DAYS_BEFORE = (7, 3, 1)
# Late reminders stop this many days after the date: by then the office
# above is chasing the area by telephone, and a year of daily messages
# about last year's register would bury this year's.
LATE_FOR_DAYS = 60

BEFORE = "before"
LATE = "late"


class Reminder(NamedTuple):
    """A reminder owed today: before the date (days left) or late (days late)."""

    when: str
    days: int


def reminder_on(due, today, sent):
    """Return the Reminder owed on ``today`` for ``due``, or None."""
    if due is None or sent:
        return None
    left = (due - today).days
    if left in DAYS_BEFORE:
        return Reminder(BEFORE, left)
    if -LATE_FOR_DAYS <= left < 0:
        return Reminder(LATE, -left)
    return None


def reminder_dates(due, first_day, last_day, sent_on=None):
    """Return [(day, Reminder)] from ``first_day`` to ``last_day`` (for a calendar, tests).

    ``sent_on``: the day the area sent, after which nobody is reminded.
    """
    days = []
    day = first_day
    while day <= last_day:
        found = reminder_on(due, day, sent_on is not None and sent_on <= day)
        if found is not None:
            days.append((day, found))
        day += timedelta(days=1)
    return days


def reminder_key(subject, area_code, today):
    """Return the notice key: one reminder per thing, area and day for each person."""
    return f"remind:{subject}:{area_code}:{today.isoformat()}"


# The events a reminder is written as (korch_pwa/domain/notices.py holds their text).
EVENTS = {
    # To the office that must send: its own item, before or after the date.
    (BEFORE, "own"): "reminder_before",
    (LATE, "own"): "reminder_late",
    # To the office above: how many of its areas have not sent.
    (BEFORE, "summary"): "reminder_summary_before",
    (LATE, "summary"): "reminder_summary_late",
}

TEXTS = {
    "reminder_before": N_("อีก %(days)s วันถึงกำหนดส่ง%(item)s ของ%(area)s (%(due)s)"),
    "reminder_late": N_("%(item)s ของ%(area)s เลยกำหนดส่งมา %(days)s วันแล้ว (%(due)s) "
                        "กรุณาส่งโดยเร็ว"),
    "reminder_summary_before": N_("อีก %(days)s วันถึงกำหนดส่ง%(item)s (%(due)s) "
                                  "ยังไม่ส่ง %(count)s แห่ง"),
    "reminder_summary_late": N_("%(item)s เลยกำหนดส่งมา %(days)s วันแล้ว (%(due)s) "
                                "ยังไม่ส่ง %(count)s แห่ง"),
}
