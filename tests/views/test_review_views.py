"""The district officer's review through the test client."""

import pytest

from korch_pwa.assessment.models import Assessment
from korch_pwa.extensions import db
from tests.helpers import full_form


@pytest.fixture
def submitted(app, client, auth, world):
    """520101's assessment submitted by its member; returns its id and version."""
    auth.login("member_a")
    client.post(f"/assessment/520101/{world['round']}", data=full_form(score=3, action="submit"))
    auth.logout()
    with app.app_context():
        a = db.session.query(Assessment).filter_by(subdistrict_code="520101").one()
        return a.id, a.version


def status_of(app, assessment_id):
    with app.app_context():
        return db.session.get(Assessment, assessment_id).status


def test_district_list_shows_every_subdistrict_with_status(client, auth, submitted):
    auth.login("district_x")
    page = client.get("/review/")
    assert page.status_code == 200
    assert "เวียงเหนือ" in page.text and "ส่งแล้ว รอตรวจ" in page.text
    assert page.text.count("ยังไม่เริ่ม") >= 5


def test_province_officer_drills_down_by_district(client, auth, submitted):
    auth.login("province")
    page = client.get("/review/")
    assert "เมืองลำปาง" in page.text and "/review/?area=5201" in page.text
    assert "เวียงเหนือ" in client.get("/review/?area=5201").text


def test_approve(app, client, auth, submitted):
    assessment_id, version = submitted
    auth.login("district_x")
    page = client.get(f"/review/{assessment_id}")
    assert page.status_code == 200 and "ยืนยันผลการตรวจ" in page.text
    response = client.post(f"/review/{assessment_id}/decide",
                           data={"version": version, "decision": "approve"})
    assert response.status_code == 302
    assert status_of(app, assessment_id) == "approved"
    history = client.get(f"/review/{assessment_id}").text
    assert "อนุมัติ" in history


def test_return_with_indicator_comment_reaches_the_committee(app, client, auth, world,
                                                            submitted):
    assessment_id, version = submitted
    auth.login("district_x")
    response = client.post(f"/review/{assessment_id}/decide", data={
        "version": version, "decision": "return", "comment-1.3": "ขอแผนปฏิบัติการฉบับจริง"})
    assert response.status_code == 302 and status_of(app, assessment_id) == "returned"
    auth.logout()
    auth.login("member_a")
    page = client.get(f"/assessment/520101/{world['round']}")
    assert "อำเภอส่งกลับให้แก้ไข" in page.text and "ขอแผนปฏิบัติการฉบับจริง" in page.text
    assert 'class="indicator commented"' in page.text


def test_return_without_any_comment_is_refused(app, client, auth, submitted):
    assessment_id, version = submitted
    auth.login("district_x")
    response = client.post(f"/review/{assessment_id}/decide",
                           data={"version": version, "decision": "return"})
    assert response.status_code == 422 and "กรุณาเขียนความเห็น" in response.text
    assert status_of(app, assessment_id) == "submitted"


def test_decision_about_an_old_version_is_refused(app, client, auth, submitted):
    assessment_id, version = submitted
    auth.login("district_x")
    response = client.post(f"/review/{assessment_id}/decide",
                           data={"version": version - 1, "decision": "approve"})
    assert response.status_code == 409 and "ฉบับล่าสุด" in response.text
    assert status_of(app, assessment_id) == "submitted"


def test_missing_decision_keeps_comments(app, client, auth, submitted):
    assessment_id, version = submitted
    auth.login("district_x")
    response = client.post(f"/review/{assessment_id}/decide",
                           data={"version": version, "comment-2.1": "ดีมาก"})
    assert response.status_code == 422 and "กรุณาเลือก" in response.text
    assert "ดีมาก</textarea>" in response.text


def test_approving_twice_is_a_clear_conflict(app, client, auth, submitted):
    assessment_id, version = submitted
    auth.login("district_x")
    client.post(f"/review/{assessment_id}/decide", data={"version": version, "decision": "approve"})
    response = client.post(f"/review/{assessment_id}/decide",
                           data={"version": version + 1, "decision": "approve"})
    assert response.status_code == 409 and status_of(app, assessment_id) == "approved"


def test_reopen_approved_until_the_province_accepts(app, client, auth, world, submitted):
    from korch_pwa.reports.models import DistrictAcceptance

    assessment_id, version = submitted
    auth.login("district_x")
    client.post(f"/review/{assessment_id}/decide", data={"version": version, "decision": "approve"})
    page = client.get(f"/review/{assessment_id}").text
    assert "เปิดให้คณะกรรมการแก้ไขอีกครั้ง" in page
    response = client.post(f"/review/{assessment_id}/decide",
                           data={"version": version + 1, "decision": "reopen"})
    assert response.status_code == 422 and status_of(app, assessment_id) == "approved"
    with app.app_context():
        db.session.add(DistrictAcceptance(round_id=world["round"], district_code="5201",
                                          accepted_by=world["province"]))
        db.session.commit()
    response = client.post(f"/review/{assessment_id}/decide", data={
        "version": version + 1, "decision": "reopen", "comment": "แก้คะแนน 1.2"})
    assert response.status_code == 409 and "จังหวัดรับผลแล้ว" in response.text
    with app.app_context():
        db.session.query(DistrictAcceptance).delete()
        db.session.commit()
    response = client.post(f"/review/{assessment_id}/decide", data={
        "version": version + 1, "decision": "reopen", "comment": "แก้คะแนน 1.2"})
    assert response.status_code == 302 and status_of(app, assessment_id) == "returned"
    auth.logout()
    auth.login("member_a")
    assert "แก้คะแนน 1.2" in client.get(f"/assessment/520101/{world['round']}").text


def test_unknown_round_in_the_picker_is_404(client, auth, world):
    auth.login("district_x")
    assert client.get("/review/?round=9999").status_code == 404
    assert client.get(f"/review/?round={world['round2']}").status_code == 200


def test_a_return_can_ask_for_better_evidence_on_an_indicator(app, client, auth, world,
                                                              submitted):
    from korch_pwa.assessment.models import IndicatorComment

    assessment_id, version = submitted
    auth.login("district_x")
    page = client.get(f"/review/{assessment_id}").text
    assert 'name="evidence-1.1"' in page
    # Asking for evidence is reason enough to return, with or without words.
    response = client.post(f"/review/{assessment_id}/decide", data={
        "version": version, "decision": "return", "evidence-2.1": "1",
        "evidence-1.1": "1", "comment-1.1": "รูปไม่ชัด"})
    assert response.status_code == 302 and status_of(app, assessment_id) == "returned"
    with app.app_context():
        rows = db.session.query(IndicatorComment.indicator_code, IndicatorComment.comment,
                                IndicatorComment.wants_evidence).all()
    assert sorted(rows) == [("1.1", "รูปไม่ชัด", True), ("2.1", "", True)]
    auth.logout()
    auth.login("member_a")
    page = client.get(f"/assessment/520101/{world['round']}").text
    assert page.count("อำเภอขอหลักฐานเพิ่มในตัวชี้วัดนี้") == 2
    assert "รูปไม่ชัด" in page


def test_a_refused_return_keeps_the_evidence_ticks(app, client, auth, submitted):
    assessment_id, version = submitted
    auth.login("district_x")
    response = client.post(f"/review/{assessment_id}/decide", data={
        "version": version + 5, "decision": "return", "evidence-1.4": "1"})
    assert response.status_code == 409
    assert 'name="evidence-1.4" value="1" checked' in response.text
