"""The year's due dates: the department sets its own, a province an earlier one."""

from datetime import date

from sqlalchemy import select

from korch_pwa.chain.models import DueItem, DueItemDeadline
from korch_pwa.extensions import db

from tests.chain.chain_data import year_items


def items(app):
    with app.app_context():
        rows = db.session.execute(select(DueItem.fiscal_year, DueItem.kind, DueItem.round_id,
                                         DueItem.department_due)
                                  .order_by(DueItem.id)).all()
        db.session.remove()
    return rows


def province_dates(app):
    with app.app_context():
        rows = db.session.execute(select(DueItemDeadline.due_item_id,
                                         DueItemDeadline.province_code,
                                         DueItemDeadline.due)).all()
        db.session.remove()
    return rows


def test_every_round_has_its_results_item_with_the_round_s_dates(app, client, auth, world):
    rounds = [r for r in items(app) if r[1] == "round_results"]
    assert {r[2] for r in rounds} >= {world["round"], world["round2"]}
    assert all(r[3] is None for r in rounds)  # the dates stay on the round
    auth.login("province")
    page = client.get("/due/2570").get_data(as_text=True)
    assert "ผลการประเมิน ศอช.ต. ครั้งที่ 1" in page and "ผลการประเมิน ศอช.ต. ครั้งที่ 2" in page
    # Lampang's own date for round 1 of 2570 (the demo's rounds) and the department's.
    assert "24 พฤศจิกายน 2569" in page and "30 พฤศจิกายน 2569" in page


def test_a_round_created_by_the_department_gets_its_item(app, client, auth, world):
    auth.login("department")
    response = client.post("/rounds/", data={"fiscal_year": "2571", "number": "1",
                                             "department_due": "30/11/2570"})
    assert response.status_code == 302
    assert [(r[0], r[1]) for r in items(app) if r[0] == 2571] == [(2571, "round_results")]


def test_the_department_sets_the_year_from_the_letters_calendar(app, client, auth, world):
    auth.login("department")
    page = client.get("/due/2570").get_data(as_text=True)
    assert 'value="30/11/2569"' in page and 'value="28/6/2570"' in page  # the defaults
    response = client.post("/due/2570", data={
        "register": "30/11/2569", "order_copies": "1/12/2569", "progress_report": "28/6/2570"})
    assert response.status_code == 302
    made = {r[1]: r[3] for r in items(app) if r[2] is None}
    assert made == {"register": date(2026, 11, 30), "order_copies": date(2026, 12, 1),
                    "progress_report": date(2027, 6, 28)}
    # Saving again moves the dates; it never makes a second item.
    client.post("/due/2570", data={
        "register": "29/11/2569", "order_copies": "1/12/2569", "progress_report": "28/6/2570"})
    made = [(r[1], r[3]) for r in items(app) if r[2] is None]
    assert len(made) == 3 and ("register", date(2026, 11, 29)) in made
    page = client.get("/due/2570").get_data(as_text=True)
    assert "ทะเบียนข้อมูลคณะกรรมการ ศอช." in page and "29 พฤศจิกายน 2569" in page


def test_a_date_outside_the_year_changes_nothing_and_what_was_typed_stays(
        app, client, auth, world):
    auth.login("department")
    response = client.post("/due/2570", data={
        "register": "30/11/2569", "order_copies": "1/12/2571", "progress_report": "31/2/2570"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="1/12/2571"' in page and 'value="31/2/2570"' in page
    assert "วันที่ไม่ถูกต้อง" in page or "ไม่มีวันที่" in page or "ไม่ถูกต้อง" in page
    response = client.post("/due/2570", data={
        "register": "30/11/2569", "order_copies": "1/12/2571", "progress_report": "28/6/2570"})
    assert response.status_code == 422
    assert "วันกำหนดส่งต้องอยู่ในปีงบประมาณ 2570" in response.get_data(as_text=True)
    assert [r for r in items(app) if r[2] is None] == []


def test_only_the_department_sets_the_year(app, client, auth, world):
    for username in ("province", "district_x", "tambon"):
        auth.login(username)
        assert client.post("/due/2570", data={
            "register": "30/11/2569", "order_copies": "30/11/2569",
            "progress_report": "28/6/2570"}).status_code == 403
        auth.logout()
    auth.login("member_a")
    assert client.get("/due/2570").status_code == 403
    assert [r for r in items(app) if r[2] is None] == []


def test_a_province_sets_an_earlier_date_never_a_later_one(app, client, auth, world):
    ids = year_items(app)
    auth.login("province")
    url = f"/due/item/{ids['register']}/province-due"
    assert 'value="24/11/2569"' in client.get(url).get_data(as_text=True)  # suggested
    later = client.post(url, data={"due": "1/12/2569"})
    assert later.status_code == 422
    assert "ต้องไม่ช้ากว่าของกรม" in later.get_data(as_text=True)
    assert province_dates(app) == []
    assert client.post(url, data={"due": "20/11/2569"}).status_code == 302
    assert client.post(url, data={"due": "21/11/2569"}).status_code == 302
    assert province_dates(app) == [(ids["register"], "52", date(2026, 11, 21))]
    page = client.get("/due/2570").get_data(as_text=True)
    assert "21 พฤศจิกายน 2569" in page
    auth.logout()
    # The province's districts read it on the same calendar; they cannot set it.
    auth.login("district_x")
    page = client.get("/due/2570").get_data(as_text=True)
    assert "21 พฤศจิกายน 2569" in page and "province-due" not in page
    assert client.post(url, data={"due": "20/11/2569"}).status_code == 403
    auth.logout()
    auth.login("department")
    assert client.post(url, data={"due": "20/11/2569"}).status_code == 403
    # The department picks a province to read its dates.
    assert "21 พฤศจิกายน 2569" in client.get("/due/2570?area=52").get_data(as_text=True)
    assert client.get("/due/2570?area=5201").status_code == 404


def test_a_round_s_province_date_is_the_round_s_own(app, client, auth, world):
    auth.login("province")
    with app.app_context():
        item_id = db.session.scalar(select(DueItem.id).where(
            DueItem.round_id == world["round2"]))
        db.session.remove()
    assert client.post(f"/due/item/{item_id}/province-due",
                       data={"due": "20/6/2570"}).status_code == 302
    page = client.get("/rounds/").get_data(as_text=True)
    assert "20 มิถุนายน 2570" in page


def test_unknown_items_and_years_are_not_found(app, client, auth, world):
    auth.login("province")
    assert client.get("/due/item/999999/province-due").status_code == 404
    assert client.get("/due/99999").status_code == 404
    assert client.get("/due/").status_code == 302
