"""Which channels a notice goes out on, who may mute what, and when to try again."""

from datetime import datetime, timedelta, timezone

from korch_pwa.domain.deliveries import (RETRY_WAITS, channels_for, may_mute_own, muted,
                                         next_try)
from korch_pwa.domain.roles import Role


def test_a_channel_needs_to_be_on_and_to_have_an_address():
    assert channels_for(True, "a@b.th", True, "U1") == ["email", "line"]
    assert channels_for(True, "", True, "U1") == ["line"]
    assert channels_for(False, "a@b.th", False, "U1") == []


def test_a_member_mutes_every_reminder_an_officer_only_the_counts():
    for event in ("reminder_before", "reminder_late", "reminder_summary_before",
                  "reminder_summary_late"):
        assert muted(Role.MEMBER, event, True)
        assert not muted(Role.MEMBER, event, False)
    for role in (Role.SUBDISTRICT_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER,
                 Role.DEPARTMENT):
        assert not muted(role, "reminder_before", True)
        assert not muted(role, "reminder_late", True)
        assert muted(role, "reminder_summary_late", True)
        assert not may_mute_own(role)
    assert may_mute_own(Role.MEMBER)
    # Never anything but reminders: a return for corrections always comes.
    assert not muted(Role.MEMBER, "assessment_returned", True)


def test_retries_wait_longer_each_time_then_stop():
    start = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)
    waits = [next_try(n, start) - start for n in range(1, len(RETRY_WAITS) + 1)]
    assert waits == sorted(waits) and waits[0] == timedelta(minutes=5)
    assert next_try(len(RETRY_WAITS) + 1, start) is None
    assert next_try(0, start) is None
