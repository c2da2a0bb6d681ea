"""Each request reads the person with one light query; the account loads on demand."""

from korch_pwa.auth.models import User
from korch_pwa.auth.session_user import SessionUser, person
from korch_pwa.extensions import db


def test_person_holds_role_areas_and_state(app, world):
    with app.app_context():
        tambon = person(world["tambon"])
        assert isinstance(tambon, SessionUser)
        assert (tambon.username, tambon.role) == ("tambon", "subdistrict_officer")
        assert tambon.scope_codes == ["520101", "520103"] and tambon.is_active
        assert tambon.covers("520103") and not tambon.covers("520102")
        assert person(world["department"]).scope_codes == []
        assert person(999999) is None


def test_anything_else_comes_from_the_stored_account(app, world):
    with app.app_context():
        tambon = person(world["tambon"])
        assert tambon.position == db.session.get(User, world["tambon"]).position
        assert tambon.record is db.session.get(User, world["tambon"])


def test_the_language_chosen_is_kept_on_the_account(app, client, auth, world):
    auth.login("member_a")
    assert client.post("/lang/en").status_code == 302
    with app.app_context():
        assert db.session.get(User, world["member_a"]).locale == "en"
        db.session.remove()
