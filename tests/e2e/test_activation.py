"""A member gets an account from the register, activates it on a phone and fills the form."""

import re
import time
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from korch_pwa.assessment.models import Answer
from korch_pwa.extensions import db
from tests.register_data import make_committee

from .test_offline import form_url, pick

NEW_PASSWORD = "ช้างเผือกบินข้ามดอย"


def test_from_the_register_to_a_filled_form_on_the_members_phone(app, world, phones):
    with app.app_context():
        make_committee("520101", members=(
            ("นาง", "บัวผัน", "ขยันดี", "ประธาน", "", ""),
            ("นาย", "ทองคำ", "ใจซื่อ", "เลขานุการ", "", "")))
        db.session.remove()
    officer = phones("officer")
    officer.login("district_x")
    officer.page.goto("/register/520101")
    officer.page.click("text=บัญชีผู้ใช้ของกรรมการ")
    officer.page.uncheck("label:has-text('ทองคำ') input")
    with officer.page.expect_download() as download:
        officer.page.click("#slips-form button.primary")
    text = "\n".join(p.extract_text() for p in PdfReader(
        BytesIO(open(download.value.path(), "rb").read())).pages)
    assert "นางบัวผัน ขยันดี" in text and "ทองคำ" not in text
    username = re.search(r"ชื่อผู้ใช้: (520101-[0-9]+)", text).group(1)
    code = re.search(r"รหัสเปิดใช้งาน: ([0-9]{4}) ([0-9]{4})", text).groups()

    # The member scans the slip's QR code: the link names the username, the code rides
    # after "#" (never sent to the server) and the page fills it in.
    member = phones("member")
    page = member.page
    page.goto(f"/activate?u={username}#c={''.join(code)}")
    assert page.input_value("#username") == username
    assert page.input_value("#code") == "".join(code)
    assert "#" not in page.url
    page.fill("#password", NEW_PASSWORD)
    page.check("[data-show-password]")
    assert page.get_attribute("#password", "type") == "text"
    page.fill("#confirm", NEW_PASSWORD)
    with page.expect_navigation():
        page.click("main form button.primary")
    assert "ยินดีต้อนรับ" in page.inner_text("main")

    member.visit(form_url(world))
    pick(page, "1.1", 2)
    page.wait_for_selector("#local-status:has-text('บันทึกในเครื่องแล้ว')")
    page.click('button[value="save"]')
    deadline = time.monotonic() + 15
    while stored_score(app) != 2:  # sent by the outbox as soon as it is queued
        assert time.monotonic() < deadline, "the answer never reached the server"
        time.sleep(0.1)
    member.wait_unsynced(0)


def stored_score(app):
    with app.app_context():
        score = db.session.scalar(select(Answer.score).where(Answer.indicator_code == "1.1"))
        db.session.remove()
    return score
