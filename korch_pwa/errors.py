"""Errors that operations raise, their messages and their HTTP status."""

from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

MESSAGES = {
    "not_editable": _l("แบบประเมินนี้ส่งแล้วหรืออนุมัติแล้ว จึงแก้ไขไม่ได้"),
    "incomplete": _l("ยังตอบไม่ครบทุกตัวชี้วัด กรุณาตอบให้ครบก่อนส่ง"),
    # Incomplete's message: the answers were kept as a draft, only the submit was refused.
    "incomplete_draft": _l("บันทึกคำตอบเป็นร่างไว้แล้ว แต่ยังส่งให้อำเภอไม่ได้ "
                           "เพราะยังไม่ได้ตอบตัวชี้วัด %(codes)s"),
    "invalid_score": _l("คะแนนนี้ไม่อยู่ในเกณฑ์ของตัวชี้วัด"),
    "note_too_long": _l("บันทึกเพิ่มเติมยาวเกินไป กรุณาย่อให้ไม่เกิน %(max)s ตัวอักษร"),
    "comment_too_long": _l("ความเห็นยาวเกินไป กรุณาย่อให้ไม่เกิน %(max)s ตัวอักษร"),
    "bad_text": _l("ข้อความมีอักขระที่ระบบเก็บไม่ได้ กรุณาลบแล้วพิมพ์ใหม่"),
    "stale_version": _l("มีผู้อื่นแก้ไขแบบประเมินนี้หลังจากที่ท่านเปิดดู กรุณาเปิดดูฉบับล่าสุดก่อนตัดสินใจ"),
    "transition": _l("ทำรายการนี้ไม่ได้ในสถานะปัจจุบันของแบบประเมิน"),
    "conflict": _l("มีผู้อื่นแก้ไขตัวชี้วัดเดียวกันเป็นค่าอื่น กรุณาเลือกค่าที่ถูกต้อง"),
    "return_reason": _l("กรุณาเขียนความเห็นอย่างน้อยหนึ่งข้อเพื่อให้คณะกรรมการแก้ไข"),
    "no_round": _l("ยังไม่มีรอบการประเมินนี้"),
    "accepted": _l("จังหวัดรับผลแล้ว จึงแก้ไขไม่ได้"),
    "not_all_approved": _l("รับผลไม่ได้ เพราะอำเภอยังอนุมัติผลการประเมินไม่ครบทุกตำบลในรอบนี้"),
    "report_submitted": _l("ส่งรายงานนี้ให้จังหวัดแล้ว จึงแก้ไขไม่ได้"),
    "reporter_missing": _l("กรุณากรอกชื่อและตำแหน่งผู้รายงานก่อนส่ง"),
    "file_type": _l("รับเฉพาะไฟล์ PDF, JPEG หรือ PNG (ตรวจจากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์)"),
    "file_too_large": _l("ไฟล์ใหญ่เกิน 5 MB กรุณาย่อขนาดหรือสแกนใหม่ให้ความละเอียดต่ำลง"),
    "file_empty": _l("ไฟล์ว่างเปล่า กรุณาเลือกไฟล์ใหม่"),
    "not_xlsx": _l("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) กรุณาใช้แบบฟอร์มของระบบ"),
    "import_errors": _l("ไฟล์มีข้อผิดพลาด ยังไม่ได้นำเข้าข้อมูลใด ๆ กรุณาแก้ไขตามรายการแล้วนำเข้าใหม่"),
    "past_term": _l("แก้ไขได้เฉพาะกรรมการในวาระปัจจุบัน"),
    "no_order": _l("ยังไม่มีคำสั่งแต่งตั้ง กรุณาบันทึกคำสั่งแต่งตั้งก่อน"),
    "not_korch_member": _l("เลือกได้เฉพาะกรรมการ ศอช.ต. วาระปัจจุบันของตำบลนี้"),
    # A record outside the person's area, or none at all: the same words for both.
    "not_found": _l("ไม่พบข้อมูลนี้ หรือท่านไม่มีสิทธิ์ดูข้อมูลนี้"),
    # Evidence (korch_pwa/evidence).
    "evidence_type": _l("รับเฉพาะรูปภาพ (JPEG, PNG, WebP) หรือไฟล์ PDF "
                        "(ตรวจจากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์)"),
    "evidence_too_large": _l("ไฟล์ใหญ่เกิน %(max_mb)s MB กรุณาย่อขนาดหรือสแกนใหม่ให้ความละเอียดต่ำลง"),
    "evidence_full": _l("หลักฐานของแบบประเมินนี้รวมกันเกิน %(max_mb)s MB "
                        "กรุณาลบไฟล์ที่ไม่จำเป็นก่อนแนบเพิ่ม"),
    "evidence_too_many": _l("แนบหลักฐานในตัวชี้วัดนี้ได้ไม่เกิน %(max)s ไฟล์"),
    "chunk_too_large": _l("ส่งไฟล์ทีละส่วนได้ไม่เกิน %(max)s ไบต์"),
    "beyond_length": _l("ส่วนของไฟล์ที่ส่งมายาวเกินขนาดไฟล์ที่แจ้งไว้ กรุณาส่งใหม่"),
    "offset_mismatch": _l("ส่งไฟล์ต่อจากจุดที่ไม่ตรงกับที่เครื่องแม่ข่ายได้รับไว้ "
                          "กรุณาส่งต่อจากไบต์ที่ %(offset)s"),
    "hash_mismatch": _l("ไฟล์ที่ได้รับไม่ตรงกับไฟล์ในเครื่อง (อาจเสียระหว่างส่ง) กรุณาส่งใหม่"),
    "file_broken": _l("เปิดรูปภาพนี้ไม่ได้ ไฟล์อาจเสีย กรุณาถ่ายหรือเลือกรูปใหม่"),
    "image_too_large": _l("รูปภาพนี้มีขนาดพิกเซลใหญ่เกินไป กรุณาย่อรูปก่อนแนบ"),
    "unknown_indicator": _l("ไม่มีตัวชี้วัดนี้ในแบบประเมินของปีนี้"),
    # Accounts (korch_pwa/accounts).
    "bad_role": _l("ท่านกำหนดบทบาทนี้ไม่ได้ เลือกได้เฉพาะบทบาทที่ต่ำกว่าของท่าน"),
    "bad_areas": _l("พื้นที่ไม่ตรงกับบทบาท: กรรมการมีได้หนึ่งตำบล "
                    "พัฒนากรตำบลใช้รหัสตำบล 6 หลัก อำเภอ 4 หลัก จังหวัด 2 หลัก"),
    "area_outside": _l("พื้นที่นี้อยู่นอกพื้นที่ที่ท่านรับผิดชอบ"),
    "no_such_area": _l("ไม่พบรหัสพื้นที่ %(codes)s กรุณาตรวจอีกครั้ง"),
    "username_taken": _l("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่นหรือเว้นว่างให้ระบบตั้งให้"),
    "bad_code": _l("ชื่อผู้ใช้หรือรหัสเปิดใช้งานไม่ถูกต้อง หรือรหัสหมดอายุหรือใช้ไปแล้ว "
                   "กรุณาขอรหัสใหม่จากพัฒนากร"),
    "wrong_password": _l("รหัสผ่านปัจจุบันไม่ถูกต้อง"),
    "framework_too_large": _l("ไฟล์เกณฑ์ใหญ่เกิน %(kb)s KB ไฟล์เกณฑ์ปกติมีขนาดไม่กี่สิบ KB"),
    "not_text": _l("ไฟล์นี้ไม่ใช่ข้อความ UTF-8 กรุณาบันทึกไฟล์ YAML เป็น UTF-8"),
    "framework_invalid": _l("ไฟล์เกณฑ์มีข้อผิดพลาด ยังไม่ได้บันทึก กรุณาแก้ไขตามรายการแล้วส่งใหม่"),
    "framework_version_taken": _l("มีเกณฑ์รุ่น %(version)s อยู่แล้วแต่เนื้อหาต่างกัน "
                                  "กรุณาตั้งชื่อรุ่น (version) ใหม่ รุ่นที่ใช้แล้วแก้ไขไม่ได้"),
    "framework_version_long": _l("ชื่อรุ่น (version) ยาวได้ไม่เกิน %(max)s ตัวอักษร"),
    "accounts_busy": _l("มีผู้สร้างบัญชีให้คนกลุ่มเดียวกันนี้อยู่ในขณะเดียวกัน ยังไม่ได้สร้างบัญชีใด "
                        "กรุณาลองใหม่อีกครั้ง"),
    # The reporting chain (korch_pwa/chain).
    "item_already_sent": _l("ส่งรายการนี้แล้ว รอจังหวัดหรือกรมตอบรับ จึงส่งซ้ำไม่ได้"),
    "return_item_reason": _l("กรุณาเขียนเหตุผลที่ส่งกลับ เพื่อให้ผู้ส่งแก้ไขได้ถูกต้อง"),
    "item_changed": _l("รายการนี้มีการเปลี่ยนแปลงหลังจากที่ท่านเปิดดู "
                       "กรุณาดูสถานะล่าสุดก่อนตัดสินใจ"),
}

STATUS = {
    "not_editable": 409, "stale_version": 409, "transition": 409, "conflict": 409,
    "accepted": 409, "incomplete": 422, "invalid_score": 422, "return_reason": 422,
    "note_too_long": 422, "comment_too_long": 422, "bad_text": 422,
    "no_round": 404, "not_all_approved": 409, "report_submitted": 409,
    "reporter_missing": 422, "file_type": 422, "file_too_large": 413, "file_empty": 422,
    "not_xlsx": 422, "import_errors": 422, "past_term": 409, "no_order": 409,
    "not_korch_member": 422,
    "evidence_type": 422, "evidence_too_large": 413, "evidence_full": 413,
    "evidence_too_many": 422, "chunk_too_large": 413, "beyond_length": 422,
    "offset_mismatch": 409, "hash_mismatch": 422, "file_broken": 422,
    "image_too_large": 422, "unknown_indicator": 422, "not_found": 404,
    "bad_role": 422, "bad_areas": 422, "area_outside": 422, "no_such_area": 422,
    "username_taken": 409, "bad_code": 422, "wrong_password": 422, "accounts_busy": 409,
    "framework_too_large": 413, "not_text": 422, "framework_invalid": 422,
    "framework_version_taken": 409, "framework_version_long": 422,
    "item_already_sent": 409, "return_item_reason": 422, "item_changed": 409,
}


class ServiceError(Exception):
    """A refused operation; nothing was changed (but see ``Incomplete``)."""

    def __init__(self, code, field=None, detail=None):
        super().__init__(code)
        self.code = code
        self.field = field
        self.detail = detail

    @property
    def message(self):
        """Return the message in the reader's language (with the detail's values)."""
        text = str(MESSAGES.get(self.code, self.code))
        if "%(" in text and isinstance(self.detail, dict):
            text = text % self.detail
        return text

    @property
    def status(self):
        """Return the HTTP status that fits the error."""
        return STATUS.get(self.code, 400)

    def to_json(self):
        """Return the API error body."""
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.detail is not None:
            body["detail"] = self.detail
        return body


class FieldProblems(ServiceError):
    """Input that breaks a rule, with a domain Message per field (422)."""

    def __init__(self, code, problems):
        super().__init__(code, field=next(iter(problems)), detail=problems)
        self.problems = problems

    @property
    def message(self):
        """Return the first problem in the reader's language."""
        from .i18n import render_message

        return render_message(self.problems[self.field])

    @property
    def status(self):
        """Bad input."""
        return 422


class Incomplete(ServiceError):
    """A submit refused for unanswered indicators after the answers were saved.

    Unlike other ServiceErrors the changes stand: the caller commits them as
    a draft instead of rolling back. ``assessment`` is the saved assessment.
    """

    def __init__(self, assessment, missing):
        super().__init__("incomplete", field="answers", detail=list(missing))
        self.assessment = assessment

    @property
    def message(self):
        """Return the message naming the unanswered indicators."""
        return str(MESSAGES["incomplete_draft"]) % {"codes": ", ".join(self.detail)}


def wants_json():
    """Return True for API calls and clients that ask for JSON."""
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def _rollback():
    """End a failed transaction so that the error page itself can query.

    The page loads the logged-in person (Flask-Login, base.html); after a
    database error the session refuses every query until it is rolled back,
    and an error page that fails leaves only the server's bare 500.
    """
    from .extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the error page must render regardless
        current_app.logger.exception("rollback before the error page failed")


def _http_headers(error):
    """Return the headers HTTP asks for with the error: a 405's Allow, a 429's Retry-After.

    Werkzeug's exception carries them (MethodNotAllowed its valid methods);
    only its own body's Content-Type is left out.
    """
    if not isinstance(error, HTTPException):
        return []
    return [(name, value) for name, value in error.get_headers()
            if name.lower() != "content-type"]


def register_error_handlers(app):
    """Show Thai error pages, or JSON bodies on the API."""

    def handle(code, title):
        def handler(error):
            if code >= 500:
                _rollback()
            from .operations.request_log import current_request_id

            if wants_json():
                body = {"code": code, "message": str(title)}
                if code >= 500:  # what a person or a phone quotes to the help desk
                    body["request_id"] = current_request_id()
                response = jsonify(body)
            else:
                response = app.make_response(render_template(
                    "errors/error.html", code=code, title=title,
                    request_id=current_request_id()))
            response.status_code = code
            response.headers.extend(_http_headers(error))
            return response
        app.register_error_handler(code, handler)

    handle(400, _l("คำขอไม่ถูกต้อง"))
    handle(401, _l("กรุณาเข้าสู่ระบบก่อน"))
    handle(403, _l("ท่านไม่มีสิทธิ์ทำรายการนี้"))
    handle(404, _l("ไม่พบหน้าที่ต้องการ หรือท่านไม่มีสิทธิ์ดูข้อมูลนี้"))
    handle(405, _l("ทำรายการแบบนี้ไม่ได้"))
    handle(413, _l("ไฟล์ใหญ่เกินกำหนด"))
    handle(429, _l("ลองหลายครั้งเกินไป กรุณารอสักครู่แล้วลองใหม่"))
    handle(500, _l("ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง ข้อมูลที่ท่านกรอกยังอยู่ในเครื่อง"))
