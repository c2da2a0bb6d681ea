"""Offline in a real browser: nothing typed is ever lost, and it is stored once."""

from sqlalchemy import func, select

from korch_pwa.assessment import services
from korch_pwa.assessment.models import Answer, Assessment, AssessmentEvent
from korch_pwa.auth.models import User
from korch_pwa.domain.framework import framework_for
from korch_pwa.extensions import db
from korch_pwa.sync_api.models import SyncReceipt

from tests.conftest import PASSWORD
from tests.helpers import submitted_assessment

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
    # The browser was asked to keep our storage, and the answer is on the page.
    page.wait_for_selector("#storage-status[data-persisted]", state="attached")
    assert page.inner_text("#storage-status")
    phone.offline()
    half = CODES[: len(CODES) // 2]
    for code in half:
        pick(page, code, 2)
    page.fill("[id=\"note-1.1\"]", "ประชุมทุกเดือน")
    page.wait_for_selector("#local-status:has-text('บันทึกในเครื่องแล้ว')")
    # The status line appeared with the first answer: wait for the last one to be stored.
    phone.until("() => IDB.all('drafts').then(ds => ds.some(d => d.values['1.1'].note === 'ประชุมทุกเดือน'))")
    page.reload()
    page.wait_for_selector("#local-status:has-text('กู้คืน')")
    assert page.is_checked(f'input[name="score-{half[-1]}"][value="2"]')
    assert page.input_value("[id=\"note-1.1\"]") == "ประชุมทุกเดือน"
    for code in CODES[len(half):]:
        pick(page, code, 3)
    page.click('button[value="submit"]')
    phone.wait_queued(1)
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
    page.wait_for_selector("#local-status:has-text('ส่งถึงระบบแล้ว')")
    status, answers, submits, receipts = db_state(app)
    assert status == "submitted" and submits == 1 and receipts == 1
    assert answers == {**{c: 2 for c in half}, **{c: 3 for c in CODES[len(half):]}}


def fill_all(page, score=3):
    """Answer every indicator."""
    for code in CODES:
        pick(page, code, score)


def queue_submission(phone, world):
    """Log in, open the form, go offline, fill everything and press submit."""
    phone.login("member_a")
    phone.visit(form_url(world))
    phone.offline()
    fill_all(phone.page)
    phone.page.click('button[value="submit"]')
    phone.wait_queued(1)
    phone.wait_unsynced(1)


def test_lost_response_is_sent_again_and_stored_once(app, world, live, phones):
    """The server applied the batch but the phone never heard: resent, stored once."""
    phone = phones()
    queue_submission(phone, world)
    live.faults.fail_next("/api/v1/sync", "lose")
    phone.offline(False)
    phone.wait_unsynced(0)
    assert live.faults.posts["/api/v1/sync"] >= 2
    status, answers, submits, receipts = db_state(app)
    assert status == "submitted" and submits == 1 and receipts == 1
    assert len(answers) == len(CODES)


def test_server_error_mid_sync_loses_nothing_and_retries(app, world, live, phones):
    """A 500 keeps the queue; the retry (with backoff) stores it."""
    phone = phones()
    queue_submission(phone, world)
    live.faults.fail_next("/api/v1/sync", "fail")
    phone.offline(False)
    phone.wait_unsynced(0)
    assert live.faults.posts["/api/v1/sync"] == 2
    status, _, submits, _ = db_state(app)
    assert status == "submitted" and submits == 1


def test_two_offline_editors_merge_and_resolve_the_clash(app, world, phones):
    """Answers that do not clash merge; the clash is shown and the person chooses."""
    first, second = phones("a"), phones("b")
    first.login("member_a")
    second.login("member_a2")
    for phone in (first, second):
        phone.visit(form_url(world))
        phone.offline()
    pick(first.page, "1.1", 3)
    pick(first.page, "1.2", 2)
    pick(second.page, "1.1", 1)
    pick(second.page, "1.3", 2)
    for phone in (first, second):
        phone.page.click('button[value="save"]')
        phone.wait_queued(1)
    first.offline(False)
    first.wait_unsynced(0)
    second.offline(False)
    second.wait_unsynced(0)
    card = second.page.wait_for_selector('#conflicts fieldset[data-indicator="1.1"]')
    assert "ของท่าน: 1" in card.inner_text() and "ของผู้อื่น: 3" in card.inner_text()
    assert db_state(app)[1] == {"1.1": 3, "1.2": 2, "1.3": 2}
    second.page.check('#conflicts input[name="pick-1.1"][value="mine"]')
    second.page.click("#conflicts button.primary")
    second.page.wait_for_selector("#conflicts", state="hidden")
    second.wait_unsynced(0)
    assert _eventually(lambda: db_state(app)[1] == {"1.1": 1, "1.2": 2, "1.3": 2})


def _eventually(check, tries=50):
    """Return True once ``check`` holds, polling the database briefly."""
    import time

    for _ in range(tries):
        if check():
            return True
        time.sleep(0.1)
    return check()


def test_session_expired_offline_keeps_queue_and_sends_after_login(app, world, live, phones):
    """The queue survives a lost session; after logging in again it is sent."""
    phone = phones()
    queue_submission(phone, world)
    phone.context.clear_cookies()
    phone.offline(False)
    phone.page.wait_for_selector("#login-prompt", state="visible")
    assert "กรุณาเข้าสู่ระบบอีกครั้ง" in phone.page.inner_text("#login-prompt")
    assert phone.unsynced() == 1 and db_state(app)[0] is None
    phone.page.click("#login-prompt a")
    phone.page.fill("#username", "member_a")
    phone.page.fill("#password", PASSWORD)
    phone.page.click("main form button.primary")
    phone.page.wait_for_url(f"**{form_url(world)}")
    phone.wait_unsynced(0)
    status, _, submits, _ = db_state(app)
    assert status == "submitted" and submits == 1


def _returned_and_resubmitted(app, world, assessment_id):
    """Someone else returns it and the committee submits again: a newer version."""
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        officer = db.session.get(User, world["district_x"])
        member = db.session.get(User, world["member_a"])
        services.decide(assessment, officer, "return", assessment.version,
                        {"1.1": "แนบหลักฐาน"})
        services.submit(assessment, member)
        db.session.commit()
        db.session.remove()


def test_offline_decision_about_an_unseen_version_is_refused(app, world, phones):
    """The officer's queued approval meets a newer version: refused with the message."""
    assessment_id, _ = submitted_assessment(app, world)
    phone = phones()
    phone.login("district_x")
    phone.visit(f"/review/{assessment_id}")
    phone.offline()
    phone.page.check('input[name="decision"][value="approve"]')
    phone.page.click("#decision-form button.primary")
    phone.wait_queued(1)
    phone.wait_unsynced(1)
    _returned_and_resubmitted(app, world, assessment_id)
    phone.offline(False)
    phone.wait_unsynced(0)
    refusal = phone.page.wait_for_selector("#conflicts .conflict-card .error")
    assert "เปิดดูฉบับล่าสุด" in refusal.inner_text()
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == "submitted"
        approvals = db.session.scalar(select(func.count()).select_from(AssessmentEvent).where(
            AssessmentEvent.action == "approve"))
        db.session.remove()
    assert approvals == 0


UNSENT = "IDB.all('drafts').then(d => d.filter(x => Outbox.unsentCodes(x).length).length)"


def test_online_save_with_script_posts_the_form_and_clears_the_draft(app, world, phones):
    """With signal the page posts as without JavaScript; the draft then holds nothing unsent."""
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    pick(page, "1.1", 2)
    page.wait_for_selector("#local-status:has-text('บันทึกในเครื่องแล้ว')")
    with page.expect_navigation():
        page.click('button[value="save"]')
    page.wait_for_selector(".flash-success")
    assert db_state(app)[1] == {"1.1": 2}
    assert page.evaluate(UNSENT) == 0
    phone.wait_unsynced(0)


def test_failed_form_post_goes_to_the_outbox(app, world, live, phones):
    """A 500 on the page's POST keeps what was typed in the outbox and sends it."""
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    pick(page, "1.1", 1)
    live.faults.fail_next(form_url(world), "fail")
    page.click('button[value="save"]')
    # Queued, then sent at once through the sync API (the signal is still there).
    page.wait_for_selector("#local-status:has-text('ส่งถึงระบบแล้ว')")
    phone.wait_unsynced(0)
    assert live.faults.posts["/api/v1/sync"] == 1
    assert db_state(app)[1] == {"1.1": 1}


def test_online_clash_shows_the_server_page_with_both_values(app, world, phones):
    """The server's 409 page (orange boxes) replaces the form, as without JavaScript."""
    first, second = phones("a"), phones("b")
    first.login("member_a")
    second.login("member_a2")
    first.visit(form_url(world))
    second.visit(form_url(world))
    pick(first.page, "1.1", 3)
    with first.page.expect_navigation():
        first.page.click('button[value="save"]')
    pick(second.page, "1.1", 1)
    second.page.click('button[value="save"]')
    second.page.wait_for_selector("fieldset.indicator.conflict .conflict-note")
    assert "ผู้อื่นบันทึกเป็น" in second.page.inner_text("fieldset.indicator.conflict")
    assert db_state(app)[1] == {"1.1": 3}
