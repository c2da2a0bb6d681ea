"""Rows for the dashboard and report tests, written straight through the models."""

from datetime import date, datetime, timedelta, timezone

from korch_pwa.assessment.models import Answer, Assessment, AssessmentEvent, Round
from korch_pwa.committees.models import (
    AppointmentOrder, Committee, CommitteeMember, Meeting, StrongSubdistrictActivity)
from korch_pwa.domain.framework import framework_for
from korch_pwa.extensions import db
from tests import progress_fixture as fx

BANGKOK = timezone(timedelta(hours=7))


def add_committee(kind, area, orders, meetings, user_id):
    """Store a committee with its orders (date, term end, members) and meetings."""
    committee = Committee(kind=kind, area_code=area)
    db.session.add(committee)
    for n, (order_date, term_end, members) in enumerate(orders):
        order = AppointmentOrder(number=f"{n + 1}/{order_date.year + 543}",
                                 order_date=order_date, term_end=term_end,
                                 created_by=user_id)
        order.members = [CommitteeMember(first_name=f"ชื่อ{k}", last_name="สกุล",
                                         position="กรรมการ") for k in range(members)]
        committee.orders.append(order)
    for held_on in meetings:
        committee.meetings.append(Meeting(held_on=held_on, attendees=10, created_by=user_id))
    return committee


def bkk(day, hour=10):
    """Return a UTC timestamp at ``hour`` o'clock Bangkok time on ``day``."""
    local = datetime(day.year, day.month, day.day, hour, tzinfo=BANGKOK)
    return local.astimezone(timezone.utc)


def add_assessment(round_id, code, status, actor_id, first_submit=None,
                   last_submit=None, scores=None, level_code=None, fiscal_year=2570):
    """Store an assessment; ``first_submit`` writes a submit event on that date."""
    assessment = Assessment(round_id=round_id, subdistrict_code=code, status=status,
                            framework_version=framework_for(fiscal_year).version,
                            level_code=level_code,
                            submitted_at=bkk(last_submit or first_submit)
                            if (last_submit or first_submit) else None)
    db.session.add(assessment)
    db.session.flush()
    if first_submit:
        db.session.add(AssessmentEvent(assessment_id=assessment.id, action="submit",
                                       from_status="draft", to_status="submitted",
                                       version=2, actor_id=actor_id, at=bkk(first_submit)))
    if last_submit:
        db.session.add(AssessmentEvent(assessment_id=assessment.id, action="submit",
                                       from_status="returned", to_status="submitted",
                                       version=4, actor_id=actor_id, at=bkk(last_submit)))
    for indicator, score in (scores or {}).items():
        db.session.add(Answer(assessment_id=assessment.id, indicator_code=indicator,
                              score=score, updated_by=actor_id))
    return assessment


def add_activity(code, fiscal_year, in_plan, user_id, title="กิจกรรม"):
    """Store one Strong Subdistrict activity."""
    db.session.add(StrongSubdistrictActivity(subdistrict_code=code, fiscal_year=fiscal_year,
                                             title=title, in_plan=in_plan,
                                             created_by=user_id))


def board_fixture(world):
    """Round 1 of FY 2570 (province due 24 Nov, department 30 Nov) in 5201 and 5202."""
    actor = world["member_a"]
    r = world["round"]
    add_assessment(r, "520101", "approved", actor, first_submit=date(2026, 11, 20))
    add_assessment(r, "520102", "submitted", actor, first_submit=date(2026, 11, 26))
    # Sent on time, returned, sent again late: judged on the first sending.
    add_assessment(r, "520103", "returned", actor, first_submit=date(2026, 11, 22),
                   last_submit=date(2026, 11, 28))
    add_assessment(r, "520104", "draft", actor)
    add_assessment(r, "520201", "approved", actor, first_submit=date(2026, 11, 29))
    db.session.commit()


def results_fixture(world):
    """Approved results in 5201: round 1 weak on 2.1, round 2 better."""
    fw = framework_for(2570)
    tops = {i.code: i.max_score for i in fw.indicators}
    low = {code: top for code, top in tops.items()}
    low["2.1"] = 0
    r1, r2 = world["round"], world["round2"]
    add_assessment(r1, "520101", "approved", world["member_a"], scores=low,
                   level_code="very_good")
    add_assessment(r1, "520102", "approved", world["member_a"], scores=low,
                   level_code="good")
    add_assessment(r1, "520103", "submitted", world["member_a"], scores={"1.1": 0},
                   level_code="developing")  # not yet a result
    add_assessment(r2, "520101", "approved", world["member_a"], scores=tops,
                   level_code="very_good")
    add_assessment(r1, "520201", "approved", world["member_y"], scores=low,
                   level_code="developing")
    db.session.commit()


def store_fixture(world):
    """Write tests/progress_fixture.py's data as rows (district 5201, province 52)."""
    user = world["district_x"]
    for kind, area, orders, meetings in fx.COMMITTEES + [fx.PROVINCE_COMMITTEE]:
        add_committee(kind, area, orders, meetings, user)
    rounds = {(r.fiscal_year, r.number): r.id for r in db.session.query(Round)}
    for code, year, number, status in fx.ASSESSMENTS:
        add_assessment(rounds[(year, number)], code, status, world["member_a"],
                       fiscal_year=year)
    for code, year, in_plan in fx.ACTIVITIES:
        add_activity(code, year, in_plan, user)
    db.session.commit()
