"""One person's requests alternating between two app servers ("hosts") over one database.

Two gunicorn instances on two ports share the run's database and one real
Redis (the login counters), as two hosts behind a load balancer would. A
person logs in on one and syncs on the other, sends an evidence file's first
chunk to one and the rest to the other (with the files in the database, then
in an S3-compatible object store), and is refused on both at once when
deactivated: nothing that matters lives in a process's memory. (The login
limit shared by both is proved in test_login_limits.py.)
"""

import uuid

import pytest
from sqlalchemy import update

from korch_pwa.auth.models import User
from korch_pwa.domain.limits import EVIDENCE_CHUNK_MAX
from korch_pwa.evidence.content import sha256_hex
from korch_pwa.evidence.storage import store_for
from korch_pwa.extensions import db
from tests.conftest import PASSWORD
from tests.evidence.images import noisy_photo

from .server import Client, Gunicorn


@pytest.fixture(params=["database", "object store"])
def evidence_store(request):
    """The EVIDENCE_STORE both hosts use: the database, or a bucket of a real S3 server."""
    if request.param == "database":
        return "database"
    return f"s3://{request.getfixturevalue('s3_bucket')}/evidence"


@pytest.fixture
def two_hosts(app, world, database_url, redis_url, evidence_store):
    """Two gunicorn instances (2 workers each) over one database and one Redis."""
    with app.app_context():
        db.engine.dispose()
    # The AWS settings s3_bucket puts in the environment reach the servers with it.
    env = {"RATELIMIT_ENABLED": "1", "RATELIMIT_STORAGE_URI": redis_url,
           "EVIDENCE_STORE": evidence_store}
    servers = [Gunicorn(database_url, workers=2, env=env, wait=False) for _ in range(2)]
    for server in servers:  # booting side by side
        server.ready()
    yield servers
    for server in servers:
        server.stop()


def on(server, person):
    """Return a client of ``server`` carrying ``person``'s session cookie."""
    client = Client(server.port)
    client.cookie = person.cookie
    return client


def test_a_person_moves_between_hosts_and_loses_nothing(app, world, two_hosts, evidence_store):
    first, second = two_hosts
    person = Client(first.port).login("member_a", PASSWORD)
    # Logged in on the first host, known on the second.
    status, me = on(second, person).request("GET", "/api/v1/session")
    assert status == 200 and me["user"]["username"] == "member_a"
    item = {"client_id": str(uuid.uuid4()), "type": "assessment.save",
            "round_id": world["round"], "subdistrict_code": "520101", "version": 0,
            "changes": [{"indicator": "1.1", "mine": {"score": 2, "note": ""},
                         "base": {"score": None, "note": ""}}]}
    status, body = on(second, person).sync([item])
    assert status == 200 and body["results"][0]["status"] == "ok"
    # Sent again to the other host (the answer was lost): the same receipt.
    status, again = on(first, person).sync([item])
    assert again["results"] == body["results"]

    # A file's first chunk to one host, the rest to the other.
    data = noisy_photo(1800, 1400, seed=3)
    sha = sha256_hex(data)

    def put(server, offset, chunk):
        return on(server, person).request(
            "PUT", f"/api/v1/evidence/520101/{sha}?offset={offset}&length={len(data)}",
            body=chunk)

    assert put(first, 0, data[:EVIDENCE_CHUNK_MAX])[0] == 200
    offset = EVIDENCE_CHUNK_MAX
    while offset < len(data):
        status, progress = put(second, offset, data[offset:offset + EVIDENCE_CHUNK_MAX])
        assert status == 200, progress
        offset = progress["offset"]
    assert progress["complete"]
    status, served = on(first, person).request("GET", f"/evidence/520101/{sha}")
    assert status == 200 and sha256_hex(served) == sha
    with app.app_context():
        assert store_for(evidence_store).has(sha) and store_for(evidence_store).has(sha + ".thumb")
        db.session.remove()

    # Deactivated: refused on both hosts at once, no cache to wait out.
    with app.app_context():
        db.session.execute(update(User).where(User.username == "member_a").values(active=False))
        db.session.commit()
        db.session.remove()
    for server in two_hosts:
        status, body = on(server, person).request("GET", "/api/v1/session")
        assert status == 401 and body["code"] == "login_required"
