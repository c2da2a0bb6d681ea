"""A sync starts from the person the session claims, and stores nothing the stored person may not.

``korch_pwa.auth.claims``: the sync reads the person in its own first
statement; the session's claims only save the statement that read them
before. Every change to the person (deactivation, logout elsewhere, other
areas, another role, another language) is seen by the very next sync.
"""

import uuid
from collections import namedtuple

import pytest
from sqlalchemy import func, select, text, update

from korch_pwa.assessment.models import Answer, Assessment
from korch_pwa.auth.claims import KEY, ClaimedUser, StaleClaims
from korch_pwa.auth.models import User
from korch_pwa.extensions import db
from korch_pwa.sync_api.models import SyncReceipt
from tests.conftest import PASSWORD
from tests.helpers import statements_during


def save(world, code="520101", score=2, base=None):
    """Return a save of ``code``'s indicator 1.1 with a fresh client id."""
    return {"client_id": str(uuid.uuid4()), "type": "assessment.save",
            "round_id": world["round"], "subdistrict_code": code, "version": 0,
            "changes": [{"indicator": "1.1", "mine": {"score": score, "note": ""},
                         "base": {"score": base, "note": ""}}]}


def logged_in(app, username):
    """Return a client of its own, logged in, that has synced once (so holds claims)."""
    client = app.test_client()
    assert client.post("/login", data={"username": username,
                                       "password": PASSWORD}).status_code == 302
    assert client.post("/api/v1/sync", json={"items": []}).status_code == 422
    with client.session_transaction() as session:
        assert session[KEY]["role"]
    return client


def sync(client, *items):
    """Send a batch; return (status, JSON body)."""
    response = client.post("/api/v1/sync", json={"items": list(items)})
    return response.status_code, response.get_json()


def change_user(app, username, **values):
    """Change the stored person outside any request."""
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(**values))
        db.session.commit()
        db.session.remove()


def move_areas(app, username, old, new):
    """Give the person area ``new`` in place of ``old``."""
    with app.app_context():
        db.session.execute(text(
            "UPDATE user_scopes SET area_code = :new WHERE area_code = :old AND user_id = "
            "(SELECT id FROM users WHERE username = :u)"), {"new": new, "old": old, "u": username})
        db.session.commit()
        db.session.remove()


def stored(app):
    """Return the stored score of 520101's indicator 1.1."""
    with app.app_context():
        score = db.session.scalar(select(Answer.score).where(Answer.indicator_code == "1.1"))
        db.session.remove()
    return score


def stored_rows(app):
    """Return (answers stored, receipts stored)."""
    with app.app_context():
        counts = (db.session.scalar(select(func.count()).select_from(Answer)),
                  db.session.scalar(select(func.count()).select_from(SyncReceipt)))
        db.session.remove()
    return counts


def statements(app, client, *items):
    """Send a batch; return (status, the SQL statements it ran)."""
    seen, (status, _) = statements_during(app, lambda: sync(client, *items))
    return status, seen


def test_a_sync_with_claims_reads_the_person_in_its_own_first_statement(app, world):
    """One statement fewer than a sync that has to read the person first, and the same result."""
    client = app.test_client()
    client.post("/login", data={"username": "member_a", "password": PASSWORD})
    assert sync(client, save(world, score=1))[0] == 200  # creates the assessment
    with client.session_transaction() as session:
        assert session[KEY] == {"id": world["member_a"], "epoch": 0, "role": "member",
                                "locale": "th", "scopes": ["520101"]}
    claimed_status, claimed = statements(app, client, save(world, score=2, base=1))
    with client.session_transaction() as session:
        del session[KEY]
    read_status, read = statements(app, client, save(world, score=3, base=2))
    assert claimed_status == read_status == 200
    assert len(claimed) == len(read) - 1
    assert not any(s.startswith("SELECT users.id") for s in claimed)
    assert any(s.startswith("SELECT users.id") for s in read)
    assert stored(app) == 3


@pytest.mark.parametrize("change", [
    pytest.param(lambda app: change_user(app, "member_a", active=False), id="deactivated"),
    pytest.param(lambda app: change_user(app, "member_a", session_epoch=1),
                 id="logged-out-elsewhere"),
])
def test_a_person_whose_session_ended_stores_nothing(app, world, change):
    """Deactivated, or logged out on another phone: 401 on the next sync, nothing stored."""
    client = logged_in(app, "member_a")
    before = stored_rows(app)
    change(app)
    status, body = sync(client, save(world))
    assert status == 401, body
    assert stored_rows(app) == before
    # Before any statement of its own too: a body it cannot read.
    response = client.post("/api/v1/sync", data="{", content_type="application/json")
    assert response.status_code == 401


def test_areas_taken_away_are_seen_by_the_next_sync(app, world):
    """Moved from 520101 to 520102: 520101 is refused and stored nothing; 520102 is saved."""
    client = logged_in(app, "member_a")
    move_areas(app, "member_a", "520101", "520102")
    status, body = sync(client, save(world, "520101"), save(world, "520102"))
    assert status == 200
    assert [r.get("error", r)["code" if "error" in r else "status"] for r in body["results"]] \
        == ["not_found", "ok"]
    with app.app_context():
        codes = db.session.scalars(select(Assessment.subdistrict_code)).all()
        db.session.remove()
    assert codes == ["520102"]
    with client.session_transaction() as session:
        assert session[KEY]["scopes"] == ["520102"]  # renewed: the next sync needs no reread


def test_a_role_taken_away_is_seen_by_the_next_sync(app, world):
    """A member made a province officer can no longer change answers: refused, nothing stored."""
    client = logged_in(app, "member_a")
    change_user(app, "member_a", role="province_officer")
    before = stored_rows(app)
    status, body = sync(client, save(world))
    assert status == 200 and body["results"][0]["error"]["code"] == "forbidden"
    assert stored_rows(app)[0] == before[0]


def test_a_new_language_is_seen_by_the_next_sync(app, world):
    """The person switched to English elsewhere: this sync's messages are in English."""
    client = logged_in(app, "member_a")
    change_user(app, "member_a", locale="en")
    status, body = sync(client, {"client_id": str(uuid.uuid4()), "type": "assessment.save"})
    assert status == 200
    assert body["results"][0]["error"]["message"].isascii()


def test_claims_written_into_the_session_grant_nothing(app, world):
    """Claims of wider areas (as if forged) are checked against the stored person first."""
    client = logged_in(app, "member_a")
    with client.session_transaction() as session:
        session[KEY] = {**session[KEY], "role": "province_officer", "scopes": ["52"]}
    before = stored_rows(app)
    status, body = sync(client, save(world, "520102"))
    assert status == 200 and body["results"][0]["error"]["code"] == "not_found"
    assert stored_rows(app)[0] == before[0]
    with client.session_transaction() as session:
        assert session[KEY]["scopes"] == ["520101"]


def test_claims_about_another_person_are_not_used(app, world):
    """Claims kept from someone else's login on this browser are ignored."""
    client = logged_in(app, "member_a")
    with client.session_transaction() as session:
        member_b = {**session[KEY], "id": world["member_b"], "scopes": ["520102"]}
    client.post("/logout")
    client.post("/login", data={"username": "member_a", "password": PASSWORD})
    with client.session_transaction() as session:
        session[KEY] = member_b
    status, body = sync(client, save(world, "520102"))
    assert status == 200 and body["results"][0]["error"]["code"] == "not_found"


Row = namedtuple("Row", "person_epoch person_role person_locale person_scopes")
CLAIMS = {"id": 7, "epoch": 2, "role": "subdistrict_officer", "locale": "th",
          "scopes": ["520101", "520103"]}


def test_claims_are_confirmed_only_by_the_same_person_state():
    """Any difference of epoch (or deactivation), role, language or areas is stale."""
    ClaimedUser(CLAIMS).confirm(Row(2, "subdistrict_officer", "th", "520103,520101"))
    for row in (Row(None, "subdistrict_officer", "th", "520101,520103"),
                Row(3, "subdistrict_officer", "th", "520101,520103"),
                Row(2, "member", "th", "520101,520103"),
                Row(2, "subdistrict_officer", "en", "520101,520103"),
                Row(2, "subdistrict_officer", "th", "520101"),
                Row(2, "subdistrict_officer", "th", None)):
        with pytest.raises(StaleClaims):
            ClaimedUser(CLAIMS).confirm(row)
