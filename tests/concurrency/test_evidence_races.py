"""Evidence uploads racing through gunicorn with 4 worker processes.

A phone on a bad signal resends a chunk whose answer it lost, often while
the first send is still running on another worker; two members send the
same photo at once. Nothing may be appended twice, and a file is stored once.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from sqlalchemy import func, select

from korch_pwa.domain.limits import EVIDENCE_CHUNK_MAX
from korch_pwa.evidence.content import sha256_hex
from korch_pwa.evidence.models import EvidenceFile, EvidenceHolder, EvidenceObject
from korch_pwa.evidence.storage import DatabaseStore
from korch_pwa.extensions import db
from tests.conftest import PASSWORD
from tests.evidence.images import noisy_photo, photo

from .server import Client
from .test_races import race


def put(client, code, data, offset, chunk):
    """Send one chunk of ``data``; return (status, body)."""
    return client.request(
        "PUT", f"/api/v1/evidence/{code}/{sha256_hex(data)}?offset={offset}&length={len(data)}",
        body=chunk)


def test_a_chunk_sent_four_times_at_once_is_appended_once(app, world, server):
    phones = [Client(server.port).login("member_a", PASSWORD) for _ in range(4)]
    data = noisy_photo(1800, 1400, seed=7)
    first = data[:EVIDENCE_CHUNK_MAX]
    results = race(*[lambda p=p: put(p, "520101", data, 0, first) for p in phones])
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409, 409, 409], results
    assert all(body["offset"] == EVIDENCE_CHUNK_MAX if status == 200
               else body["detail"]["offset"] == EVIDENCE_CHUNK_MAX
               for status, body in results)
    offset = EVIDENCE_CHUNK_MAX
    while offset < len(data):
        rest = data[offset:offset + EVIDENCE_CHUNK_MAX]
        results = race(*[lambda p=p: put(p, "520101", data, offset, rest) for p in phones[:2]])
        offset += len(rest)
        if offset < len(data):
            assert sorted(s for s, _ in results) == [200, 409], results
        else:  # the loser of the last chunk may find the file already whole: also 200
            assert [b["offset"] for s, b in results if s == 200] in (
                [len(data)], [len(data)] * 2), results
    status, body = phones[0].request("GET", f"/evidence/520101/{sha256_hex(data)}")
    assert status == 200
    with app.app_context():
        assert DatabaseStore().get(sha256_hex(data)) == data
        db.session.remove()


def test_the_same_photo_from_two_subdistricts_at_once_is_stored_once(app, world, server):
    data = photo(width=300, height=200)
    senders = [(Client(server.port).login(user, PASSWORD), code)
               for user, code in (("member_a", "520101"), ("member_a2", "520101"),
                                  ("member_b", "520102"), ("tambon", "520103"))]
    results = race(*[lambda c=c, code=code: put(c, code, data, 0, data) for c, code in senders])
    assert [status for status, _ in results] == [200] * 4, results
    assert all(body["complete"] for _, body in results)
    with app.app_context():
        count = db.session.scalar
        assert count(select(func.count()).select_from(EvidenceFile)) == 1
        assert count(select(func.count()).select_from(EvidenceObject)) == 2  # and its thumbnail
        assert sorted(db.session.scalars(select(EvidenceHolder.subdistrict_code))) == [
            "520101", "520102", "520103"]
        db.session.remove()
