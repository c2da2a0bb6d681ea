"""Apply an outbox batch item by item, each in its own transaction."""

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError

from ..assessment import services as assessing
from ..assessment.models import Assessment, Round
from ..domain.merge import Answer, Change
from ..domain.roles import Permission
from ..domain.sync import (answer_json, change_field, conflict_json, error_result,
                           flatten_errors)
from ..errors import Incomplete, ServiceError
from ..extensions import db
from ..org.services import area_or_none
from .models import SyncReceipt
from .schemas import ENVELOPE, item_schema


def invalid_message():
    """Return the message for an item the server cannot read."""
    return _("ข้อมูลที่ส่งมาไม่ครบหรือไม่ถูกต้อง กรุณาเปิดแบบประเมินแล้วบันทึกอีกครั้ง")


class Refused(Exception):
    """An item the person may not apply (403/404); nothing is stored for it."""

    def __init__(self, status_code, code, message, field=None):
        super().__init__(code)
        self.status_code, self.code, self.message, self.field = (
            status_code, code, message, field)


def _state(assessment):
    """Return the assessment's state for the client."""
    return {"id": assessment.id, "version": assessment.version,
            "status": assessment.status, "percent": assessment.percent}


def _answers_state(assessment):
    """Return the state with every stored answer, the phone's new base."""
    stored = assessing.stored_answers(assessment)
    return {**_state(assessment),
            "answers": {code: answer_json(value) for code, value in sorted(stored.items())}}


def _changes(rows):
    """Return merge.Change objects from loaded change dicts."""
    return [Change(r["indicator"], Answer(r["mine"]["score"], r["mine"]["note"].strip()),
                   Answer(r["base"]["score"], r["base"]["note"].strip())) for r in rows]


def _not_found(field):
    """Return the refusal for a record outside the person's area or missing."""
    return Refused(404, "not_found", _("ไม่พบข้อมูลนี้ หรือท่านไม่มีสิทธิ์ดูข้อมูลนี้"), field)


def _forbidden():
    """Return the refusal for a role that may not do this."""
    return Refused(403, "forbidden", _("ท่านไม่มีสิทธิ์ทำรายการนี้"))


def _apply_answers(data, user):
    """Save (and for a submit item, submit) one subdistrict's answers."""
    if not user.can(Permission.EDIT_ASSESSMENT):
        raise _forbidden()
    code = data["subdistrict_code"]
    area = area_or_none(code)
    if not user.covers(code) or area is None or area.level != "subdistrict":
        raise _not_found("subdistrict_code")
    rnd = db.session.get(Round, data["round_id"])
    if rnd is None:
        raise _not_found("round_id")
    wanted = str(data["assessment_id"]) if data["assessment_id"] else None
    if wanted:
        other = db.session.get(Assessment, wanted)
        if other is not None and (other.round_id, other.subdistrict_code) != (rnd.id, code):
            raise _not_found("assessment_id")
    changes = _changes(data["changes"])
    assessment, conflicts = assessing.record_answers(
        rnd, code, changes, user, send=data["type"] == "assessment.submit",
        assessment_id=wanted)
    result = {"assessment": _answers_state(assessment)}
    if conflicts:
        result.update(status="conflict", status_code=409,
                      message=_("มีผู้อื่นแก้ไขตัวชี้วัดเดียวกันเป็นค่าอื่น กรุณาเลือกค่าที่ถูกต้อง"),
                      conflicts=[conflict_json(c) for c in conflicts])
    else:
        result.update(status="ok", status_code=200)
    return result


def _apply_decision(data, user):
    """Approve or return an assessment about the version the officer saw."""
    if not user.can(Permission.DECIDE_ASSESSMENT):
        raise _forbidden()
    assessment = db.session.get(Assessment, str(data["assessment_id"]))
    if assessment is None or not user.covers(assessment.subdistrict_code):
        raise _not_found("assessment_id")
    assessing.decide(assessment, user, data["decision"], data["seen_version"],
                     data["comments"], data["comment"])
    return {"status": "ok", "status_code": 200, "assessment": _state(assessment)}


def _load(raw, index):
    """Validate one raw item; return (data, None) or (None, error result)."""
    prefix = f"items.{index}"
    if not isinstance(raw, dict):
        return None, error_result(None, 422, "invalid", invalid_message(), field=prefix,
                                  detail=[{"field": prefix, "reason": "Not an object."}])
    # A junk client id (a number, a list...) is echoed as null: the phone
    # matches results by position, and the result must never fail to build.
    client_id = raw.get("client_id")
    if not isinstance(client_id, str):
        client_id = None
    try:
        envelope = ENVELOPE.load(raw)
        return item_schema(envelope["type"]).load(raw), None
    except ValidationError as exc:
        # The person reads the message; a developer reads field and reason in detail.
        errors = flatten_errors(exc.messages, prefix)
        return None, error_result(client_id, 422, "invalid", invalid_message(),
                                  field=errors[0]["field"], detail=errors)


def _apply(data, user, prefix):
    """Run one valid item; return its result (ServiceErrors become results)."""
    client_id = str(data["client_id"])
    try:
        if data["type"] == "assessment.decide":
            result = _apply_decision(data, user)
        else:
            result = _apply_answers(data, user)
    except Incomplete as exc:
        # The answers are saved as a draft (committed with the receipt); only
        # the submit is refused, so the phone still learns the stored answers.
        return {**_error(data, exc, prefix), "assessment": _answers_state(exc.assessment)}
    except ServiceError as exc:
        db.session.rollback()
        return _error(data, exc, prefix)
    return {"client_id": client_id, **result}


def _error(data, exc, prefix):
    """Return the result of an item a ServiceError refused."""
    field = change_field(_changes(data.get("changes", [])), exc.field, prefix)
    return error_result(str(data["client_id"]), exc.status, exc.code, exc.message,
                        field, exc.detail)


def _store(data, user, result):
    """Commit the item's changes with its receipt; return the result to send.

    Two requests racing with the same client id: the loser's insert fails
    on the primary key, it rolls back and answers with the winner's receipt.
    """
    client_id = str(data["client_id"])
    db.session.add(SyncReceipt(client_id=client_id, user_id=user.id,
                               item_type=data["type"], status=result["status"],
                               response=result))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        receipt = db.session.get(SyncReceipt, client_id)
        if receipt is None:
            # Not our receipt that clashed: let the batch fail (500) and the
            # client resend it; the items already stored answer from receipts.
            raise
        return _replay(receipt, user, client_id)
    return result


def _replay(receipt, user, client_id):
    """Return a stored result, or an error when the id belongs to someone else."""
    if receipt.user_id != user.id:
        return error_result(client_id, 409, "duplicate_id",
                            _("รหัสรายการนี้ถูกใช้แล้ว"), field="client_id")
    return receipt.response


def apply_item(raw, index, user):
    """Apply one raw item in its own transaction and return its result."""
    data, invalid = _load(raw, index)
    if invalid:
        return invalid
    client_id = str(data["client_id"])
    receipt = db.session.get(SyncReceipt, client_id)
    if receipt is not None:
        return _replay(receipt, user, client_id)
    try:
        result = _apply(data, user, f"items.{index}")
    except Refused as exc:
        db.session.rollback()
        field = f"items.{index}.{exc.field}" if exc.field else None
        return error_result(client_id, exc.status_code, exc.code, exc.message, field)
    return _store(data, user, result)


def apply_batch(items, user):
    """Apply every item of a batch; one bad item does not undo the others."""
    return [apply_item(raw, index, user) for index, raw in enumerate(items)]
