"""Login, logout, language."""

from tests.conftest import PASSWORD


def test_login_page_is_thai(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "เข้าสู่ระบบ" in response.text and 'lang="th"' in response.text


def test_pages_need_login(client, world):
    response = client.get("/assessment/")
    assert response.status_code == 302 and "/login" in response.location


def test_login_and_home_by_role(client, auth, world):
    assert auth.login("member_a").status_code == 302
    assert client.get("/").location.endswith("/assessment/")
    auth.logout()
    auth.login("district_x")
    assert client.get("/").location.endswith("/review/")


def test_wrong_password_shows_thai_error_and_keeps_username(client, world):
    response = client.post("/login", data={"username": "member_a", "password": "nope"})
    assert response.status_code == 422
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.text
    assert 'value="member_a"' in response.text


def test_empty_fields(client, world):
    response = client.post("/login", data={})
    assert response.status_code == 422 and "กรุณากรอกชื่อผู้ใช้" in response.text


def test_inactive_account_refused(app, client, world):
    from korch_pwa.auth.models import User
    from korch_pwa.extensions import db

    with app.app_context():
        db.session.get(User, world["member_b"]).active = False
        db.session.commit()
    response = client.post("/login", data={"username": "member_b", "password": PASSWORD})
    assert response.status_code == 422 and "ระงับ" in response.text


def test_next_only_follows_local_paths(client, world):
    data = {"username": "member_a", "password": PASSWORD}
    assert client.post("/login?next=https://evil.example/", data=data).location == "/"
    client.post("/logout")
    assert client.post("/login?next=/about", data=data).location == "/about"


def test_logout_is_post_only(client, auth, world):
    auth.login("member_a")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/assessment/").status_code == 302


def test_switch_to_english_and_back(client, auth, world):
    client.post("/lang/en")
    assert 'lang="en"' in client.get("/login").text
    auth.login("member_a")
    client.post("/lang/th")
    assert 'lang="th"' in client.get("/about").text


def test_about_attributes_the_data(client):
    response = client.get("/about")
    assert response.status_code == 200
    assert "geothai" in response.text and "CC-BY-4.0" in response.text
