"""Next steps on the committee's page and the district's support list."""

import pytest

from korch_pwa.domain.framework import framework_for
from korch_pwa.extensions import db
from tests.report_rows import add_assessment

FRAMEWORK = framework_for(2570)


def scores(**low):
    values = {i.code: i.max_score for i in FRAMEWORK.indicators}
    values.update({k.replace("_", "."): v for k, v in low.items()})
    return values


@pytest.fixture
def approved(app, world):
    """520101 approved in rounds 1 and 2; 520102 approved in round 1; 520103 only sent."""
    with app.app_context():
        add_assessment(world["round"], "520101", "approved", world["member_a"],
                       scores=scores(**{"2_1": 0, "1_1": 1}))
        add_assessment(world["round2"], "520101", "approved", world["member_a"],
                       scores=scores(**{"2_1": 2}))
        add_assessment(world["round"], "520102", "approved", world["member_b"],
                       scores=scores(**{"2_1": 1}))
        add_assessment(world["round"], "520103", "submitted", world["member_a"],
                       scores=scores(**{"3_1": 0}))
        add_assessment(world["round"], "520201", "approved", world["member_y"],
                       scores=scores(**{"5_1": 0}))
        db.session.commit()
    return world


def card(page):
    return page.split('id="next-steps"')[1].split("</section>")[0]


def test_the_committee_sees_its_next_steps_with_the_rubric_above(client, auth, approved):
    auth.login("member_a")
    page = card(client.get(f"/assessment/520101/{approved['round']}").get_data(as_text=True))
    first, second = page.split("<li")[1:3]
    assert 'data-code="2.1"' in first and FRAMEWORK.indicator("2.1").rubric[1].text_th in first
    assert 'data-code="1.1"' in second and FRAMEWORK.indicator("1.1").rubric[2].text_th in second
    assert 'id="moved"' not in page  # round 1 has no round before it


def test_round_2_shows_what_moved_since_round_1(client, auth, approved):
    auth.login("member_a")
    page = card(client.get(f"/assessment/520101/{approved['round2']}").get_data(as_text=True))
    moved = page.split('id="moved"')[1].split("</ul>")[0]
    assert 'data-code="2.1" class="up"' in moved and "0 → 2" in moved
    assert 'data-code="1.1" class="up"' in moved and "1 → 3" in moved
    assert moved.count("<li") == 2


def test_no_next_steps_before_approval(client, auth, approved):
    auth.login("tambon")
    page = client.get(f"/assessment/520103/{approved['round']}").get_data(as_text=True)
    assert 'id="next-steps"' not in page


def test_the_district_sees_which_indicator_holds_most_subdistricts_back(client, auth,
                                                                       approved):
    auth.login("district_x")
    page = client.get(f"/dashboard/next-steps?round={approved['round']}").get_data(
        as_text=True)
    needs = page.split('id="needs"')[1].split("</ol>")[0]
    first = needs.split('<li data-code="')[1]
    assert first.startswith('2.1" data-count="2"')
    assert 'data-area="520101"' in first and 'data-area="520102"' in first
    assert 'data-code="3.1"' not in needs  # 520103 is not approved
    assert 'data-code="5.1"' not in needs  # 520201 is another district's


@pytest.mark.parametrize("who, query, status", [
    ("district_x", "area=5202", 404),
    ("member_a", "", 403),
    ("province", "area=5202", 200),
])
def test_area_checks(client, auth, approved, who, query, status):
    auth.login(who)
    assert client.get(f"/dashboard/next-steps?round={approved['round']}&{query}"
                      ).status_code == status


def test_the_department_picks_a_province_first(client, auth, approved):
    auth.login("department")
    page = client.get(f"/dashboard/next-steps?round={approved['round']}").get_data(
        as_text=True)
    assert 'id="needs"' not in page and "area=52" in page
    page = client.get(f"/dashboard/next-steps?round={approved['round']}&area=52").get_data(
        as_text=True)
    assert 'data-area="520201"' in page
