"""Who is told of what, and what a notice says: the rules without Flask."""

from korch_pwa.domain.notices import (DECISION_EVENTS, EVENTS, notice_key, notice_text,
                                      recipient_roles)
from korch_pwa.domain.roles import Role, covering_codes


def test_an_area_is_covered_by_itself_and_every_area_above_it():
    assert covering_codes("520101") == ["52", "5201", "520101"]
    assert covering_codes("5201") == ["52", "5201"]
    assert covering_codes("52") == ["52"]


def test_a_submission_goes_to_the_district_and_a_decision_to_the_committee():
    assert recipient_roles("assessment_submitted") == {Role.DISTRICT_OFFICER}
    for event in DECISION_EVENTS.values():
        assert recipient_roles(event) == {Role.MEMBER, Role.SUBDISTRICT_OFFICER}
    assert set(DECISION_EVENTS) == {"approve", "return", "reopen"}


def test_a_notice_says_its_event_with_its_values():
    message = notice_text("assessment_returned",
                          {"subdistrict": "เวียงเหนือ", "number": 1, "year": 2570})
    assert message.template == EVENTS["assessment_returned"][1]
    assert "ถูกส่งกลับให้แก้ไข" in message.template % message.values
    assert "เวียงเหนือ" in message.template % message.values


def test_an_event_no_longer_known_still_shows():
    message = notice_text("gone_event", {})
    assert "gone_event" in message.template % message.values


def test_one_event_about_one_version_has_one_key():
    assert notice_key("assessment_submitted", "abc", 3) == "assessment_submitted:abc:3"
    assert notice_key("assessment_submitted", "abc", 3) != notice_key(
        "assessment_submitted", "abc", 5)
