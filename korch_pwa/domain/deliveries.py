"""Who gets which notice on which channel, and when a failed delivery is tried again.

Plain rules, no Flask. The inbox always gets every notice; e-mail and LINE
only when the person turned the channel on and gave an address. Reminders
may be muted, except that an officer is always reminded of an item their
own office must send: muting those would leave a district late with nobody
told.
"""

from datetime import timedelta

from .reminders import EVENTS as REMINDER_EVENT_NAMES
from .roles import Role

# Web Push goes to every browser a person subscribed: subscribing is the choice.
CHANNELS = ("email", "line", "push")
REMINDERS = frozenset(REMINDER_EVENT_NAMES.values())
OWN_REMINDERS = frozenset({REMINDER_EVENT_NAMES[("before", "own")],
                           REMINDER_EVENT_NAMES[("late", "own")]})

# A failed delivery is tried again after these waits; after the last, never.
RETRY_WAITS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
               timedelta(hours=6))
# Notices older than this are not sent out any more (the inbox still has them).
DELIVER_WITHIN = timedelta(days=2)


def muted(role, event, mute_reminders):
    """Return True when a person's muting of reminders silences ``event`` for them."""
    if not mute_reminders or event not in REMINDERS:
        return False
    return Role(role) == Role.MEMBER or event not in OWN_REMINDERS


def may_mute_own(role):
    """Return True when muting silences even reminders of the person's own items."""
    return Role(role) == Role.MEMBER


def channels_for(email_on, email, line_on, line_user_id):
    """Return the channels a person's notices go out on besides the inbox."""
    wanted = []
    if email_on and email:
        wanted.append("email")
    if line_on and line_user_id:
        wanted.append("line")
    return wanted


def next_try(attempts, last_try):
    """Return when to try a delivery again after ``attempts`` failures, or None: give up."""
    if attempts < 1 or attempts > len(RETRY_WAITS):
        return None
    return last_try + RETRY_WAITS[attempts - 1]
