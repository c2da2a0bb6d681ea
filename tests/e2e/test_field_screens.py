"""Field-ready screens in Chromium: every button answers, what the phone says is true."""

import time

from korch_pwa.assessment import services
from korch_pwa.assessment.models import Assessment
from korch_pwa.auth.models import User
from korch_pwa.extensions import db

from tests.helpers import submitted_assessment


def approved_assessment(app, world):
    """520101's assessment, submitted by member_a and approved by district_x: its id."""
    assessment_id, version = submitted_assessment(app, world)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        services.approve(assessment, db.session.get(User, world["district_x"]), version)
        db.session.commit()
        db.session.remove()
    return assessment_id


def status_of(app, assessment_id):
    with app.app_context():
        status = db.session.get(Assessment, assessment_id).status
        db.session.remove()
    return status


def review_page(phones, assessment_id):
    """The district officer's phone on the review page of an assessment."""
    phone = phones()
    phone.login("district_x")
    phone.visit(f"/review/{assessment_id}")
    return phone


def test_reopening_an_approved_assessment_works_with_the_script_on(app, world, phones):
    assessment_id = approved_assessment(app, world)
    page = review_page(phones, assessment_id).page
    page.fill("#comment", "คะแนนตัวชี้วัด 2.1 ต้องมีหลักฐานเพิ่ม")
    with page.expect_navigation():
        page.click("text=เปิดให้คณะกรรมการแก้ไขอีกครั้ง")
    # The server's own answer is shown, as without JavaScript.
    page.wait_for_selector("p.flash:not([hidden])")
    assert status_of(app, assessment_id) == "returned"


def test_reopening_without_a_signal_says_so_and_keeps_the_reason(app, world, phones):
    assessment_id = approved_assessment(app, world)
    phone = review_page(phones, assessment_id)
    page = phone.page
    page.fill("#comment", "ต้องแก้ไข")
    phone.offline()
    page.click("text=เปิดให้คณะกรรมการแก้ไขอีกครั้ง")
    message = page.wait_for_selector("#local-status.error:has-text('ยังไม่มีสัญญาณ')")
    assert message.is_visible()
    assert page.input_value("#comment") == "ต้องแก้ไข"
    assert status_of(app, assessment_id) == "approved"


def test_confirming_without_a_choice_says_what_is_missing_where_the_person_is(app, world, phones):
    assessment_id, _ = submitted_assessment(app, world)
    page = review_page(phones, assessment_id).page
    page.click("#decision-form button.primary")
    message = page.wait_for_selector("#local-status:has-text('กรุณาเลือกอนุมัติหรือส่งกลับ')")
    assert message.is_visible()
    assert page.evaluate("document.activeElement.name") == "decision"
    assert status_of(app, assessment_id) == "submitted"


PHONE = {"width": 390, "height": 844}


def test_the_officers_menu_shows_every_entry_on_a_phone(app, world, phones):
    phone = phones()
    phone.page.set_viewport_size(PHONE)
    phone.login("province")
    phone.visit("/dashboard/")
    hidden = phone.page.evaluate("""() => {
      const menu = document.querySelector("nav.menu");
      const box = menu.getBoundingClientRect();
      return [...menu.querySelectorAll("a")].filter((a) => {
        const r = a.getBoundingClientRect();
        return r.left < box.left || r.right > box.right || r.right > innerWidth;
      }).map((a) => a.textContent).concat(menu.scrollWidth > menu.clientWidth ? ["(scrolls)"] : []);
    }""")
    assert hidden == []
    assert phone.page.get_attribute("nav.menu a[aria-current=page]", "href").startswith("/dashboard")


SPLIT_PHRASES = """(phrases) => {
  const broken = [];
  document.querySelectorAll("th").forEach((th) => {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      phrases.forEach((phrase) => {
        for (let i = node.data.indexOf(phrase); i >= 0; i = node.data.indexOf(phrase, i + 1)) {
          const range = document.createRange();
          range.setStart(node, i); range.setEnd(node, i + phrase.length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(`${phrase} in ${th.textContent.trim()}`);
        }
      });
    }
  });
  return broken;
}"""


def test_results_headers_break_between_words_only(app, world, phones):
    from korch_pwa.domain.framework import framework_for

    levels = [level.name_th for level in framework_for(2570).levels]
    approved_assessment(app, world)  # the table by area shows only with results in it
    phone = phones()
    phone.page.set_viewport_size(PHONE)
    phone.login("province")
    phone.visit("/dashboard/results?area=52")
    assert phone.page.locator("#by-area th").count() > 5
    assert phone.page.evaluate(SPLIT_PHRASES, ["ครั้งที่", *levels]) == []


def test_a_link_to_a_commented_indicator_shows_its_title_below_the_header(app, world, phones):
    assessment_id, version = submitted_assessment(app, world)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        services.return_for_changes(assessment, db.session.get(User, world["district_x"]),
                                    version, {"4.1": "แนบรูปกิจกรรม"})
        db.session.commit()
        db.session.remove()
    phone = phones()
    phone.page.set_viewport_size(PHONE)
    phone.login("member_a")
    phone.visit(f"/assessment/520101/{world['round']}")
    phone.page.click("#review-comments a[href='#ind-4.1']")
    phone.until("() => document.getElementById('ind-4.1').getBoundingClientRect().top < 400")
    header_bottom, title_top = phone.page.evaluate("""() => [
      document.querySelector("header.top, .top").getBoundingClientRect().bottom,
      document.getElementById("ind-4.1").querySelector("legend").getBoundingClientRect().top]""")
    assert title_top >= header_bottom


def saved_offline(phones, world, username, score):
    """A member's phone with indicator 1.1 at ``score``, saved without signal and queued."""
    phone = phones()
    phone.login(username)
    phone.visit(f"/assessment/520101/{world['round']}")
    phone.offline()
    phone.page.check(f'input[name="score-1.1"][value="{score}"]')
    phone.page.click('button[value="save"]')
    phone.wait_queued(1)
    return phone


def test_the_status_chip_and_message_follow_the_servers_answer(app, world, phones):
    """Queued offline, sent when the signal is back: the page says "draft" and "sent" without a reload."""
    phone = saved_offline(phones, world, "member_a", 2)
    page = phone.page
    assert page.inner_text("#form-status") == "ยังไม่เริ่ม"
    assert "ยังไม่มีสัญญาณ" in page.inner_text("#local-status")
    phone.offline(False)
    page.wait_for_selector("#form-status .badge-draft:has-text('ร่าง')")
    page.wait_for_selector("#local-status:has-text('ส่งถึงระบบแล้ว')")
    assert page.get_attribute("#assessment-form", "data-assessment")


def test_a_file_is_not_taken_for_one_with_unsaved_text(app, world, phones):
    """Typing problems then tapping PDF warns, and shares nothing; after saving it shares."""
    phone = phones()
    phone.context.add_init_script("""window.__shared = [];
      navigator.canShare = (d) => !!(d && d.files && d.files.length);
      navigator.share = async (d) => { window.__shared.push(d.files[0].name); };""")
    phone.login("district_x")
    phone.visit("/dashboard/report/5201/2570")
    page = phone.page
    exports = []
    page.on("request", lambda r: "/export." in r.url and exports.append(r.url))
    # The files come after the form: what is typed is above what is downloaded.
    assert page.evaluate("""() => !!(document.getElementById("report-form")
        .compareDocumentPosition(document.getElementById("files")) & Node.DOCUMENT_POSITION_FOLLOWING)""")
    page.fill("#problems", "ขาดงบประมาณในการประชุม")
    page.click("a[data-share][href$='export.pdf']")
    assert page.locator("#files-status").is_visible()
    assert exports == [] and page.evaluate("window.__shared") == []
    with page.expect_navigation():
        page.click("#report-form button[value='save']")
    page.click("a[data-share][href$='export.pdf']")
    phone.until("() => window.__shared.length === 1")
    assert page.evaluate("window.__shared") == ["progress-5201-2570.pdf"]


def test_a_conflict_is_said_at_the_indicator_with_the_words_of_both_levels(app, world, phones):
    from korch_pwa.domain.framework import framework_for

    from tests.helpers import record_as

    rubric = {level.score: level.text_th for level in framework_for(2570).indicator("1.1").rubric}
    phone = saved_offline(phones, world, "member_a2", 1)
    page = phone.page
    record_as(app, world, "member_a", {"1.1": 3})
    phone.offline(False)
    notice = page.wait_for_selector("#ind-1\\.1 .conflict-here")
    assert notice.query_selector("a[href='#conflicts']")
    card = page.inner_text('#conflicts fieldset[data-indicator="1.1"]')
    assert f"ของท่าน: 1 {rubric[1]}" in card and f"ของผู้อื่น: 3 {rubric[3]}" in card
    # A choice still waiting is not "all sent": its own state in the header, which leads to it.
    page.wait_for_selector('#outbox-count[data-state="choose"]')
    assert "ต้องเลือก 1" in page.inner_text("#outbox-count")
    page.check('#conflicts input[name="pick-1.1"][value="theirs"]')
    page.click("#conflicts button.primary")
    page.wait_for_selector("#ind-1\\.1 .conflict-here", state="detached")


def test_the_province_board_fits_a_phone_and_leads_to_each_district_s_sending(
        app, world, phones):
    approved_assessment(app, world)
    phone = phones()
    phone.page.set_viewport_size(PHONE)
    phone.login("province")
    phone.visit("/dashboard/")
    page = phone.page
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    cards = page.locator(".area-card")
    assert cards.count() == 13  # Lampang's districts
    offscreen = page.evaluate("""() => [...document.querySelectorAll(".area-card *")]
        .filter((n) => n.getBoundingClientRect().right > innerWidth + 0.5).map((n) => n.textContent)""")
    assert offscreen == []
    # Mueang Lampang has not sent its results: said on its card, with the way to its sending.
    mueang = page.locator("#row-5201")
    assert mueang.locator("button").count() == 0
    assert "ยังไม่ส่ง" in mueang.inner_text()
    _send_round_results(app, world, "5201")
    mueang.locator("a", has_text="ผลที่อำเภอส่ง").click()
    # The accept form names every subdistrict not approved, and still fits the phone.
    page.wait_for_selector("#exception-fields")
    assert page.locator("#exception-fields input").count() > 3
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")


def _send_round_results(app, world, district):
    """The district sends round 1's results (through the service: the phone is the province's)."""
    from sqlalchemy import select

    from korch_pwa.auth.models import User
    from korch_pwa.chain import dispatch_services
    from korch_pwa.chain.models import DueItem

    with app.app_context():
        item = db.session.scalar(select(DueItem).where(DueItem.round_id == world["round"]))
        dispatch_services.send(item, district, db.session.get(User, world["district_x"]))
        db.session.commit()
        db.session.remove()


def _server_answers(app):
    """Return (status, {indicator: score}) of 520101 as the server holds them."""
    from sqlalchemy import select

    from korch_pwa.assessment.models import Answer

    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(
            Assessment.subdistrict_code == "520101"))
        answers = dict(db.session.execute(select(Answer.indicator_code, Answer.score)).all())
        status = assessment.status if assessment else None
        db.session.remove()
    return status, answers


def test_a_pause_in_typing_sends_the_draft_but_never_submits(app, world, live, phones):
    """Recommended in the issue: a draft is queued after a short pause; a submit only on a tap."""
    from korch_pwa.domain.framework import framework_for

    live.app.config["AUTO_QUEUE_MS"] = 400
    phone = phones()
    phone.login("member_a")
    phone.visit(f"/assessment/520101/{world['round']}")
    page = phone.page
    page.check('input[name="score-1.1"][value="2"]')  # and then the phone is put away
    page.wait_for_selector("#form-status .badge-draft")
    phone.wait_unsynced(0)
    assert _server_answers(app) == ("draft", {"1.1": 2})
    # Without signal it waits in the outbox, said and counted, and goes when the signal is back.
    phone.offline()
    page.check('input[name="score-1.2"][value="3"]')
    phone.wait_queued(1)
    page.wait_for_selector("#local-status:has-text('ยังไม่มีสัญญาณ')")
    assert phone.unsynced() == 1
    phone.offline(False)
    phone.wait_unsynced(0)
    phone.until("() => Outbox.items().then(i => i.length === 0)")
    # Every indicator answered and a long pause: still a draft until someone taps send.
    codes = [indicator.code for indicator in framework_for(2570).indicators]
    for code in codes:
        page.check(f'input[name="score-{code}"][value="1"]')
    deadline = time.time() + 15
    while _server_answers(app)[1] != dict.fromkeys(codes, 1) and time.time() < deadline:
        time.sleep(0.2)
    assert _server_answers(app) == ("draft", dict.fromkeys(codes, 1))
