"""Dashboards at country scale: grouped in the database, same figures, fixed SQL count."""

import random
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import event, select

from korch_pwa.assessment.models import AssessmentEvent, Round
from korch_pwa.domain import deadlines as d
from korch_pwa.extensions import db
from korch_pwa.org.models import Area
from korch_pwa.reports import services
from tests.report_rows import BANGKOK, add_assessment, add_committee

STATUSES = ("draft", "submitted", "returned", "approved")


def reference_board(rnd, prefix, today):
    """The dashboard as it was computed before: one state per subdistrict, in Python."""
    states = services.subdistrict_states(rnd, prefix, today)
    groups = d.group_by_prefix(states, len(prefix) + 2)
    return d.tally(states), [(code, d.tally(group)) for code, group in groups.items()]


def sent_on_edge(rng, day):
    """Return a Bangkok time on ``day`` close to midnight one way or the other."""
    return rng.choice([datetime(day.year, day.month, day.day, 0, 0, tzinfo=BANGKOK),
                       datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=BANGKOK),
                       datetime(day.year, day.month, day.day, 12, tzinfo=BANGKOK)])


def fill_round(world, round_id, codes, seed):
    """Store assessments of every status sent around the due dates in ``codes``."""
    rng = random.Random(seed)
    for code in codes:
        if rng.random() < 0.2:
            continue  # not started
        status = rng.choice(STATUSES)
        first = None if status == "draft" else date(2026, 11, 20) + timedelta(
            days=rng.randrange(0, 14))
        assessment = add_assessment(round_id, code, status, world["member_a"])
        if first:
            at = sent_on_edge(rng, first)
            if rng.random() < 0.8:
                db.session.add(AssessmentEvent(
                    assessment_id=assessment.id, action="submit", from_status="draft",
                    to_status="submitted", version=2, actor_id=world["member_a"], at=at))
            # Without an event the last sending counts (older rows).
            assessment.submitted_at = at + timedelta(days=rng.randrange(0, 3))
    db.session.commit()


def subdistricts(prefix):
    return list(db.session.scalars(select(Area.code).where(
        Area.level == "subdistrict", Area.code.startswith(prefix)).order_by(Area.code)))


def test_grouped_board_equals_the_per_subdistrict_one(ctx, world):
    fill_round(world, world["round"], subdistricts("52"), seed=1)
    rnd = db.session.get(Round, world["round"])
    for today in (date(2026, 11, 20), date(2026, 11, 24), date(2026, 11, 25),
                  date(2026, 11, 30), date(2026, 12, 1), date(2027, 2, 1)):
        for prefix in ("52", ""):
            assert services.deadline_board(rnd, prefix, today) == \
                reference_board(rnd, prefix, today), (prefix, today)


def test_grouped_board_with_provinces_of_different_dates(ctx, world):
    from korch_pwa.assessment.models import ProvinceDeadline
    from korch_pwa.org.services import load_geography

    load_geography(province_codes={"51", "57", "58"})  # neighbours of Lampang
    rnd = db.session.get(Round, world["round"])
    rnd.deadlines.append(ProvinceDeadline(province_code="51", due=date(2026, 11, 27)))
    rnd.deadlines.append(ProvinceDeadline(province_code="57", due=date(2026, 11, 27)))
    db.session.commit()
    fill_round(world, world["round"], subdistricts("5"), seed=5)  # 52: 24 Nov; 58: none
    rnd = db.session.get(Round, world["round"])
    for today in (date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 28),
                  date(2026, 12, 2)):
        for prefix in ("", "51", "52", "58"):
            assert services.deadline_board(rnd, prefix, today) == \
                reference_board(rnd, prefix, today), (prefix, today)


def test_grouped_board_without_a_province_date(ctx, world):
    rnd = Round(fiscal_year=2571, number=1, department_due=date(2026, 11, 30))
    db.session.add(rnd)
    db.session.commit()
    fill_round(world, rnd.id, subdistricts("5201") + subdistricts("5202"), seed=2)
    rnd = db.session.get(Round, rnd.id)
    for today in (date(2026, 11, 25), date(2026, 12, 5)):
        total, rows = services.deadline_board(rnd, "52", today)
        assert (total, rows) == reference_board(rnd, "52", today)
        assert total.province == {"on_time": 0, "late": 0, "waiting": 0,
                                  "no_date": total.total}


@contextmanager
def counting():
    """Count the SQL statements run inside the block."""
    seen = [0]

    def before(*_args):
        seen[0] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


PAGES = {
    "province": ["/dashboard/?round={round}", "/dashboard/results?fy=2570",
                 "/dashboard/report/52/2570", "/dashboard/reports/2570",
                 "/dashboard/report/52/2570/export.xlsx"],
    "department": ["/dashboard/?round={round}", "/dashboard/results?fy=2570",
                   "/dashboard/?round={round}&area=52",
                   "/dashboard/results?fy=2570&area=52"],
    "district_x": ["/dashboard/?round={round}", "/dashboard/results?fy=2570",
                   "/dashboard/report/5201/2570"],
}


def statements_per_page(app, client, auth, world):
    """Return {(user, url): SQL statements of one GET}."""
    counts = {}
    for username, urls in PAGES.items():
        auth.login(username)
        for url in urls:
            url = url.format(round=world["round"])
            client.get(url)  # anything loaded once per process is loaded now
            with app.app_context(), counting() as seen:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[(username, url)] = seen[0]
        auth.logout()
    return counts


def add_area_data(world, codes, seed):
    """Committees, meetings and assessments of both rounds in ``codes``."""
    rng = random.Random(seed)
    for code in codes:
        add_committee("korch", code, [(date(2026, 10, 1), date(2030, 9, 30), 15)],
                      [date(2026, 11, 1), date(2027, 3, 1)], world["district_x"])
        for round_id in (world["round"], world["round2"]):
            add_assessment(round_id, code, rng.choice(STATUSES), world["member_a"],
                           first_submit=date(2026, 11, 22), scores={"1.1": 2, "2.1": 1},
                           level_code="good")
    db.session.commit()


def test_statements_do_not_grow_with_the_number_of_areas(app, client, auth, world):
    with app.app_context():
        one_district = subdistricts("5201")[:3]
        add_area_data(world, one_district, seed=3)
        db.session.remove()
    few = statements_per_page(app, client, auth, world)
    with app.app_context():
        # Every district of Lampang (13) and every one of its subdistricts has data.
        add_area_data(world, [c for c in subdistricts("52") if c not in one_district],
                      seed=4)
        db.session.remove()
    many = statements_per_page(app, client, auth, world)
    assert many == few
