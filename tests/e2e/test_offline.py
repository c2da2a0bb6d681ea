"""Offline in a real browser: nothing typed is ever lost, and it is stored once."""

from sqlalchemy import func, select

from korch_pwa.assessment import services
from korch_pwa.assessment.models import Answer, Assessment, AssessmentEvent, Round
from korch_pwa.auth.models import User
from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.merge import EMPTY, Answer as Value, Change
from korch_pwa.extensions import db
from korch_pwa.sync_api.models import SyncReceipt

CODES = [i.code for i in framework_for(2570).indicators]


def form_url(world, code="520101"):
    """Return the assessment page of a subdistrict in the open round."""
    return f"/assessment/{code}/{world['round']}"


def pick(page, code, score):
    """Choose a score for an indicator."""
    page.check(f'input[name="score-{code}"][value="{score}"]')


def db_state(app, code="520101"):
    """Return (status, answers, submit events, receipts) as the server stored them."""
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(
            Assessment.subdistrict_code == code))
        answers = dict(db.session.execute(select(Answer.indicator_code, Answer.score)).all())
        submits = db.session.scalar(select(func.count()).select_from(AssessmentEvent).where(
            AssessmentEvent.action == "submit"))
        receipts = db.session.scalar(select(func.count()).select_from(SyncReceipt))
        status = assessment.status if assessment else None
        db.session.remove()
    return status, answers, submits, receipts


def test_offline_fill_reload_restart_then_one_submission(app, world, live, phones):
    """Fill offline, reload, restart the browser, come online: stored exactly once."""
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    phone.offline()
    half = CODES[: len(CODES) // 2]
    for code in half:
        pick(page, code, 2)
    page.fill("[id=\"note-1.1\"]", "ประชุมทุกเดือน")
    page.wait_for_selector("#local-status:has-text('บันทึกในเครื่องแล้ว')")
    page.reload()
    page.wait_for_selector("#local-status:has-text('กู้คืน')")
    assert page.is_checked(f'input[name="score-{half[-1]}"][value="2"]')
    assert page.input_value("[id=\"note-1.1\"]") == "ประชุมทุกเดือน"
    for code in CODES[len(half):]:
        pick(page, code, 3)
    page.click('button[value="submit"]')
    phone.wait_unsynced(1)

    live.down()
    phone.restart(offline=True)
    page = phone.page
    page.goto(form_url(world))
    phone.wait_unsynced(1)
    page.wait_for_selector("#local-status:has-text('กู้คืน')")
    assert page.is_checked(f'input[name="score-{CODES[-1]}"][value="3"]')
    assert db_state(app)[0] is None

    live.start()
    phone.offline(False)
    phone.wait_unsynced(0)
    status, answers, submits, receipts = db_state(app)
    assert status == "submitted" and submits == 1 and receipts == 1
    assert answers == {**{c: 2 for c in half}, **{c: 3 for c in CODES[len(half):]}}
