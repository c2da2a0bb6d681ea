"""The progress report up the chain: a district sends it, the province returns or accepts,
and the province's own report is the sum of what it accepted plus its own committee."""

import pytest
from sqlalchemy import select

from korch_pwa.chain import progress
from korch_pwa.chain.models import Dispatch, DueItem
from korch_pwa.domain.progress_report import add_counts, progress_counts
from korch_pwa.extensions import db
from korch_pwa.reports import services as reports
from korch_pwa.reports.models import DistrictReport
from tests.report_rows import store_fixture
from tests.views.test_report_views import TYPED


@pytest.fixture
def data(app, world):
    with app.app_context():
        store_fixture(world)
    return world


def item_id(app):
    with app.app_context():
        found = db.session.scalar(select(DueItem.id).where(DueItem.kind == "progress_report"))
        db.session.remove()
    return found


def sendings(app):
    with app.app_context():
        rows = db.session.execute(select(Dispatch.area_code, Dispatch.state, Dispatch.version)
                                  .order_by(Dispatch.area_code)).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def submit(client, auth, district, typed=TYPED):
    auth.login(district)
    response = client.post(f"/dashboard/report/{district_code(district)}/2570",
                           data={**typed, "action": "submit"})
    auth.logout()
    return response


def district_code(username):
    return {"district_x": "5201", "district_y": "5202"}[username]


def test_a_returned_report_can_be_corrected_and_sent_again(app, client, auth, data):
    assert submit(client, auth, "district_x").status_code == 302
    assert sendings(app) == [("5201", "sent", 1)]
    item = item_id(app)
    auth.login("province")
    listing = client.get(f"/due/item/{item}").get_data(as_text=True)
    assert 'id="sender-5201"' in listing and "ส่งแล้ว รอตรวจ" in listing
    page = client.get(f"/due/item/{item}/5201").get_data(as_text=True)
    assert "กรรมการบางตำบลย้ายที่อยู่ 3 คน" in page  # the sent texts, frozen
    assert client.post(f"/due/item/{item}/5201/decide", data={
        "act": "return", "comment": "ข้อ (๓) ยังไม่นับการประชุมเดือนกันยายน",
        "version": "1"}).status_code == 302
    auth.logout()
    auth.login("district_x")
    page = client.get("/dashboard/report/5201/2570").get_data(as_text=True)
    assert 'id="returned"' in page and "ยังไม่นับการประชุมเดือนกันยายน" in page
    assert 'id="report-form"' in page  # the district's to correct again
    auth.logout()
    fixed = {**TYPED, "problems": "แก้ไขแล้ว: กรรมการย้ายที่อยู่ 3 คน"}
    assert submit(client, auth, "district_x", fixed).status_code == 302
    assert sendings(app) == [("5201", "sent", 3)]
    auth.login("province")
    assert client.post(f"/due/item/{item}/5201/decide", data={
        "act": "accept", "comment": "", "version": "3"}).status_code == 302
    assert sendings(app) == [("5201", "accepted", 4)]
    auth.logout()
    auth.login("district_x")
    page = client.get("/dashboard/report/5201/2570").get_data(as_text=True)
    assert 'id="accepted"' in page and 'id="report-form"' not in page
    # Accepted is final: the report cannot be saved over.
    refused = client.post("/dashboard/report/5201/2570", data={**TYPED, "action": "save"})
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(DistrictReport.problems)) == fixed["problems"]
        db.session.remove()


def test_the_province_report_is_its_accepted_districts_plus_its_own_committee(
        app, client, auth, data):
    submit(client, auth, "district_x")
    submit(client, auth, "district_y")
    item = item_id(app)
    auth.login("province")
    client.post(f"/due/item/{item}/5201/decide",
                data={"act": "accept", "comment": "", "version": "1"})
    # 5202 sent too but is not accepted: not in the province's sum.
    with app.app_context():
        accepted = db.session.scalar(select(DistrictReport.counts).where(
            DistrictReport.district_code == "5201"))
        committees, _a, _s = reports.progress_data("52", 2570)
        own = progress_counts(2570, [c for c in committees if c["area_code"] == "52"], [], [])
        expected = add_counts([own, accepted])
        counts, codes, districts = progress.province_counts("52", 2570)
        db.session.remove()
    assert counts == expected and codes == ["5201"] and len(districts) == 13
    page = client.get("/dashboard/report/52/2570").get_data(as_text=True)
    assert "รวมจากรายงานของอำเภอที่จังหวัดรับแล้ว 1 จาก 13 อำเภอ" in page
    assert (f'id="register-subdistrict">จำนวน <strong>'
            f'{expected["register"]["subdistrict"]["areas"]}</strong>') in page
    # The province sends its sum to the department, which accepts it.
    assert client.post(f"/due/item/{item}/52/send").status_code == 302
    with app.app_context():
        sent = db.session.scalar(select(Dispatch.snapshot).where(Dispatch.area_code == "52"))
        db.session.remove()
    assert sent["counts"] == expected and sent["accepted"] == ["5201"]
    auth.logout()
    auth.login("department")
    assert client.post(f"/due/item/{item}/52/decide", data={
        "act": "accept", "comment": "", "version": "1"}).status_code == 302
    assert ("52", "accepted", 2) in sendings(app)


def test_the_province_sums_nothing_it_has_not_accepted(app, client, auth, data):
    submit(client, auth, "district_x")
    with app.app_context():
        counts, codes, _districts = progress.province_counts("52", 2570)
        live = reports.live_counts("5201", 2570)
        db.session.remove()
    assert codes == []
    assert counts["register"]["subdistrict"]["areas"] == 0 < live["register"]["subdistrict"][
        "areas"]
