"""The inbox through the test client: who is told, in which words, and reading it."""

import re

from sqlalchemy import func, select

from korch_pwa.assessment.models import Assessment
from korch_pwa.auth.models import User
from korch_pwa.domain.framework import framework_for
from korch_pwa.extensions import db
from korch_pwa.notifications.models import Notice
from tests.helpers import full_form, submitted_assessment


def notices_of(app, world, username):
    """Return (event, link, read) of a person's notices, oldest first."""
    with app.app_context():
        rows = db.session.execute(select(Notice.event, Notice.link, Notice.read_at)
                                  .where(Notice.user_id == world[username])
                                  .order_by(Notice.id)).all()
        db.session.remove()
    return [(event, link, read is not None) for event, link, read in rows]


def all_notices(app):
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Notice))
        db.session.remove()
    return n


def unread_badge(page):
    """Return the unread count in the header, or 0 when none is shown."""
    found = re.search(r'id="inbox-unread"[^>]*>(\d+)<', page)
    return int(found.group(1)) if found else 0


def test_a_submission_tells_the_district_that_covers_it_and_nobody_else(
        app, client, auth, world):
    assessment_id, _ = submitted_assessment(app, world)
    assert notices_of(app, world, "district_x") == [
        ("assessment_submitted", f"/review/{assessment_id}", False)]
    for username in ("district_y", "member_a", "member_a2", "member_b", "tambon",
                     "province", "department"):
        assert notices_of(app, world, username) == [], username
    auth.login("district_x")
    page = client.get("/inbox").get_data(as_text=True)
    assert "ศอช.ต. เวียงเหนือ ส่งแบบประเมินครั้งที่ 1/2570 มาให้ตรวจ" in page
    assert unread_badge(page) == 1
    [notice_id] = re.findall(r'href="/inbox/(\d+)"', page)
    opened = client.get(f"/inbox/{notice_id}")
    assert opened.status_code == 302 and opened.location.endswith(f"/review/{assessment_id}")
    assert notices_of(app, world, "district_x")[0][2] is True
    assert unread_badge(client.get("/inbox").get_data(as_text=True)) == 0


def test_a_return_and_an_approval_tell_the_committee(app, client, auth, world):
    assessment_id, version = submitted_assessment(app, world)
    auth.login("district_x")
    response = client.post(f"/review/{assessment_id}/decide", data={
        "version": version, "decision": "return", "comment": "ขอภาพถ่ายเพิ่ม"})
    assert response.status_code == 302
    link = f"/assessment/520101/{world['round']}"
    for username in ("member_a", "member_a2", "tambon"):
        assert notices_of(app, world, username) == [("assessment_returned", link, False)]
    assert notices_of(app, world, "member_b") == []
    assert [n[0] for n in notices_of(app, world, "district_x")] == ["assessment_submitted"]
    auth.logout()
    # Sent again, approved: each step is its own notice.
    auth.login("member_a")
    with app.app_context():
        version = db.session.get(Assessment, assessment_id).version
        db.session.remove()
    base = {i.code: (2, "") for i in framework_for(2570).indicators}
    assert client.post(link, data=full_form(version, score=3, action="submit",
                                            base=base)).status_code == 302
    auth.logout()
    auth.login("district_x")
    with app.app_context():
        version = db.session.get(Assessment, assessment_id).version
        db.session.remove()
    assert client.post(f"/review/{assessment_id}/decide", data={
        "version": version, "decision": "approve"}).status_code == 302
    auth.logout()
    assert [n[0] for n in notices_of(app, world, "member_a")] == [
        "assessment_returned", "assessment_approved"]
    # Each submission told the district once.
    assert [n[0] for n in notices_of(app, world, "district_x")] == [
        "assessment_submitted", "assessment_submitted"]
    auth.login("member_a2")
    page = client.get("/inbox").get_data(as_text=True)
    assert unread_badge(page) == 2
    assert "แบบประเมินครั้งที่ 1/2570 ของ เวียงเหนือ ได้รับอนุมัติแล้ว" in page
    assert "ถูกส่งกลับให้แก้ไข" in page
    assert page.index("ได้รับอนุมัติแล้ว") < page.index("ถูกส่งกลับให้แก้ไข")  # newest first


def test_a_submission_that_fails_tells_nobody(app, client, auth, world):
    auth.login("member_a")
    incomplete = full_form(action="submit", **{"score-1.1": ""})
    response = client.post(f"/assessment/520101/{world['round']}", data=incomplete)
    assert response.status_code == 422  # kept as a draft, not sent
    assert all_notices(app) == 0


def test_a_deactivated_officer_is_not_told(app, world):
    with app.app_context():
        db.session.get(User, world["district_x"]).active = False
        db.session.commit()
        db.session.remove()
    submitted_assessment(app, world)
    assert all_notices(app) == 0


def test_someone_else_s_notice_is_a_404_and_reading_all_marks_only_one_s_own(
        app, client, auth, world):
    submitted_assessment(app, world)
    with app.app_context():
        notice_id = db.session.scalar(select(Notice.id))
        db.session.remove()
    auth.login("district_y")
    assert client.get(f"/inbox/{notice_id}").status_code == 404
    assert client.post("/inbox/read").status_code == 302
    auth.logout()
    auth.login("district_x")
    for page in ("/review/", "/account"):  # on every page's header
        assert unread_badge(client.get(page).get_data(as_text=True)) == 1, page
    done = client.post("/inbox/read", follow_redirects=True).get_data(as_text=True)
    assert "ทำเครื่องหมายว่าอ่านแล้ว 1 รายการ" in done and unread_badge(done) == 0


def test_the_inbox_needs_a_login_and_reads_in_english(app, client, auth, world):
    assert client.get("/inbox").status_code in (302, 401)
    submitted_assessment(app, world)
    auth.login("district_x")
    client.post("/lang/en")
    page = client.get("/inbox").get_data(as_text=True)
    assert "sent its round 1/2570 assessment for review" in page


def test_the_inbox_goes_back_a_page_at_a_time(app, client, auth, world):
    from korch_pwa.domain.limits import NOTICES_PAGE

    with app.app_context():
        for n in range(NOTICES_PAGE + 5):
            db.session.add(Notice(user_id=world["member_a"], key=f"k{n}",
                                  event="assessment_approved", link="/",
                                  params={"subdistrict": "520101", "number": 1, "year": n}))
        db.session.commit()
        db.session.remove()
    auth.login("member_a")
    first = client.get("/inbox").get_data(as_text=True)
    assert first.count('href="/inbox/') == NOTICES_PAGE
    older = re.search(r'href="(/inbox\?before=\d+)"', first).group(1)
    second = client.get(older).get_data(as_text=True)
    assert second.count('href="/inbox/') == 5 and "ข้อความก่อนหน้า" not in second
