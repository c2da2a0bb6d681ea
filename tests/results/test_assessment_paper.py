"""One assessment on paper: what the PDF says, and who may print it."""

from datetime import datetime, timezone
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from korch_pwa.assessment import services
from korch_pwa.assessment.models import Assessment
from korch_pwa.auth.models import User
from korch_pwa.committees.models import ExportLog
from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.thai_dates import thai_digits
from korch_pwa.evidence.models import EvidenceAttachment
from korch_pwa.extensions import db
from korch_pwa.results.assessment_paper import Paper, Step, build_pdf
from tests.helpers import record_as

FRAMEWORK = framework_for(2570)
INDICATORS = FRAMEWORK.indicators


def pdf_text(data):
    """Return the text of every page, with line breaks and spaces taken out.

    The paper wraps long Thai lines wherever they fit, so words are compared
    without the breaks the layout put in.
    """
    pages = PdfReader(BytesIO(data)).pages
    return "".join(page.extract_text() for page in pages).replace("\n", "").replace(" ", "")


def squash(text):
    return thai_digits(text).replace(" ", "")


def paper(**extra):
    scores = {i.code: 2 for i in INDICATORS}
    scores[INDICATORS[-1].code] = None
    base = dict(
        framework=FRAMEWORK, place="ตำบลเวียงเหนือ อำเภอเมืองลำปาง จังหวัดลำปาง",
        fiscal_year=2570, round_number=1, status="approved", percent=61.25,
        level_code="good", scores=scores,
        notes={INDICATORS[0].code: "ประชุมครบ 2 ครั้ง\nมีรายงานการประชุม"},
        evidence={INDICATORS[0].code: ["คำสั่งแต่งตั้ง", "รูปการประชุม"]},
        history=(Step(datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc), "คุณ สมใจ", "submit"),
                 Step(datetime(2026, 11, 12, 9, 30, tzinfo=timezone.utc), "คุณ พัฒนากร",
                      "return", "ขอรูปเพิ่ม"),
                 Step(datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc), "คุณ พัฒนากร",
                      "approve")),
        approver="คุณ พัฒนากร")
    base.update(extra)
    return Paper(**base)


def test_the_paper_shows_every_indicator_with_the_level_chosen():
    text = pdf_text(build_pdf(paper()))
    assert squash("ตำบลเวียงเหนือ อำเภอเมืองลำปาง จังหวัดลำปาง") in text
    assert squash("ปีงบประมาณ พ.ศ. 2570 ครั้งที่ 1") in text
    assert squash("สถานะ: อนุมัติแล้ว · คะแนนรวมถ่วงน้ำหนัก 61.25 จาก 100 · ระดับดี") in text
    for indicator in INDICATORS[:-1]:
        assert squash(f"{indicator.code} {indicator.name_th}") in text
        chosen = next(r.text_th for r in indicator.rubric if r.score == 2)
        assert squash(f"ระดับที่เลือก: 2 จาก {indicator.max_score} คะแนน — {chosen}") in text
    assert squash("ระดับที่เลือก: ยังไม่ได้ตอบ") in text  # the last one, unanswered
    for category in FRAMEWORK.categories:
        assert squash(f"หมวด {category.code} {category.name_th}") in text
    assert squash("(ร่างเกณฑ์)") in text  # the drafted indicators say so on paper too


def test_the_paper_keeps_notes_files_history_and_signature_lines():
    text = pdf_text(build_pdf(paper()))
    assert squash("หมายเหตุ: ประชุมครบ 2 ครั้ง") in text and squash("มีรายงานการประชุม") in text
    assert squash("หลักฐาน (2 ไฟล์): คำสั่งแต่งตั้ง, รูปการประชุม") in text
    assert text.count(squash("หลักฐาน: ไม่มีหลักฐานแนบ")) == len(INDICATORS) - 1
    assert squash("10 พ.ย. 2569 09:00 น. · คุณ สมใจ · ส่งให้อำเภอ") in text  # Bangkok time
    assert squash("คุณ พัฒนากร · ส่งกลับให้แก้ไข: ขอรูปเพิ่ม") in text
    assert squash("ประธานศูนย์ประสานงานองค์การชุมชนตำบล (ศอช.ต.)") in text
    assert squash("(คุณ พัฒนากร)พัฒนากรผู้ตรวจและรับรองผล") in text


def test_a_draft_paper_leaves_the_officer_to_sign_by_hand():
    text = pdf_text(build_pdf(paper(status="draft", percent=None, level_code=None,
                                    history=(), approver=None)))
    assert squash("สถานะ: ร่าง") in text and squash("ยังไม่มี") in text
    assert "คะแนนรวมถ่วงน้ำหนัก" not in text
    assert squash("(" + "." * 40 + ")พัฒนากรผู้ตรวจ") in text


@pytest.fixture
def approved(app, world):
    scores = {i.code: 3 for i in INDICATORS}
    assessment_id, _ = record_as(app, world, "member_a", scores, send=True)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        db.session.add(EvidenceAttachment(
            id="att-1", assessment_id=assessment_id, indicator_code=INDICATORS[0].code,
            sha256="a" * 64, content_type="application/pdf", size=10, filename="คำสั่ง.pdf",
            added_by=world["member_a"]))
        services.approve(assessment, db.session.get(User, world["district_x"]),
                         assessment.version, "เรียบร้อย")
        db.session.commit()
        db.session.remove()
    return assessment_id


@pytest.mark.parametrize("who", ["member_a", "district_x", "province", "department"])
def test_the_committee_and_its_officers_print_it(client, auth, app, approved, who):
    auth.login(who)
    response = client.get(f"/paper/assessment/{approved}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "korch-assessment-520101-2570-r1.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert squash("(คุณ district_x)") in text and squash("คำสั่ง.pdf") in text
    assert squash("อนุมัติ: เรียบร้อย") in text
    with app.app_context():
        logged = [(r.user.username, r.area_code, r.what)
                  for r in db.session.scalars(select(ExportLog)).unique()]
    assert logged == [(who, "520101", "assessment_pdf")]


@pytest.mark.parametrize("who", ["member_b", "district_y", "tambon"])
def test_nobody_else_prints_it(client, auth, app, world, who):
    assessment_id, _ = record_as(app, world, "member_b", {INDICATORS[0].code: 1},
                                 code="520102")
    # member_a is of 520101; tambon covers 520101 and 520103; district_y another district.
    auth.login("member_a" if who == "member_b" else who)
    assert client.get(f"/paper/assessment/{assessment_id}.pdf").status_code == 404


def test_an_unknown_assessment_is_not_found_and_a_stranger_must_log_in(client, auth, world):
    assert "/login" in client.get("/paper/assessment/nope.pdf").headers["Location"]
    auth.login("department")
    assert client.get("/paper/assessment/nope.pdf").status_code == 404


def test_the_review_and_form_pages_offer_the_paper(client, auth, app, world, approved):
    link = f"/paper/assessment/{approved}.pdf"
    auth.login("district_x")
    assert link in client.get(f"/review/{approved}").get_data(as_text=True)
    auth.logout()
    auth.login("member_a")
    page = client.get(f"/assessment/520101/{world['round']}").get_data(as_text=True)
    assert link in page
