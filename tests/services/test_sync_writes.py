"""How a sync item's writes reach the database, without HTTP.

On PostgreSQL a save of a stored assessment writes its answers, the new
score and its receipt in one statement that writes nothing when the client
id was taken meanwhile; on SQLite the same item writes as it goes and its
scope undoes it. Either way a taken id leaves the assessment as it was.
"""

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from korch_pwa.assessment import recording
from korch_pwa.assessment.models import Assessment
from korch_pwa.auth.models import utcnow
from korch_pwa.domain.merge import EMPTY, Answer, Change
from korch_pwa.extensions import db
from korch_pwa.sqlite import writer
from korch_pwa.sync_api import services as syncing
from korch_pwa.sync_api.models import SyncReceipt

RECEIPTS = SyncReceipt.__table__


@pytest.fixture
def in_request(app):
    """A request context: a refusal's message is translated for the request."""
    with app.test_request_context():
        yield
        db.session.remove()


def _record(world, changes, defer=False):
    return recording.record_answers(world["round"], 2570, "520101", changes,
                                    world["member_a"], defer=defer)


def _stored(assessment_id):
    """Return (version, status, {indicator: score}) as the database holds them."""
    db.session.expire_all()
    stored = db.session.get(Assessment, assessment_id)
    return stored.version, stored.status, {a.indicator_code: a.score for a in stored.answers}


def _item(client_id):
    return {"client_id": client_id, "type": "assessment.save"}


def _saved(client_id):
    return {"client_id": client_id, "status": "ok", "status_code": 200}


def _receipts(client_id):
    return db.session.scalar(select(func.count()).select_from(RECEIPTS)
                             .where(RECEIPTS.c.client_id == client_id))


def _first(world):
    with writer():
        first = _record(world, [Change("1.1", Answer(1), EMPTY)])
        db.session.commit()
    return first


def test_a_deferred_save_is_written_with_its_receipt(world, in_request):
    first = _first(world)
    client_id = str(uuid.uuid4())
    with writer():
        recorded = _record(world, [Change("1.1", Answer(3), Answer(1)),
                                   Change("1.2", Answer(2), EMPTY)], defer=True)
        if db.session.connection().dialect.name == "postgresql":
            # Nothing is written yet: the receipt's statement carries the writes.
            assert recorded.pending is not None
            assert _stored(first.id) == (first.version, "draft", {"1.1": 1})
        else:
            assert recorded.pending is None  # SQLite has no writing CTEs: written at once
        found = syncing.Found(None, None, at_once=recorded.pending is not None)
        answer = syncing._store(_item(client_id), SimpleNamespace(id=world["member_a"]),
                                _saved(client_id), syncing._scope(False, found),
                                recorded.pending)
        db.session.commit()
    assert answer == _saved(client_id)
    assert recorded.version == first.version + 1
    # The receipt's own status ("ok") is not the assessment's.
    assert _stored(first.id) == (recorded.version, "draft", {"1.1": 3, "1.2": 2})
    assert db.session.get(Assessment, first.id).percent == recorded.percent
    assert _receipts(client_id) == 1


def test_a_client_id_taken_meanwhile_writes_none_of_the_item(world, in_request):
    # Another person's request stored this client id between our lookup and
    # our write: our answers must not be written, and the batch goes on.
    first = _first(world)
    taken = str(uuid.uuid4())
    with writer():
        db.session.connection().execute(RECEIPTS.insert(), {
            "client_id": taken, "user_id": world["member_b"], "item_type": "assessment.save",
            "status": "ok", "response": _saved(taken), "created_at": utcnow()})
        db.session.commit()
    with writer():
        # As in a batch: the item's scope first, then its changes.
        at_once = db.session.connection().dialect.name == "postgresql"
        scope = syncing._scope(True, syncing.Found(None, None, at_once=at_once))
        recorded = _record(world, [Change("1.1", Answer(3), Answer(1))], defer=True)
        assert (recorded.pending is not None) == at_once
        answer = syncing._store(_item(taken), SimpleNamespace(id=world["member_a"]),
                                _saved(taken), scope, recorded.pending)
        assert (answer["status_code"], answer["error"]["code"]) == (409, "duplicate_id")
        # The transaction is still good for the batch's next item.
        assert _stored(first.id) == (first.version, "draft", {"1.1": 1})
        db.session.commit()
    assert _stored(first.id) == (first.version, "draft", {"1.1": 1})
    assert _receipts(taken) == 1


def test_a_save_that_clears_every_answer_is_written_and_replayed_as_sent(world, in_request):
    """Scores that are all empty still make an array the database reads as numbers.

    The receipt's statement runs on the driver (``korch_pwa.driver``), which is
    given the result as JSON text: the stored receipt reads back as the same result.
    """
    first = _first(world)
    client_id = str(uuid.uuid4())
    result = {**_saved(client_id), "assessment": {"answers": {"1.1": {"score": None,
                                                                      "note": "ไม่มี"}}}}
    with writer():
        recorded = _record(world, [Change("1.1", Answer(None, "ไม่มี"), Answer(1)),
                                   Change("1.2", Answer(None, "ไม่มี"), EMPTY)], defer=True)
        found = syncing.Found(None, None, at_once=recorded.pending is not None)
        syncing._store(_item(client_id), SimpleNamespace(id=world["member_a"]), result,
                       syncing._scope(False, found), recorded.pending)
        db.session.commit()
    assert _stored(first.id) == (recorded.version, "draft", {"1.1": None, "1.2": None})
    with writer():
        # The receipt alone: read as any resent item's is.
        replayed = syncing._lookup({"client_id": client_id, "type": "assessment.decide"},
                                   SimpleNamespace(id=world["member_a"]))
        db.session.rollback()
    assert syncing._replay(replayed, SimpleNamespace(id=world["member_a"]), client_id) == result


# What JSON must escape or carry as is: quotes, backslashes, control
# characters, Thai, a character outside the BMP, and a score left empty.
AWKWARD = {"1.1": Answer(2, 'ว่า "ดี" \\ แต่\tยัง\nไม่ 😀'), "1.2": Answer(None, "{}[],:"),
           "1.3": Answer(0, "")}


@pytest.mark.parametrize("defer", [False, True], ids=["at-once", "with-receipt"])
def test_every_answer_value_is_stored_as_given(world, in_request, defer):
    first = _first(world)
    client_id = str(uuid.uuid4())
    changes = [Change(code, answer, Answer(1) if code == "1.1" else EMPTY)
               for code, answer in AWKWARD.items()]
    with writer():
        recorded = _record(world, changes, defer=defer)
        found = syncing.Found(None, None, at_once=recorded.pending is not None)
        syncing._store(_item(client_id), SimpleNamespace(id=world["member_a"]),
                       _saved(client_id), syncing._scope(False, found), recorded.pending)
        db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Assessment, first.id).answers
    assert {a.indicator_code: Answer(a.score, a.note) for a in stored} == AWKWARD
