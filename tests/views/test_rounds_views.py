"""Rounds and the province's due date through the test client."""

from korch_pwa.assessment.models import Round
from korch_pwa.extensions import db


def rounds(app):
    with app.app_context():
        return {(r.fiscal_year, r.number): (r.department_due.isoformat(),
                {d.province_code: d.due.isoformat() for d in r.deadlines})
                for r in db.session.query(Round)}


def test_department_creates_a_round_with_be_date(app, client, auth, world):
    auth.login("department")
    assert "2570" in client.get("/rounds/").text
    response = client.post("/rounds/", data={"fiscal_year": "2571", "number": "1",
                                              "department_due": "๓๐/๑๑/๒๕๗๐"})
    assert response.status_code == 302
    assert rounds(app)[(2571, 1)] == ("2027-11-30", {})


def test_bad_round_keeps_input_and_changes_nothing(app, client, auth, world):
    auth.login("department")
    before = rounds(app)
    response = client.post("/rounds/", data={"fiscal_year": "2571", "number": "1",
                                             "department_due": "30/11/2027"})
    assert response.status_code == 422 and "พ.ศ." in response.text
    assert 'value="30/11/2027"' in response.text
    response = client.post("/rounds/", data={"fiscal_year": "2570", "number": "1",
                                             "department_due": "30/11/2569"})
    assert response.status_code == 422 and "มีครั้งที่ 1 ของปีงบประมาณ 2570 แล้ว" in response.text
    response = client.post("/rounds/", data={"fiscal_year": "2571", "number": "2",
                                             "department_due": "1/10/2571"})
    assert response.status_code == 422 and "ต้องอยู่ในปีงบประมาณ 2571" in response.text
    assert rounds(app) == before


def test_province_sets_its_earlier_date_only(app, client, auth, world):
    auth.login("province")
    url = f"/rounds/{world['round2']}/province-due"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"due": "29/6/2570"})
    assert response.status_code == 422 and "ไม่ช้ากว่าของกรม" in response.text
    assert rounds(app)[(2570, 2)][1] == {"52": "2027-06-24"}
    assert client.post(url, data={"due": "20/6/2570"}).status_code == 302
    assert rounds(app)[(2570, 2)][1] == {"52": "2027-06-20"}
    assert "20 มิถุนายน 2570" in client.get("/rounds/").text


def test_who_may_do_what(client, auth, world):
    data = {"fiscal_year": "2571", "number": "1", "department_due": "30/11/2570"}
    for user in ("district_x", "province"):
        auth.login(user)
        assert client.post("/rounds/", data=data).status_code == 403
        auth.logout()
    auth.login("department")
    assert client.get(f"/rounds/{world['round']}/province-due").status_code == 403
    auth.logout()
    auth.login("member_a")
    assert client.get("/rounds/").status_code == 403
    auth.logout()
    auth.login("province")
    assert client.get("/rounds/9999/province-due").status_code == 404


def test_rule_messages_follow_the_language(client, auth, world):
    auth.login("province")
    client.post("/lang/en")
    response = client.post(f"/rounds/{world['round2']}/province-due", data={"due": "29/6/2570"})
    assert response.status_code == 422
    assert "not be later than the Department" in response.text and "28 Jun 2570 BE" in response.text
