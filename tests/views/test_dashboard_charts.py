"""The dashboards' charts show the same numbers as the tables beside them."""

import re
from datetime import date

import pytest

from korch_pwa.assessment.models import Assessment, AssessmentEvent
from korch_pwa.domain import charts
from korch_pwa.extensions import db
from tests.report_rows import bkk, board_fixture, results_fixture


def section(page, name):
    return page.split(f'id="{name}"')[1].split("</section>")[0]


@pytest.fixture
def board(app, world):
    """board_fixture plus approvals: 520101 early on 23 Nov (Bangkok), 520201 on 30 Nov."""
    with app.app_context():
        board_fixture(world)
        ids = dict(db.session.execute(
            db.select(Assessment.subdistrict_code, Assessment.id)).all())
        # 06:00 in Bangkok is still 22 Nov in UTC: the chart counts Bangkok's day.
        for code, when in (("520101", bkk(date(2026, 11, 23), hour=6)),
                           ("520201", bkk(date(2026, 11, 30)))):
            db.session.add(AssessmentEvent(assessment_id=ids[code], action="approve",
                                           from_status="submitted", to_status="approved",
                                           version=3, actor_id=world["district_x"], at=when))
        db.session.commit()
    app.config["TODAY"] = date(2026, 11, 27)
    return world


def test_the_district_timeline_matches_its_table(client, auth, board):
    auth.login("district_x")
    card = section(client.get("/dashboard/").get_data(as_text=True), "progress")
    lines = dict(re.findall(r'class="line (\w+)" points="[^"]*" data-count="(\d+)"', card))
    assert lines == {"submitted": "3", "approved": "1"}  # 520101, 520102, 520103; 520101
    rows = re.findall(r'<tr data-day="([0-9-]+)"><td>[^<]*</td><td data-series="submitted">'
                      r'(\d+) \(([0-9.]+)%\)</td><td data-series="approved">(\d+) ', card)
    by_day = {day: (int(sent), float(share), int(approved))
              for day, sent, share, approved in rows}
    assert by_day["2026-11-20"][0] == 1 and by_day["2026-11-22"][0] == 2
    assert by_day["2026-11-23"] == (2, by_day["2026-11-22"][1], 1)
    last = by_day[max(by_day)]
    assert last[0] == int(lines["submitted"]) and last[2] == int(lines["approved"])
    total = int(re.search(r'data-total="(\d+)"', card).group(1))
    assert last[1] == round(100 * 3 / total, 1)
    marks = dict(re.findall(r'class="due due-(\w+)"[^>]*data-day="([0-9-]+)"', card))
    assert marks == {"province": "2026-11-24", "department": "2026-11-30"}
    # The line ends as high as the table's last share says.
    points = re.search(r'class="line submitted" points="([^"]*)"', card).group(1).split()
    assert float(points[-1].split(",")[1]) == pytest.approx(
        charts.HEIGHT * (1 - 3 / total), abs=0.1)


def test_the_country_timeline_counts_every_province(client, auth, board):
    auth.login("department")
    card = section(client.get("/dashboard/").get_data(as_text=True), "progress")
    lines = dict(re.findall(r'class="line (\w+)" points="[^"]*" data-count="(\d+)"', card))
    assert lines == {"submitted": "4", "approved": "2"}
    assert "due-province" not in card  # the country has no province's date


@pytest.fixture
def results(app, world):
    with app.app_context():
        results_fixture(world)
    return world


def test_category_bars_equal_the_category_table(client, auth, results):
    auth.login("district_x")
    card = section(client.get("/dashboard/results?fy=2570").get_data(as_text=True),
                   "categories")
    drawn = {}
    for code, row in re.findall(r'<div class="chart-row" data-category="([0-9]+)">(.*?)</div>',
                                card, re.S):
        for number, share in re.findall(r'data-round="(\d)" data-share="([0-9.]*)"', row):
            drawn[(code, number)] = share
    table = {}
    for code, row in re.findall(r'<tr data-category="([0-9]+)">(.*?)</tr>', card, re.S):
        for number, cell in re.findall(r'<td data-round="(\d)">([^<]*)</td>', row):
            table[(code, number)] = cell
    assert drawn and set(drawn) == set(table)
    for key, share in drawn.items():
        assert table[key] == (f"{float(share):.1f}" if share else "–")
    # Category 2 holds 2.1, scored 0 in round 1 and full in round 2.
    assert float(drawn[("2", "1")]) < float(drawn[("2", "2")]) == 100.0


def test_level_bars_equal_the_by_area_table(client, auth, results):
    auth.login("province")
    card = section(client.get("/dashboard/results?fy=2570").get_data(as_text=True), "by-area")
    chart = card.split('id="level-chart-1"')[1].split("</div>\n  \n")[0]
    drawn = {}
    for area, row in re.findall(r'<div class="chart-row" data-area="(\d+)">(.*?)</div>',
                                chart, re.S):
        drawn[area] = {lv: int(n) for lv, n in
                       re.findall(r'data-level="(\w+)" data-count="(\d+)"', row)}
    assert drawn["5201"] == {"very_good": 1, "good": 1}  # 520103 is not approved
    assert drawn["5202"] == {"developing": 1}
    table = card.split("<table>")[1]
    row_5201 = table.split("area=5201")[1].split("</tr>")[0]
    cells = [int(c) for c in re.findall(r"<td>(\d+)</td>", row_5201)]
    # The table's round 1 columns, in the framework's level order.
    assert cells[:3] == [drawn["5201"].get(lv, 0) for lv in ("developing", "good",
                                                             "very_good")]


def test_every_district_is_a_tile_coloured_by_its_median_level(app, client, auth, results):
    from korch_pwa.org.services import children

    auth.login("province")
    card = section(client.get("/dashboard/results?fy=2570&area=52").get_data(as_text=True),
                   "tiles")
    assert "ครั้งที่ 2" in card  # the latest round with approved results
    tiles = dict(re.findall(r'class="tile" data-area="(\d+)" data-level="(\w*)"', card))
    with app.app_context():
        assert list(tiles) == [a.code for a in children("52")]  # results or not
    # Round 2: only 520101 (very good) is approved, in 5201; 5202 has none yet.
    assert tiles["5201"] == "very_good" and tiles["5202"] == ""
    assert 'data-area="5201"' in card and "?fy=2570&amp;area=5201" in card
    assert "ระดับ ดีมาก" in card.split('data-area="5201"')[1].split("</a>")[0]


def test_the_country_bands_provinces_by_region(client, auth, results):
    auth.login("department")
    card = section(client.get("/dashboard/results?fy=2570").get_data(as_text=True), "tiles")
    assert 'data-band="5"' in card and "ภาคเหนือตอนบน" in card
    assert re.findall(r'class="tile" data-area="(\d+)" data-level="(\w*)"', card) == [
        ("52", "very_good")]
