"""Officers making the same committee's accounts at the same moment, through gunicorn -w 4.

Each member ends with exactly one account (no account that belongs to
nobody, no member linked twice), every answer is a PDF or a clear message,
never a 5xx. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from collections import Counter

from sqlalchemy import select

from korch_pwa.auth.models import User, UserScope
from korch_pwa.committees.models import CommitteeMember
from korch_pwa.extensions import db

from tests.accounts.test_member_accounts import committee
from tests.conftest import PASSWORD

from .server import Client
from .test_races import SCALE, race

SUBDISTRICTS = ("520101", "520102", "520103")


def accounts(app, code):
    """Return (accounts made from the register, {member id: account id}) of a subdistrict."""
    with app.app_context():
        users = db.session.scalars(select(User.id).where(
            User.username.startswith(f"{code}-"),
            User.scopes.any(UserScope.area_code == code))).all()
        links = dict(db.session.execute(select(CommitteeMember.id, CommitteeMember.user_id)
                                        .where(CommitteeMember.id.in_(MEMBERS[code]))).all())
        db.session.remove()
    return sorted(users), links


MEMBERS = {}


def test_a_committees_accounts_made_twice_at_once_are_made_once(app, world, server):
    for code in SUBDISTRICTS:
        MEMBERS[code] = committee(app, code)["members"]
    officers = [Client(server.port).login(name, PASSWORD)
                for name in ("district_x", "district_x", "province")]
    statuses = Counter()
    for _ in range(SCALE):
        for code in SUBDISTRICTS:
            form = [("member", str(i)) for i in MEMBERS[code]]
            results = race(*[
                (lambda c=c: c.request("POST", f"/people/register/{code}/slips",
                                       form=form)) for c in officers])
            for status, body in results:
                statuses[status] += 1
                assert status in (200, 302), (status, str(body)[:300])
            assert any(status == 200 for status, _ in results), results
            users, links = accounts(app, code)
            # Three members, three accounts, each linked to its one member.
            assert len(users) == 3 and sorted(links.values()) == users, (users, links)
    assert statuses[200] >= len(SUBDISTRICTS)
