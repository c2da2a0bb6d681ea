"""Logout, a new password and deactivation end every earlier session of the person."""

from korch_pwa.auth.models import User, parse_session_id, session_id
from korch_pwa.extensions import db
from tests.conftest import PASSWORD


def login(app, username):
    """Return a new client (its own cookie jar) logged in as ``username``."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def change_member_a(app, change):
    """Apply ``change`` to member_a's account and commit, outside any request."""
    with app.app_context():
        change(db.session.scalar(db.select(User).where(User.username == "member_a")))
        db.session.commit()


def copy_of(client, app):
    """Return another client holding a copy of this client's session cookie."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value)
    return other


def test_session_id_carries_the_epoch():
    """``<id>:<epoch>``; a bare id from an older cookie is epoch 0; junk is no one."""
    assert session_id(7, 3) == "7:3"
    assert parse_session_id("7:3") == (7, 3)
    assert parse_session_id("7") == (7, 0)
    for junk in ("", "x", "7:x", ":3", "7:3:1", "-1"):
        assert parse_session_id(junk) is None


def test_a_cookie_saved_before_logout_no_longer_works(app, world):
    """The copy kept from before the logout gets 401 from the API and the login page."""
    client = login(app, "member_a")
    saved = copy_of(client, app)
    assert saved.get("/api/v1/me").status_code == 200
    client.post("/logout")
    assert saved.get("/api/v1/me").status_code == 401
    page = saved.get(f"/assessment/520101/{world['round']}")
    assert page.status_code == 302 and "/login" in page.location


def test_logout_ends_the_persons_sessions_on_every_phone(app, world):
    """Logging out on one phone logs the same person out on another; others stay."""
    phone, laptop = login(app, "district_x"), login(app, "district_x")
    neighbour = login(app, "member_a")
    phone.post("/logout")
    assert laptop.get("/api/v1/me").status_code == 401
    assert neighbour.get("/api/v1/me").status_code == 200
    again = login(app, "district_x")
    assert again.get("/api/v1/me").status_code == 200


def test_a_new_password_ends_earlier_sessions(app, world):
    """Changing the password (here as the CLI does) ends the sessions made before."""
    client = login(app, "member_a")
    change_member_a(app, lambda user: user.set_password("a-new-password-1"))
    assert client.get("/api/v1/me").status_code == 401


def test_deactivation_ends_sessions_at_once(app, world):
    """A deactivated person's open session stops working on the next request."""
    client = login(app, "member_a")
    change_member_a(app, lambda user: user.deactivate())
    assert client.get("/api/v1/me").status_code == 401


def test_an_inactive_account_with_a_current_epoch_is_refused(app, world):
    """Even if only ``active`` was switched off (e.g. in SQL), the session stops."""
    client = login(app, "member_a")
    change_member_a(app, lambda user: setattr(user, "active", False))
    assert client.get("/api/v1/me").status_code == 401
