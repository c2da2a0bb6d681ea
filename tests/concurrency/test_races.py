"""Writers racing through gunicorn with 4 worker processes, on this run's database.

Zero silent losses (two clashing saves both acknowledged), zero double
decisions (an approve and a return of the same version both acknowledged),
zero 5xx. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import os
import threading
import uuid
from collections import Counter

from sqlalchemy import func, select

from korch_pwa.assessment import services
from korch_pwa.assessment.models import Answer, Assessment, AssessmentEvent
from korch_pwa.auth.models import User
from korch_pwa.domain.framework import framework_for
from korch_pwa.extensions import db
from korch_pwa.sync_api.models import SyncReceipt

from tests.conftest import PASSWORD
from tests.helpers import submitted_assessment

from .server import Client

CODES = [i.code for i in framework_for(2570).indicators]
# bench/races.py raises this to run many more trials of each race than CI does.
SCALE = int(os.environ.get("RACE_SCALE", "1"))


def race(*calls):
    """Run the calls at the same moment in threads; return their results in order."""
    results = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def save_item(round_id, code, base, mine, client_id=None):
    """An outbox item saving one indicator of 520101."""
    return {"client_id": client_id or str(uuid.uuid4()), "type": "assessment.save",
            "round_id": round_id, "subdistrict_code": "520101", "assessment_id": None,
            "version": 0, "changes": [{"indicator": code, "base": base, "mine": mine}]}


def stored(app, round_id, code):
    """Return the stored score of one indicator of 520101 in a round."""
    with app.app_context():
        score = db.session.scalar(select(Answer.score).join(Assessment).where(
            Assessment.round_id == round_id, Assessment.subdistrict_code == "520101",
            Answer.indicator_code == code))
        db.session.remove()
    return score


def test_clashing_saves_never_both_win(app, world, server):
    """Two members, same indicator, same base, different values: one ok, one conflict."""
    first = Client(server.port).login("member_a", PASSWORD)
    second = Client(server.port).login("member_a2", PASSWORD)
    tally = Counter()
    rounds = [world["round"], world["round2"], world["last_round"]]  # each starts with a first save
    trials = [(r, code) for r in rounds for code in CODES[:min(len(CODES), 4 * SCALE)]]
    for round_id, code in trials:
        base = {"score": None, "note": ""}
        (s1, b1), (s2, b2) = race(
            lambda: first.sync([save_item(round_id, code, base, {"score": 1, "note": ""})]),
            lambda: second.sync([save_item(round_id, code, base, {"score": 2, "note": ""})]))
        tally["5xx"] += (s1 >= 500) + (s2 >= 500)
        if s1 >= 500 or s2 >= 500:
            continue
        outcomes = sorted([b1["results"][0]["status"], b2["results"][0]["status"]])
        tally["trials"] += 1
        if outcomes == ["ok", "ok"]:
            tally["silent losses"] += 1
        winner = 1 if b1["results"][0]["status"] == "ok" else 2
        if stored(app, round_id, code) != winner:
            tally["wrong value kept"] += 1
    print("clashing saves:", {k: tally[k] for k in ("trials", "silent losses",
                                                    "wrong value kept", "5xx")})
    assert tally == Counter(trials=len(trials))


def _submit_again(app, world, assessment_id):
    """Put the assessment back to submitted, whatever the last decision was."""
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        officer = db.session.get(User, world["district_x"])
        member = db.session.get(User, world["member_a"])
        if assessment.status == "approved":
            services.reopen(assessment, officer, assessment.version, "แก้ไข")
        services.submit(assessment, member)
        db.session.commit()
        version = assessment.version
        db.session.remove()
    return version


def decide_item(assessment_id, decision, version):
    """An officer's decision about the version they saw."""
    return {"client_id": str(uuid.uuid4()), "type": "assessment.decide",
            "assessment_id": assessment_id, "decision": decision, "seen_version": version,
            "comment": "ตรวจแล้ว", "comments": {"1.1": "แนบหลักฐาน"}}


def test_approve_and_return_of_one_version_never_both_count(app, world, server):
    """Approve and return race about the same version: exactly one is acknowledged."""
    assessment_id, version = submitted_assessment(app, world)
    officers = [Client(server.port).login("district_x", PASSWORD) for _ in range(2)]
    tally = Counter()
    for _ in range(6 * SCALE):
        (s1, b1), (s2, b2) = race(
            lambda: officers[0].sync([decide_item(assessment_id, "approve", version)]),
            lambda: officers[1].sync([decide_item(assessment_id, "return", version)]))
        tally["5xx"] += (s1 >= 500) + (s2 >= 500)
        oks = [b["results"][0]["status"] for b in (b1, b2) if isinstance(b, dict)].count("ok")
        tally["trials"] += 1
        if oks != 1:
            tally["double or no decision"] += 1
        version = _submit_again(app, world, assessment_id)
    with app.app_context():
        decisions = db.session.scalar(select(db.func.count()).select_from(AssessmentEvent).where(
            AssessmentEvent.action.in_(["approve", "return"])))
        db.session.remove()
    print("approve/return races:", {k: tally[k] for k in ("trials", "double or no decision",
                                                          "5xx")}, "decisions stored:", decisions)
    assert tally == Counter(trials=6 * SCALE) and decisions == 6 * SCALE


def test_the_same_item_sent_twice_at_once_is_stored_once(app, world, server):
    """A phone resending while its first request still runs: one receipt, same answer."""
    phone = [Client(server.port).login("member_a", PASSWORD) for _ in range(2)]
    tally = Counter()
    for index in range(6 * SCALE):
        code = CODES[index % len(CODES)]
        item = save_item(world["round"], code, {"score": None, "note": ""},
                         {"score": 3, "note": f"ครั้งที่ {index}"})
        (s1, b1), (s2, b2) = race(lambda: phone[0].sync([item]), lambda: phone[1].sync([item]))
        tally["5xx"] += (s1 >= 500) + (s2 >= 500)
        if s1 < 500 and s2 < 500 and b1["results"] != b2["results"]:
            tally["different answers"] += 1
        tally["trials"] += 1
    with app.app_context():
        receipts = db.session.scalar(select(db.func.count()).select_from(SyncReceipt))
        db.session.remove()
    print("same item twice:", {k: tally[k] for k in ("trials", "different answers", "5xx")},
          "receipts:", receipts)
    assert tally == Counter(trials=6 * SCALE) and receipts == 6 * SCALE


def test_a_submission_sent_at_once_from_two_phones_tells_the_district_once(app, world, server):
    """Two members submit the same answers at the same moment: one submission, one notice."""
    from korch_pwa.notifications.models import Notice

    phones = [Client(server.port).login(name, PASSWORD) for name in ("member_a", "member_a2")]
    answers = [{"indicator": code, "base": {"score": None, "note": ""},
                "mine": {"score": 2, "note": ""}} for code in CODES]
    items = [{"client_id": str(uuid.uuid4()), "type": "assessment.submit",
              "round_id": world["round"], "subdistrict_code": "520101",
              "assessment_id": None, "version": 0, "changes": answers} for _ in phones]
    results = race(*(lambda p=p, i=i: p.sync([i]) for p, i in zip(phones, items)))
    assert all(status == 200 for status, _ in results), results
    with app.app_context():
        told = db.session.execute(select(Notice.user_id, Notice.event)).all()
        submits = db.session.scalar(select(db.func.count()).select_from(AssessmentEvent)
                                    .where(AssessmentEvent.action == "submit"))
        db.session.remove()
    assert submits == 1
    assert told == [(world["district_x"], "assessment_submitted")]


def test_a_coordinator_named_twice_at_once_is_one_row(app, world, server):
    """Two sessions of a province save its coordinator at the same moment: no 500, one row."""
    from korch_pwa.chain.models import ProvinceCoordinator

    officers = [Client(server.port).login("province", PASSWORD) for _ in range(2)]
    names = ["นายหนึ่ง ทดสอบ", "นายสอง ทดสอบ"]
    results = race(*(lambda c=c, n=n: c.request("POST", "/province/coordinator", form={
        "name": n, "position": "", "phone": "0812345678"}) for c, n in zip(officers, names)))
    assert [status for status, _ in results] == [302, 302], results
    with app.app_context():
        rows = db.session.execute(select(ProvinceCoordinator.province_code,
                                         ProvinceCoordinator.name)).all()
        db.session.remove()
    assert len(rows) == 1 and rows[0][0] == "52" and rows[0][1] in names


def test_a_register_sent_twice_at_once_is_one_sending(app, world, server):
    """Two sessions of a district send its register at the same moment: one sending, one notice."""
    from korch_pwa.chain.models import Dispatch, DispatchEvent
    from korch_pwa.notifications.models import Notice

    from tests.chain.chain_data import year_items

    item = year_items(app)["register"]
    officers = [Client(server.port).login("district_x", PASSWORD) for _ in range(2)]
    results = race(*(lambda c=c: c.request("POST", f"/due/item/{item}/5201/send", form={})
                     for c in officers))
    assert sorted(status for status, _ in results) == [302, 409], results
    with app.app_context():
        sendings = db.session.execute(select(Dispatch.state, Dispatch.version)).all()
        sends = db.session.scalar(select(func.count()).select_from(DispatchEvent))
        told = db.session.execute(select(Notice.user_id, Notice.event)).all()
        db.session.remove()
    assert [tuple(s) for s in sendings] == [("sent", 1)] and sends == 1
    assert [tuple(t) for t in told] == [(world["province"], "item_sent")]


def test_accept_and_return_of_one_sending_never_both_count(app, world, server):
    """The province's two officers answer the same sending at once: one answer stands."""
    from korch_pwa.chain.models import Dispatch, DispatchEvent

    from tests.chain.chain_data import year_items

    item = year_items(app)["register"]
    Client(server.port).login("district_x", PASSWORD).request(
        "POST", f"/due/item/{item}/5201/send", form={})
    officers = [Client(server.port).login("province", PASSWORD) for _ in range(2)]
    answers = [{"act": "accept", "comment": "", "version": "1"},
               {"act": "return", "comment": "ขาดคำสั่ง", "version": "1"}]
    results = race(*(lambda c=c, a=a: c.request("POST", f"/due/item/{item}/5201/decide",
                                                 form=a) for c, a in zip(officers, answers)))
    assert sorted(status for status, _ in results) == [302, 409], results
    with app.app_context():
        state, version = db.session.execute(select(Dispatch.state, Dispatch.version)).one()
        acts = db.session.scalars(select(DispatchEvent.act).order_by(DispatchEvent.id)).all()
        db.session.remove()
    assert version == 2 and len(acts) == 2 and acts[0] == "send"
    assert state == {"accept": "accepted", "return": "returned"}[acts[1]]
