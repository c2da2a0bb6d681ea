"""Recording answers in a few statements, without HTTP."""

import threading
import time
import uuid

import pytest
from sqlalchemy import text

from korch_pwa.assessment import recording
from korch_pwa.assessment.models import Assessment
from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.merge import EMPTY, Answer, Change
from korch_pwa.errors import Incomplete, ServiceError
from korch_pwa.extensions import db
from korch_pwa.sqlite import writer

FW = framework_for(2570)


@pytest.fixture
def record(world, ctx):
    """Record changes for 520101 in FY 2570 round 1 as member_a."""
    def record(changes, send=False, code="520101", assessment_id=None):
        return recording.record_answers(world["round"], 2570, code, changes,
                                        world["member_a"], send, assessment_id)
    return record


def test_a_new_assessment_holds_the_answers_and_its_score(record):
    recorded = record([Change("1.1", Answer(2, "มีคำสั่ง"), EMPTY),
                       Change("1.2", Answer(1), EMPTY)])
    assert recorded.status == "draft" and recorded.version == 2
    assert recorded.answers == {"1.1": Answer(2, "มีคำสั่ง"), "1.2": Answer(1)}
    assert recorded.written == recorded.answers and recorded.conflicts == []
    assert recorded.percent is not None and recorded.level_code
    stored = db.session.get(Assessment, recorded.id)
    assert {a.indicator_code: (a.score, a.note) for a in stored.answers} == {
        "1.1": (2, "มีคำสั่ง"), "1.2": (1, "")}
    assert stored.version == 2 and stored.percent == recorded.percent


def test_nothing_new_writes_nothing(record):
    first = record([Change("1.1", Answer(2), EMPTY)])
    again = record([Change("1.1", Answer(2), EMPTY)])
    assert again.id == first.id and again.version == first.version and again.written == {}


def test_an_update_and_a_clash_in_one_call(record):
    record([Change("1.1", Answer(2), EMPTY), Change("1.2", Answer(1), EMPTY)])
    recorded = record([Change("1.1", Answer(3), Answer(2)),    # moved on from its base
                       Change("1.2", Answer(3), Answer(0))])   # someone else wrote 1
    assert recorded.written == {"1.1": Answer(3)}
    assert [c.indicator for c in recorded.conflicts] == ["1.2"]
    assert recorded.answers["1.2"] == Answer(1)


def test_submit_needs_every_answer_but_keeps_what_was_written(record):
    with pytest.raises(Incomplete) as info:
        record([Change("1.1", Answer(2), EMPTY)], send=True)
    assert info.value.assessment.answers == {"1.1": Answer(2)}
    assert len(info.value.detail) == len(FW.indicators) - 1
    recorded = record([Change(i.code, Answer(1), EMPTY) for i in FW.indicators[1:]], send=True)
    assert recorded.status == "submitted"
    with pytest.raises(ServiceError) as info:
        record([Change("1.1", Answer(3), Answer(2))])
    assert info.value.code == "not_editable"


def test_the_chosen_id_of_another_assessment_is_refused(record):
    taken = record([Change("1.1", Answer(2), EMPTY)]).id
    with pytest.raises(recording.IdTaken):
        record([Change("1.1", Answer(2), EMPTY)], code="520102", assessment_id=taken)
    chosen = str(uuid.uuid4())
    assert record([], code="520103", assessment_id=chosen).id == chosen


def _until_waiting(reader, outcome):
    """Return once ``reader`` waits for the holder's lock; fail if it ended first.

    PostgreSQL shows the wait in pg_stat_activity. SQLite does not: there the
    reader waits on BEGIN IMMEDIATE (the busy timeout), given a moment.
    """
    if db.engine.dialect.name != "postgresql":
        time.sleep(0.5)
        return
    with db.engine.connect() as conn:
        for _ in range(750):
            if not reader.is_alive():
                raise AssertionError(f"the second read ended without waiting: {outcome}")
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()")).scalar()
            # pg_stat_activity is a snapshot taken once per transaction: without
            # ending it, a first poll made before the reader waited is all we see.
            conn.rollback()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the second read never waited for the lock")


def test_a_read_that_waited_for_the_lock_has_what_the_holder_wrote(app, world):
    # The locked read joins the answers to the assessment in one statement;
    # under READ COMMITTED, one that waited for the lock joins the answers as
    # they were before the holder's commit unless it reads them again.
    def record(changes):
        return recording.record_answers(world["round"], 2570, "520101", changes,
                                        world["member_a"])

    with app.app_context(), writer():
        record([Change("1.1", Answer(1), EMPTY)])
        db.session.commit()
    outcome = {}

    def wait_then_read():
        try:
            with app.app_context(), writer():
                outcome["answers"] = recording.locked(world["round"], "520101").answers
                db.session.commit()
        except Exception as exc:  # noqa: BLE001  (reported by the test's thread)
            outcome["error"] = repr(exc)

    with app.app_context(), writer():
        held = record([Change("1.1", Answer(3), Answer(1)), Change("1.2", Answer(2), EMPTY)])
        assert held.written  # the lock is ours, with new answers not yet committed
        reader = threading.Thread(target=wait_then_read)
        reader.start()
        try:
            _until_waiting(reader, outcome)
        finally:
            db.session.commit()
            reader.join(30)
    assert "error" not in outcome, outcome["error"]
    assert outcome["answers"] == {"1.1": Answer(3), "1.2": Answer(2)}

