"""Field-ready screens through the test client: due dates that say how they stand, submissions counted."""

import pytest

from korch_pwa.assessment import services
from korch_pwa.assessment.models import Assessment
from korch_pwa.auth.models import User
from korch_pwa.extensions import db

from tests.helpers import submitted_assessment


def form_page(app, auth, world, today):
    app.config["TODAY"] = today
    auth.login("member_a")
    return auth.client.get(f"/assessment/520101/{world['round']}").text


@pytest.mark.parametrize("today, province, department", [
    ("2026-11-20", "อีก 4 วัน", "อีก 10 วัน"),
    ("2026-11-24", "ครบกำหนดวันนี้", "อีก 6 วัน"),
    ("2026-11-25", "เลยกำหนดแล้ว 1 วัน", "อีก 5 วัน"),
])
def test_the_form_says_how_each_due_date_stands(app, auth, world, today, province, department):
    from datetime import date

    page = form_page(app, auth, world, date.fromisoformat(today))
    due_line = page[page.index("กำหนดส่ง"):page.index("</p>", page.index("กำหนดส่ง"))]
    assert due_line.index(province) < due_line.index("กรม") < due_line.index(department)
    if "เลยกำหนด" in province:
        assert 'class="due due-overdue"' in due_line


def test_a_committee_that_has_sent_is_told_no_countdown(app, auth, world):
    from datetime import date

    submitted_assessment(app, world)
    page = form_page(app, auth, world, date(2026, 11, 25))
    assert "เลยกำหนด" not in page and "อีก " not in page


def test_the_officer_sees_which_submission_this_is_not_an_edit_count(app, auth, world):
    assessment_id, version = submitted_assessment(app, world)
    auth.login("district_x")
    page = auth.client.get(f"/review/{assessment_id}").text
    assert "คณะกรรมการส่งครั้งที่ 1" in page and "ฉบับที่" not in page
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        services.return_for_changes(assessment, db.session.get(User, world["district_x"]),
                                    version, {"1.1": "แนบหลักฐาน"})
        services.submit(assessment, db.session.get(User, world["member_a"]))
        db.session.commit()
        db.session.remove()
    assert "คณะกรรมการส่งครั้งที่ 2" in auth.client.get(f"/review/{assessment_id}").text
