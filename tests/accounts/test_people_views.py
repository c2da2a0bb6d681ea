"""Officers manage accounts of their area; people activate theirs with a one-time code."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from korch_pwa.accounts.models import AccountCode, AuditEvent
from korch_pwa.auth.models import User
from korch_pwa.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "ช้างเผือกบินข้ามดอย"
CODE = re.compile(r'id="slip-code">([0-9]{4}) ([0-9]{4})<')


def user_named(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def events(app, action=None):
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = db.session.scalars(query).unique().all()
        return [(e.action, e.actor.username if e.actor else None,
                 e.subject.username if e.subject else None, e.area_code, e.details) for e in rows]


def create(client, **fields):
    data = {"full_name": "นางสาวมะลิ ใจงาม", "position": "กรรมการ", "role": "member",
            "areas": "520101", "username": ""}
    data.update(fields)
    return client.post("/people/new", data=data)


def shown_code(client, response):
    """Follow the redirect to the page that shows the code once; return the code."""
    assert response.status_code == 302 and response.location.endswith("/code")
    page = client.get(response.location)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    match = CODE.search(page.get_data(as_text=True))
    return match.group(1) + match.group(2)


def activate(client, username, code, password=NEW_PASSWORD):
    return client.post("/activate", data={"username": username, "code": code,
                                          "password": password, "confirm": password})


# ------------------------------------------------------------------ the list


def test_an_officer_lists_only_the_accounts_below_them_in_their_area(client, auth, world):
    auth.login("district_x")
    page = client.get("/people").get_data(as_text=True)
    for inside in ("member_a", "member_a2", "member_b", "tambon"):
        assert f">{inside}<" in page
    for outside in ("member_y", "district_x", "district_y", "province", "department"):
        assert f">{outside}<" not in page


def test_the_province_sees_its_districts_and_the_department_its_provinces(client, auth, world):
    auth.login("province")
    page = client.get("/people").get_data(as_text=True)
    assert ">district_x<" in page and ">district_y<" in page and ">member_y<" in page
    assert ">province<" not in page and ">department<" not in page
    auth.logout()
    auth.login("department")
    page = client.get("/people?role=province_officer").get_data(as_text=True)
    assert ">province<" in page and ">district_x<" not in page


def test_filters_search_role_area_and_never_logged_in(client, auth, world):
    auth.login("member_a")
    auth.logout()
    auth.login("province")
    assert ">member_a2<" in client.get("/people?q=A2").get_data(as_text=True)
    page = client.get("/people?area=520102").get_data(as_text=True)
    assert ">member_b<" in page and ">member_a<" not in page
    page = client.get("/people?state=never&role=member").get_data(as_text=True)
    assert ">member_a2<" in page and ">member_a<" not in page
    # Junk in a filter is ignored, not an error.
    assert client.get("/people?area=5%00&role=root&state=x&page=-3").status_code == 200


@pytest.mark.parametrize("who", ["member_a", "tambon"])
def test_members_and_subdistrict_officers_manage_nobody(client, auth, world, who):
    auth.login(who)
    assert client.get("/people").status_code == 403
    assert create(client).status_code == 403
    assert client.get(f"/people/{world['member_a2']}").status_code == 403


def test_an_account_outside_the_area_or_above_is_not_found(client, auth, world):
    auth.login("district_x")
    for other in ("member_y", "district_y", "province", "department", "district_x"):
        assert client.get(f"/people/{world[other]}").status_code == 404, other
        assert client.post(f"/people/{world[other]}/deactivate").status_code == 404, other
        assert client.post(f"/people/{world[other]}/code").status_code == 404, other
        assert client.get(f"/people/{world[other]}/edit").status_code == 404, other
    assert client.get("/people/999999").status_code == 404
    assert user_named(client.application, "member_y").active


# ------------------------------------------------------------------ create, edit


def test_a_new_account_gets_a_username_from_its_area_and_a_code_shown_once(client, auth, world):
    auth.login("district_x")
    first = create(client)
    code = shown_code(client, first)
    second = create(client, full_name="นายสมศักดิ์ มั่นคง")
    shown_code(client, second)
    app = client.application
    assert user_named(app, "520101-01").full_name == "นางสาวมะลิ ใจงาม"
    assert user_named(app, "520101-02").role == "member"
    # The code is not shown again, and is stored only as a hash.
    again = client.get(first.location.replace("520101-02", "520101-01"))
    assert again.status_code == 302
    with app.app_context():
        stored = db.session.scalars(select(AccountCode.code_hash)).all()
    assert code not in " ".join(stored) and len(stored) == 2
    assert [e[0] for e in events(app)][-4:] == ["created", "code_issued"] * 2
    # Nobody can log in with no password set.
    auth.logout()
    assert auth.login("520101-01", "").status_code == 422
    assert auth.login("520101-01", "!").status_code == 422


def test_a_chosen_username_is_kept_lower_case_and_must_be_free(client, auth, world):
    auth.login("province")
    response = create(client, role="district_officer", areas="5202", username="Lp.Ngao ")
    assert response.status_code == 302
    assert user_named(client.application, "lp.ngao").role == "district_officer"
    taken = create(client, role="district_officer", areas="5202", username="MEMBER_A")
    assert taken.status_code == 409
    assert "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว" in taken.get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"role": "district_officer", "areas": "5201"}, "กรุณาเลือกจากตัวเลือกที่มีให้"),
    ({"role": "admin"}, "กรุณาเลือกจากตัวเลือกที่มีให้"),
    ({"areas": "520201"}, "นอกพื้นที่"),
    ({"areas": "520101 520102"}, "พื้นที่ไม่ตรงกับบทบาท"),
    ({"areas": "5201"}, "พื้นที่ไม่ตรงกับบทบาท"),
    ({"areas": "520199"}, "ไม่พบรหัสพื้นที่ 520199"),
    ({"areas": ""}, "พื้นที่ไม่ตรงกับบทบาท"),
    ({"full_name": "  "}, "กรุณากรอกชื่อ-นามสกุล"),
    ({"username": "สมชาย"}, "ชื่อผู้ใช้ใช้ได้เฉพาะ"),
])
def test_a_refused_account_says_why_keeps_what_was_typed_and_stores_nothing(
        client, auth, world, fields, message):
    auth.login("district_x")
    before = events(client.application)
    response = create(client, full_name=fields.get("full_name", "นายทองดี มีสุข"),
                      **{k: v for k, v in fields.items() if k != "full_name"})
    page = response.get_data(as_text=True)
    assert response.status_code in (409, 422) and message in page
    if fields.get("areas"):
        assert f'value="{fields["areas"]}"' in page
    assert events(client.application) == before
    assert user_named(client.application, "520101-01") is None


def test_editing_role_and_areas_ends_the_persons_sessions_and_is_audited(app, world):
    officer, member = app.test_client(), app.test_client()
    member.post("/login", data={"username": "tambon", "password": PASSWORD})
    assert member.get("/register/").status_code == 200
    officer.post("/login", data={"username": "district_x", "password": PASSWORD})
    response = officer.post(f"/people/{world['tambon']}/edit", data={
        "full_name": "คุณ tambon", "position": "", "role": "subdistrict_officer",
        "areas": "520101"})
    assert response.status_code == 302
    assert member.get("/register/").status_code == 302  # logged out everywhere
    (changed,) = events(app, "changed")
    assert changed[:4] == ("changed", "district_x", "tambon", "520101")
    assert changed[4] == {"areas": [["520101", "520103"], ["520101"]]}


def test_a_province_may_not_lift_a_district_officer_to_its_own_rank(client, auth, world):
    auth.login("province")
    response = client.post(f"/people/{world['district_x']}/edit", data={
        "full_name": "x", "position": "", "role": "province_officer", "areas": "52"})
    assert response.status_code == 422
    assert user_named(client.application, "district_x").role == "district_officer"


# ------------------------------------------------------------------ stop and restart


def test_deactivating_ends_every_session_at_once_and_reactivating_lets_back_in(app, world):
    officer, phone = app.test_client(), app.test_client()
    phone.post("/login", data={"username": "member_a", "password": PASSWORD})
    assert phone.get("/account").status_code == 200
    officer.post("/login", data={"username": "district_x", "password": PASSWORD})
    assert officer.post(f"/people/{world['member_a']}/deactivate").status_code == 302
    assert phone.get("/account").status_code == 302
    assert phone.post("/api/v1/sync", json={"items": []}).status_code == 401
    refused = phone.post("/login", data={"username": "member_a", "password": PASSWORD})
    assert "บัญชีนี้ถูกระงับ" in refused.get_data(as_text=True)
    assert officer.post(f"/people/{world['member_a']}/reactivate").status_code == 302
    assert phone.post("/login", data={"username": "member_a",
                                      "password": PASSWORD}).status_code == 302
    actions = [e[0] for e in events(app) if e[2] == "member_a"]
    assert actions == ["login", "deactivated", "login_failed", "reactivated", "login"]


# ------------------------------------------------------------------ codes


def test_a_member_activates_with_the_code_once_and_is_logged_in(client, auth, world):
    auth.login("district_x")
    code = shown_code(client, create(client))
    auth.logout()
    response = activate(client, "520101-01", f"{code[:4]} {code[4:]}")
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    auth.logout()
    assert activate(client, "520101-01", code, "อีกรหัสหนึ่งที่ยาวพอ").status_code == 422
    assert auth.login("520101-01", NEW_PASSWORD).status_code == 302
    app = client.application
    assert [e[0] for e in events(app) if e[2] == "520101-01"] == [
        "created", "code_issued", "password_set", "login", "login"]
    assert user_named(app, "520101-01").last_login_at is not None


def test_a_new_code_stops_the_old_one_and_resets_a_forgotten_password(client, auth, world):
    auth.login("member_a")  # has logged in before: a new code is a reset
    auth.logout()
    auth.login("district_x")
    old = shown_code(client, client.post(f"/people/{world['member_a']}/code"))
    new = shown_code(client, client.post(f"/people/{world['member_a']}/code"))
    auth.logout()
    assert activate(client, "member_a", old).status_code == 422
    assert activate(client, "member_a", new).status_code == 302
    auth.logout()
    assert auth.login("member_a", PASSWORD).status_code == 422
    assert auth.login("member_a", NEW_PASSWORD).status_code == 302
    assert [e[0] for e in events(client.application) if e[2] == "member_a"] == [
        "login", "code_issued", "code_issued", "password_reset", "login", "login_failed",
        "login"]


def test_an_expired_code_does_not_work(client, auth, world):
    auth.login("district_x")
    code = shown_code(client, client.post(f"/people/{world['member_a']}/code"))
    auth.logout()
    with client.application.app_context():
        db.session.execute(update(AccountCode).values(
            expires_at=AccountCode.issued_at - timedelta(seconds=1)))
        db.session.commit()
    response = activate(client, "member_a", code)
    assert response.status_code == 422
    assert "หมดอายุ" in response.get_data(as_text=True)
    assert auth.login("member_a", PASSWORD).status_code == 302


def test_a_weak_password_is_refused_and_the_code_still_works(client, auth, world):
    auth.login("district_x")
    code = shown_code(client, client.post(f"/people/{world['member_a']}/code"))
    auth.logout()
    weak = activate(client, "member_a", code, "12345678")
    assert weak.status_code == 422 and "เดาได้ง่าย" in weak.get_data(as_text=True)
    mismatch = client.post("/activate", data={"username": "member_a", "code": code,
                                              "password": NEW_PASSWORD, "confirm": "x"})
    assert "ไม่ตรงกัน" in mismatch.get_data(as_text=True)
    assert activate(client, "member_a", code).status_code == 302


def test_guessing_codes_is_throttled(app, client, world):
    app.config["RATELIMIT_ENABLED"] = True
    statuses = [activate(client, "member_a", f"{n:08d}").status_code for n in range(6)]
    assert statuses == [422] * 5 + [429]
    last = activate(client, "member_a", "00000099")
    assert last.status_code == 429 and last.headers["Retry-After"]
    assert "กรุณารอ" in last.get_data(as_text=True)


def test_a_deactivated_account_cannot_be_activated_or_given_a_code(client, auth, world):
    auth.login("district_x")
    code = shown_code(client, client.post(f"/people/{world['member_a']}/code"))
    client.post(f"/people/{world['member_a']}/deactivate")
    refused = client.post(f"/people/{world['member_a']}/code", follow_redirects=True)
    assert "กรุณาเปิดใช้บัญชีก่อน" in refused.get_data(as_text=True)
    auth.logout()
    assert activate(client, "member_a", code).status_code == 422


# ------------------------------------------------------------------ own password


def test_changing_ones_password_ends_other_sessions_but_not_this_one(app, world):
    phone, laptop = app.test_client(), app.test_client()
    for c in (phone, laptop):
        c.post("/login", data={"username": "member_a", "password": PASSWORD})
    wrong = phone.post("/account/password", data={"current": "nope", "password": NEW_PASSWORD,
                                                  "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422 and "รหัสผ่านปัจจุบันไม่ถูกต้อง" in wrong.get_data(as_text=True)
    ok = phone.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})
    assert ok.status_code == 302
    assert phone.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 302
    assert [e[0] for e in events(app, "password_changed")] == ["password_changed"]


def test_my_account_page_shows_what_the_system_holds(client, auth, world):
    auth.login("member_a")
    page = client.get("/account").get_data(as_text=True)
    assert "member_a" in page and "520101" in page and "กรรมการ ศอช.ต." in page


# ------------------------------------------------------------------ the audit log


def test_the_log_shows_each_officer_their_area_and_the_department_everything(
        client, auth, world):
    auth.login("member_y")
    auth.logout()
    auth.login("member_a")
    auth.logout()
    client.post("/login", data={"username": "nobody-here", "password": "x"})
    auth.login("district_x")
    page = client.get("/people/log").get_data(as_text=True)
    assert ">member_a<" in page and ">member_y<" not in page and "nobody-here" not in page
    auth.logout()
    auth.login("department")
    page = client.get("/people/log").get_data(as_text=True)
    assert ">member_a<" in page and ">member_y<" in page and "nobody-here" in page
    assert "login_failed" not in client.get("/people/log?action=login").get_data(as_text=True)


def test_the_export_log_is_shown_by_area(client, auth, world):
    auth.login("district_x")
    assert client.get("/register/export.xlsx?area=5201").status_code == 200
    page = client.get("/people/log/exports").get_data(as_text=True)
    assert "district_x" in page
    auth.logout()
    auth.login("district_y")
    assert "district_x" not in client.get("/people/log/exports").get_data(as_text=True)


def test_the_database_refuses_to_change_or_delete_the_log(app, client, auth, world):
    auth.login("member_a")
    with app.app_context():
        for sql in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
            with pytest.raises(Exception, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text(sql))
        assert db.session.scalar(select(AuditEvent.action)) == "login"
