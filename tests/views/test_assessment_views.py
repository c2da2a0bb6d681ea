"""The committee's assessment form through the test client."""

from korch_pwa.assessment.models import Assessment
from korch_pwa.extensions import db
from tests.helpers import full_form


def url(world, code="520101"):
    return f"/assessment/{code}/{world['round']}"


def stored(app, code="520101"):
    with app.app_context():
        a = db.session.query(Assessment).filter_by(subdistrict_code=code).one_or_none()
        return a and (a.status, a.version, {x.indicator_code: x.score for x in a.answers})


def test_member_lands_on_own_form(client, auth, world):
    auth.login("member_a")
    response = client.get("/assessment/")
    assert response.location.endswith(url(world))
    page = client.get(url(world))
    assert page.status_code == 200
    assert "เวียงเหนือ" in page.text and page.text.count('type="radio"') == 23 * 4
    assert "ร่างเกณฑ์" in page.text and "24 พฤศจิกายน 2569" in page.text


def test_save_draft_then_submit(app, client, auth, world):
    auth.login("member_a")
    response = client.post(url(world), data=full_form(score=2))
    assert response.status_code == 302
    status, version, answers = stored(app)
    assert status == "draft" and len(answers) == 23 and set(answers.values()) == {2}
    base = {code: (2, "") for code in answers}
    response = client.post(url(world), data=full_form(version, 2, "submit", base=base))
    assert response.status_code == 302
    assert stored(app)[0] == "submitted"
    page = client.get(url(world)).text
    assert "ส่งแล้ว รอตรวจ" in page and "disabled" in page


def test_submit_incomplete_saves_a_draft_and_names_what_is_missing(app, client, auth, world):
    auth.login("member_a")
    data = full_form(score=1, action="submit")
    data["score-5.4"] = ""
    data["note-1.1"] = "มีคำสั่งแต่งตั้งแล้ว"
    response = client.post(url(world), data=data)
    assert response.status_code == 422
    assert "บันทึกคำตอบเป็นร่างไว้แล้ว แต่ยังส่งให้อำเภอไม่ได้" in response.text
    assert "ยังไม่ได้ตอบตัวชี้วัด 5.4" in response.text
    assert "มีคำสั่งแต่งตั้งแล้ว" in response.text
    status, version, answers = stored(app)
    assert status == "draft" and version == 2 and len(answers) == 22 and "5.4" not in answers
    assert 'name="version" value="2"' in response.text
    # The page's base is now what is stored: answering 5.4 sends it without a clash.
    base = {code: (1, "มีคำสั่งแต่งตั้งแล้ว" if code == "1.1" else "") for code in answers}
    data = full_form(version, 1, "submit", base=base, **{"note-1.1": "มีคำสั่งแต่งตั้งแล้ว"})
    assert client.post(url(world), data=data).status_code == 302
    assert stored(app)[0] == "submitted"


def test_score_outside_rubric_is_refused(app, client, auth, world):
    auth.login("member_a")
    response = client.post(url(world), data=full_form(score=7))
    assert response.status_code == 422 and "ไม่อยู่ในเกณฑ์" in response.text
    assert stored(app) is None


def test_two_members_clash_is_shown_not_dropped(app, client, auth, world):
    auth.login("member_a")
    client.post(url(world), data=full_form(score=2))
    auth.logout()
    auth.login("member_a2")
    # member_a2 opened the page when it was empty and chose 3 everywhere.
    response = client.post(url(world), data=full_form(version=0, score=3))
    assert response.status_code == 409
    assert "กรุณาเลือกค่าที่ถูกต้อง" in response.text
    assert response.text.count('class="indicator conflict"') == 23
    assert set(stored(app)[2].values()) == {2}


def test_officer_of_subdistrict_can_fill(app, client, auth, world):
    auth.login("tambon")
    assert client.post(url(world, "520103"), data=full_form(score=1)).status_code == 302
    assert stored(app, "520103")[0] == "draft"


def test_submitted_cannot_be_changed(app, client, auth, world):
    auth.login("member_a")
    client.post(url(world), data=full_form(score=3, action="submit"))
    response = client.post(url(world), data=full_form(version=3, score=0))
    assert response.status_code == 409 and "แก้ไขไม่ได้" in response.text
    assert set(stored(app)[2].values()) == {3}


def test_unknown_round_or_area_is_404(client, auth, world):
    auth.login("department")
    assert client.get("/assessment/520101/9999").status_code == 404
    assert client.get(f"/assessment/5201/{world['round']}").status_code == 404


def test_officer_list_of_subdistricts(client, auth, world):
    auth.login("tambon")
    page = client.get("/assessment/")
    assert page.status_code == 200
    assert "เวียงเหนือ" in page.text and "ยังไม่เริ่ม" in page.text
