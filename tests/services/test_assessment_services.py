"""Assessment operations, without HTTP."""

import pytest

from korch_pwa.assessment import services
from korch_pwa.assessment.models import Assessment, Round
from korch_pwa.auth.models import User
from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.merge import EMPTY, Answer, Change
from korch_pwa.errors import Incomplete, ServiceError
from korch_pwa.extensions import db

FW = framework_for(2570)


@pytest.fixture
def setup(world, ctx):
    """The round, two members of 520101 and the district officer."""
    rnd = db.session.get(Round, world["round"])
    users = {name: db.session.get(User, world[name])
             for name in ("member_a", "member_a2", "district_x")}
    return rnd, users


def answer_all(value=3):
    return [Change(i.code, Answer(value), EMPTY) for i in FW.indicators]


def test_open_creates_one_draft_and_reuses_it(setup):
    rnd, _ = setup
    first = services.open_assessment(rnd, "520101", "11111111-1111-4111-8111-111111111111")
    again = services.open_assessment(rnd, "520101")
    assert first is again and first.id.startswith("1111") and first.status == "draft"


def test_save_scores_and_bumps_version(setup):
    rnd, users = setup
    a = services.open_assessment(rnd, "520101")
    written, conflicts = services.save_answers(a, answer_all(2), users["member_a"])
    assert len(written) == 23 and not conflicts
    assert a.version == 2 and a.percent == pytest.approx(66.67, abs=0.01) and a.level_code == "good"


def test_invalid_score_changes_nothing(setup):
    rnd, users = setup
    a = services.open_assessment(rnd, "520101")
    with pytest.raises(ServiceError) as info:
        services.save_answers(a, [Change("1.1", Answer(9), EMPTY)], users["member_a"])
    assert info.value.field == "answers.1.1" and info.value.status == 422
    assert a.answers == [] and a.version == 1


def test_two_members_merge_and_clash(setup):
    rnd, users = setup
    a = services.open_assessment(rnd, "520101")
    services.save_answers(a, [Change("1.1", Answer(2), EMPTY)], users["member_a"])
    written, conflicts = services.save_answers(
        a, [Change("1.1", Answer(3), EMPTY), Change("1.2", Answer(1), EMPTY)],
        users["member_a2"])
    assert list(written) == ["1.2"]
    assert conflicts[0].indicator == "1.1" and conflicts[0].theirs == Answer(2)
    assert a.answer_map()["1.1"].score == 2


def test_submit_needs_every_indicator(setup):
    rnd, users = setup
    a = services.open_assessment(rnd, "520101")
    services.save_answers(a, answer_all()[:5], users["member_a"])
    with pytest.raises(ServiceError) as info:
        services.submit(a, users["member_a"])
    assert info.value.code == "incomplete" and len(info.value.detail) == 18
    assert a.status == "draft"


def test_incomplete_submit_saves_the_answers_then_refuses(setup, app):
    rnd, users = setup
    with pytest.raises(Incomplete) as info:
        services.record_answers(rnd, "520101", answer_all(2)[:21], users["member_a"], send=True)
    a = info.value.assessment
    assert info.value.code == "incomplete" and info.value.status == 422
    assert info.value.detail == ["5.3", "5.4"]
    with app.test_request_context():
        assert info.value.message.endswith("ยังไม่ได้ตอบตัวชี้วัด 5.3, 5.4")
    assert a.status == "draft" and a.version == 2 and len(a.answers) == 21
    db.session.commit()
    assert services.find_assessment(rnd.id, "520101").answer_map()["1.1"].score == 2


def test_submit_approve_and_stale_decision(setup):
    rnd, users = setup
    a = services.open_assessment(rnd, "520101")
    services.save_answers(a, answer_all(), users["member_a"])
    services.submit(a, users["member_a"])
    assert a.status == "submitted" and a.submitted_at
    with pytest.raises(ServiceError) as info:
        services.approve(a, users["district_x"], a.version - 1)
    assert info.value.code == "stale_version" and a.status == "submitted"
    services.approve(a, users["district_x"], a.version)
    assert a.status == "approved"
    with pytest.raises(ServiceError) as info:
        services.save_answers(a, [Change("1.1", Answer(0), Answer(3))], users["member_a"])
    assert info.value.code == "not_editable"


def test_return_needs_a_reason_and_reopens_for_editing(setup):
    rnd, users = setup
    a = services.open_assessment(rnd, "520101")
    services.save_answers(a, answer_all(), users["member_a"])
    services.submit(a, users["member_a"])
    with pytest.raises(ServiceError) as info:
        services.return_for_changes(a, users["district_x"], a.version, {"1.1": "  "})
    assert info.value.code == "return_reason"
    services.return_for_changes(a, users["district_x"], a.version,
                                {"1.3": "แนบแผนปฏิบัติการด้วย"}, "ขาดหลักฐาน")
    assert a.status == "returned"
    event = services.latest_return(a)
    assert event.comment == "ขาดหลักฐาน"
    assert [(c.indicator_code, c.comment) for c in event.indicator_comments] == [
        ("1.3", "แนบแผนปฏิบัติการด้วย")]
    services.save_answers(a, [Change("1.3", Answer(2), Answer(3))], users["member_a"])
    services.submit(a, users["member_a"])
    assert a.status == "submitted"


def test_decision_on_a_draft_is_a_transition_error(setup):
    rnd, users = setup
    a = services.open_assessment(rnd, "520101")
    with pytest.raises(ServiceError) as info:
        services.approve(a, users["district_x"], a.version)
    assert info.value.code == "transition" and a.status == "draft"


def test_current_round_follows_today(setup):
    from datetime import date

    rnd, _ = setup
    assert services.current_round(date(2026, 11, 20)).id == rnd.id
    assert services.current_round(date(2026, 12, 1)).number == 2
    assert services.current_round(date(2028, 1, 1)).fiscal_year == 2570
    assert db.session.query(Assessment).count() == 0


def test_reopen_needs_a_reason_and_the_seen_version(setup):
    rnd, users = setup
    a = services.open_assessment(rnd, "520101")
    services.save_answers(a, answer_all(), users["member_a"])
    services.submit(a, users["member_a"])
    services.approve(a, users["district_x"], a.version)
    with pytest.raises(ServiceError):
        services.reopen(a, users["district_x"], a.version, " ")
    with pytest.raises(ServiceError) as info:
        services.reopen(a, users["district_x"], a.version - 1, "แก้")
    assert info.value.code == "stale_version"
    services.reopen(a, users["district_x"], a.version, "แก้ 1.2")
    assert a.status == "returned" and services.latest_return(a).comment == "แก้ 1.2"
