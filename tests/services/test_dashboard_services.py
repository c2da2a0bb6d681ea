"""Deadlines dashboard and acceptance through the database."""

from datetime import date


from korch_pwa.assessment.models import Round
from korch_pwa.domain import deadlines as d
from korch_pwa.extensions import db
from korch_pwa.reports import services
from tests.report_rows import board_fixture, results_fixture


def test_subdistrict_states_on_known_dates(ctx, world):
    board_fixture(world)
    rnd = db.session.get(Round, world["round"])
    states = {s.code: s for s in services.subdistrict_states(rnd, "5201", date(2026, 11, 27))}
    assert len(states) == 19  # every subdistrict of Mueang Lampang, started or not
    assert (states["520101"].province, states["520101"].department) == (d.ON_TIME, d.ON_TIME)
    assert (states["520102"].province, states["520102"].department) == (d.LATE, d.ON_TIME)
    assert states["520103"].submitted_on == date(2026, 11, 22)
    assert (states["520103"].province, states["520103"].department) == (d.ON_TIME, d.ON_TIME)
    assert (states["520104"].status, states["520104"].province,
            states["520104"].department) == ("draft", d.LATE, d.WAITING)
    assert (states["520105"].status, states["520105"].department) == ("not_started", d.WAITING)


def test_board_totals_and_rows(ctx, world):
    board_fixture(world)
    rnd = db.session.get(Round, world["round"])
    total, rows = services.deadline_board(rnd, "5201", date(2026, 11, 27))
    assert total.status == {"not_started": 15, "draft": 1, "submitted": 1, "returned": 1,
                            "approved": 1}
    assert (total.province_on_time_rate, total.department_on_time_rate) == (10.5, 15.8)
    assert total.province["late"] == 17 and total.department["late"] == 0
    assert len(rows) == 19
    # After the department's date every unsent subdistrict is late against it too.
    total, _rows = services.deadline_board(rnd, "5201", date(2026, 12, 1))
    assert total.department == {"on_time": 3, "late": 16, "waiting": 0, "no_date": 0}


def test_province_board_groups_by_district(ctx, world):
    board_fixture(world)
    rnd = db.session.get(Round, world["round"])
    total, rows = services.deadline_board(rnd, "52", date(2026, 11, 27))
    by_code = dict(rows)
    assert len(by_code) == 13 and total.total == sum(t.total for t in by_code.values())
    assert by_code["5202"].status["approved"] == 1
    assert by_code["5202"].province["late"] == by_code["5202"].total  # 29 Nov > 24 Nov


def test_a_province_without_its_own_date(ctx, world):
    rnd = Round(fiscal_year=2571, number=1, department_due=date(2027, 11, 30))
    db.session.add(rnd)
    db.session.flush()
    states = services.subdistrict_states(rnd, "5201", date(2027, 12, 1))
    assert {s.province for s in states} == {d.NO_DATE}
    assert {s.department for s in states} == {d.LATE}


def test_results_count_only_approved_and_group_by_area(ctx, world):
    results_fixture(world)
    assert services.level_counts(2570, "5201") == {1: {"very_good": 1, "good": 1},
                                                    2: {"very_good": 1}}
    assert services.level_counts(2570, "52", 4) == {
        "5201": {1: {"very_good": 1, "good": 1}, 2: {"very_good": 1}},
        "5202": {1: {"developing": 1}}}
    by_version = services.indicator_averages(2570, "5201")
    assert {n: set(versions) for n, versions in by_version.items()} == {
        1: {"2568.1-draft"}, 2: {"2568.1-draft"}}
    averages = {n: versions["2568.1-draft"] for n, versions in by_version.items()}
    assert averages[1]["2.1"] == (0.0, 2)
    assert averages[1]["1.1"][1] == 2  # 520103's submitted 0 is not counted
    assert set(averages) == {1, 2} and len(averages[2]) == 23
