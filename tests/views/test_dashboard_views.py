"""Deadlines dashboard, acceptance and results pages: content and area checks."""

import re
from datetime import date

import pytest

from korch_pwa.assessment.models import Round
from korch_pwa.extensions import db
from tests.report_rows import board_fixture, results_fixture


@pytest.fixture
def board(app, world):
    """The dashboard fixture, seen on 27 Nov 2026 (after the province's date)."""
    with app.app_context():
        board_fixture(world)
    app.config["TODAY"] = date(2026, 11, 27)
    return world


def test_district_officer_sees_lateness_per_subdistrict(client, auth, board):
    auth.login("district_x")
    page = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="rate-province">10.5%' in page
    assert 'id="rate-department">15.8%' in page
    assert 'id="late-province">17<' in page
    row = page.split('id="row-520102"')[1].split("</tr>")[0]
    assert 't-late' in row and 't-on_time' in row  # late for the province, not the department
    assert 'id="row-520201"' not in page  # another district's subdistrict


def test_province_officer_sees_districts_and_where_their_results_stand(client, auth, board):
    auth.login("province")
    page = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="row-5201"' in page and 'id="row-5213"' in page
    card = page.split('id="row-5202"')[1].split("area-card")[0]
    # Past the province's date (24 Nov) with nothing sent: late, and a link to the sending.
    assert "ยังไม่ส่ง" in card and "ช้า 3 วัน" in card and "/due/item/" in card


def test_department_sees_the_country(client, auth, board):
    auth.login("department")
    page = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="row-52"' in page
    assert client.get("/dashboard/?area=5201").status_code == 200


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/results"])
def test_area_checks(client, auth, board, url):
    auth.login("district_x")
    assert client.get(url + "?area=5201").status_code == 200
    assert client.get(url + "?area=5202").status_code == 404
    assert client.get(url + "?area=52").status_code == 404
    auth.logout()
    auth.login("member_a")
    assert client.get(url).status_code == 403
    auth.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_results_for_a_district(client, auth, app, world):
    with app.app_context():
        results_fixture(world)
    auth.login("district_x")
    page = client.get("/dashboard/results?fy=2570").get_data(as_text=True)
    levels = page.split('id="levels"')[1].split("</section>")[0]
    good_row = levels.split('id="level-good"')[1].split("</tr>")[0]
    assert "<strong>1</strong> <span class=\"muted\">(50.0%)" in good_row
    developing = levels.split('id="level-developing"')[1].split("</tr>")[0]
    assert "<strong>0</strong>" in developing  # 520103 not approved, 520201 elsewhere
    round1 = page.split('id="weakest-1"')[1].split("</ol>")[0]
    assert round1.index('data-code="2.1"') < round1.index('data-code="1.1"')
    first = round1.split("<li")[1]  # the weakest comes first, with its bar
    assert 'data-code="2.1"' in first and 'data-share="0.0"' in first
    assert re.search(r"</svg>\s*2\.1 ", first)
    round2 = page.split('id="weakest-2"')[1].split("</ol>")[0]
    assert round2.count("<li") == 23 and "(100.0%, 1 " in round2


def test_results_for_the_province_by_district(client, auth, app, world):
    with app.app_context():
        results_fixture(world)
    auth.login("province")
    page = client.get("/dashboard/results?fy=2570").get_data(as_text=True)
    by_area = page.split('id="by-area"')[1].split("</section>")[0]
    assert "เมืองลำปาง" in by_area and "แม่เมาะ" in by_area


def test_no_round_yet_says_so(client, auth, app, world):
    with app.app_context():
        for rnd in db.session.query(Round):
            db.session.delete(rnd)
        db.session.commit()
    auth.login("district_x")
    response = client.get("/dashboard/")
    assert response.status_code == 200 and 'id="no-round"' in response.get_data(as_text=True)
    assert client.get("/dashboard/?round=999").status_code == 404


def test_officer_with_several_subdistricts_can_switch_between_them(client, auth, world):
    auth.login("tambon")  # 520101 and 520103
    page = client.get("/dashboard/").text
    assert "/dashboard/?area=520101" in page and "/dashboard/?area=520103" in page
    other = client.get("/dashboard/?area=520103")
    assert other.status_code == 200 and "สวนดอก" in other.text
    assert client.get("/dashboard/?area=520102").status_code == 404


def test_department_picks_a_province_for_the_district_reports(client, auth, world):
    auth.login("department")
    page = client.get("/dashboard/reports/2570")
    assert page.status_code == 200 and "/dashboard/reports/2570?area=52" in page.text
    assert "เมืองลำปาง" in client.get("/dashboard/reports/2570?area=52").text
