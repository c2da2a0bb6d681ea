"""Apply an outbox batch: one transaction, each item in its own scope.

Every item is durable before the response names it stored: the batch
commits once, after the last item, and only then is the response sent.
One item's refusal undoes that item alone: its savepoint, or for a save
that writes everything in one all-or-nothing statement, nothing to undo
(``_AtOnce``).
"""

import json
from functools import lru_cache
from typing import NamedTuple

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import bindparam, select

from ..assessment import recording
from ..assessment import services as assessing
from ..assessment.models import Assessment, Round
from ..auth import claims
from ..auth.claims import PERSON_COLUMNS
from ..auth.models import utcnow
from ..domain.merge import Answer, Change
from ..domain.roles import Permission
from ..domain.sync import (answer_json, change_field, conflict_json, error_result,
                           flatten_errors)
from ..driver import DriverStatement, json_value
from ..errors import Incomplete, ServiceError
from ..evidence import attachments
from ..evidence.schemas import ATTACH_TYPE, REMOVE_TYPE
from ..extensions import db
from ..inserts import ignoring, insert_ignore
from ..org.models import Area
from .fast_load import load_answers_item
from .models import SyncReceipt
from .schemas import ANSWERS_TYPES, ENVELOPE, item_schema

RECEIPTS = SyncReceipt.__table__
# Items about one subdistrict's assessment in a round.
ROUND_TYPES = frozenset({*ANSWERS_TYPES, ATTACH_TYPE})


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


def _answers_state(recorded):
    """Return a recording.Recorded with every stored answer, the phone's new base."""
    return {**_state(recorded),
            "answers": {code: answer_json(value)
                        for code, value in sorted(recorded.answers.items())}}


def _changes(rows):
    """Return merge.Change objects from loaded change dicts."""
    return [Change(r["indicator"], Answer(r["mine"]["score"], r["mine"]["note"].strip()),
                   Answer(r["base"]["score"], r["base"]["note"].strip())) for r in rows]


def _not_found(field):
    """Return the refusal for a record outside the person's area or missing."""
    return Refused(404, "not_found", ServiceError("not_found").message, field)


def _forbidden():
    """Return the refusal for a role that may not do this."""
    return Refused(403, "forbidden", _("ท่านไม่มีสิทธิ์ทำรายการนี้"))


def _scalar(column, where):
    """Return a one-value subquery."""
    return select(column).where(where).scalar_subquery()


# Built once with parameters: the hot path pays for no statement building.
_RECEIPT_OF_ITEM = [
    _scalar(RECEIPTS.c.user_id, RECEIPTS.c.client_id == bindparam("client_id"))
    .label("user_id"),
    _scalar(RECEIPTS.c.response, RECEIPTS.c.client_id == bindparam("client_id"))
    .label("response")]
_ROUND_AND_AREA = [
    _scalar(Round.fiscal_year, Round.id == bindparam("round_id")).label("fiscal_year"),
    _scalar(Area.level, Area.code == bindparam("code")).label("level")]
# Each lookup also reads the person, to confirm the session's claims (``claims``).
LOOKUP_RECEIPT = DriverStatement(select(*_RECEIPT_OF_ITEM, *PERSON_COLUMNS))
LOOKUP_ANSWERS = DriverStatement(select(*_RECEIPT_OF_ITEM, *_ROUND_AND_AREA, *PERSON_COLUMNS))
# The same, with the assessment locked and its answers, in one round trip.
LOCK_WITH_RECEIPT = DriverStatement(recording.locking_read(
    *_RECEIPT_OF_ITEM, *_ROUND_AND_AREA, *PERSON_COLUMNS))


class Found(NamedTuple):
    """What an item needs read before it runs (see ``_lookup``)."""

    user_id: object  # the receipt's: None when the item is new
    response: object
    fiscal_year: object = None  # None when the round is missing
    level: object = None  # the area's; None when missing
    recorded: object = None  # the assessment, locked, when read with the rest
    # True when the item's only write will be its receipt's one statement
    # (``_receipt_with_answers``): in a batch it needs no savepoint.
    at_once: bool = False


def _may_edit(data, user):
    """True when the person may change answers of the item's subdistrict."""
    return user.can(Permission.EDIT_ASSESSMENT) and user.covers(data["subdistrict_code"])


def _lookup(data, user):
    """Return what an item needs read before it runs, as a ``Found``, in one statement.

    For an answers item the person may make, the subdistrict's assessment is
    read locked in the same statement (when it exists). Someone without the
    right never takes the lock: their item is refused from the plain lookup.
    The statement also reads the stored person, which confirms the session's
    claims (``claims.confirm``); claims gone stale undo the whole request,
    lock included, before anything is written.
    """
    connection = db.session.connection()
    params = {"client_id": str(data["client_id"]), "user_id": user.id}
    if data["type"] not in ROUND_TYPES:
        row = LOOKUP_RECEIPT.first(connection, params)
        claims.confirm(user, row)
        return Found(row.user_id, row.response)
    params.update(round_id=data["round_id"], code=data["subdistrict_code"])
    if data["type"] in ANSWERS_TYPES and _may_edit(data, user):
        row, recorded = recording.read_locked(connection, LOCK_WITH_RECEIPT, params)
        if row is not None:
            claims.confirm(user, row)
            # A save of a stored assessment defers its writes (record_answers'
            # ``defer``), which PostgreSQL sends with the receipt.
            at_once = (data["type"] == "assessment.save"
                       and connection.dialect.name == "postgresql")
            return Found(row.user_id, row.response, row.fiscal_year, row.level, recorded,
                         at_once)
    row = LOOKUP_ANSWERS.first(connection, params)
    claims.confirm(user, row)
    return Found(row.user_id, row.response, row.fiscal_year, row.level)


def _editing(data, user, found):
    """Refuse an item about a subdistrict's assessment the person may not change."""
    if not user.can(Permission.EDIT_ASSESSMENT):
        raise _forbidden()
    if not user.covers(data["subdistrict_code"]) or found.level != "subdistrict":
        raise _not_found("subdistrict_code")
    if found.fiscal_year is None:
        raise _not_found("round_id")


def _apply_answers(data, user, found):
    """Save (and for a submit item, submit) one subdistrict's answers.

    Return (result, the writes left pending for the receipt's statement).
    """
    _editing(data, user, found)
    code, fiscal_year = data["subdistrict_code"], found.fiscal_year
    wanted = str(data["assessment_id"]) if data["assessment_id"] else None
    try:
        recorded = recording.record_answers(
            data["round_id"], fiscal_year, code, _changes(data["changes"]), user.id,
            send=data["type"] == "assessment.submit", assessment_id=wanted,
            recorded=found.recorded, defer=True)
    except recording.IdTaken:
        raise _not_found("assessment_id") from None
    if wanted and recorded.id != wanted and _exists(wanted):
        # The phone's id names another round's or subdistrict's assessment
        # (checked only then: phones send the id they were given, so it matches).
        raise _not_found("assessment_id")
    result = {"assessment": _answers_state(recorded)}
    if recorded.conflicts:
        result.update(status="conflict", status_code=409,
                      message=_("มีผู้อื่นแก้ไขตัวชี้วัดเดียวกันเป็นค่าอื่น กรุณาเลือกค่าที่ถูกต้อง"),
                      conflicts=[conflict_json(c) for c in recorded.conflicts])
    else:
        result.update(status="ok", status_code=200)
    return result, recorded.pending


def _exists(assessment_id):
    """Return True when an assessment with this id is stored."""
    return db.session.connection().execute(
        select(Assessment.id).where(Assessment.id == assessment_id)).first() is not None


def _apply_attach(data, user, found):
    """Attach a file, by hash, to an indicator of a subdistrict's assessment."""
    _editing(data, user, found)
    attachment, recorded = attachments.attach(data, found.fiscal_year, user.id)
    return {"status": "ok", "status_code": 200, "attachment": attachment,
            "assessment": _state(recorded)}


def _apply_remove(data, user):
    """Remove an attached file."""
    if not user.can(Permission.EDIT_ASSESSMENT):
        raise _forbidden()
    recorded = attachments.remove(str(data["attachment_id"]), user, user.id)
    if recorded is None:
        raise _not_found("attachment_id")
    return {"status": "ok", "status_code": 200, "assessment": _state(recorded)}


def _apply_decision(data, user):
    """Approve or return an assessment about the version the officer saw."""
    if not user.can(Permission.DECIDE_ASSESSMENT):
        raise _forbidden()
    assessment = db.session.get(Assessment, str(data["assessment_id"]))
    if assessment is None or not user.covers(assessment.subdistrict_code):
        raise _not_found("assessment_id")
    assessing.decide(assessment, user, data["decision"], data["seen_version"],
                     data["comments"], data["comment"], data["evidence_wanted"])
    return {"status": "ok", "status_code": 200, "assessment": _state(assessment)}


def _load(raw, index):
    """Validate one raw item; return (data, None) or (None, error result)."""
    prefix = f"items.{index}"
    if not isinstance(raw, dict):
        return None, error_result(None, 422, "invalid", invalid_message(), field=prefix,
                                  detail=[{"field": prefix, "reason": "Not an object."}])
    data = load_answers_item(raw)
    if data is not None:
        return data, None
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


def _apply(data, user, prefix, found):
    """Run one valid item; return (result, keep: whether its changes stand, pending).

    ``pending``: an answers item's writes, for ``_store`` to send with the
    receipt (``recording.with_answers_written``), or None.
    """
    client_id = str(data["client_id"])
    pending = None
    try:
        if data["type"] == "assessment.decide":
            result = _apply_decision(data, user)
        elif data["type"] == ATTACH_TYPE:
            result = _apply_attach(data, user, found)
        elif data["type"] == REMOVE_TYPE:
            result = _apply_remove(data, user)
        else:
            result, pending = _apply_answers(data, user, found)
    except Incomplete as exc:
        # The answers are saved as a draft (committed with the receipt); only
        # the submit is refused, so the phone still learns the stored answers.
        return ({**_error(data, exc, prefix), "assessment": _answers_state(exc.assessment)},
                True, None)
    except ServiceError as exc:
        return _error(data, exc, prefix), False, None
    return {"client_id": client_id, **result}, True, pending


def _error(data, exc, prefix):
    """Return the result of an item a ServiceError refused."""
    field = change_field(_changes(data.get("changes", [])), exc.field, prefix)
    return error_result(str(data["client_id"]), exc.status, exc.code, exc.message,
                        field, exc.detail)


class _Transaction:
    """The whole transaction as an item's scope: a batch of one needs no savepoint."""

    def commit(self):
        """Keep the item's changes; the batch commits them."""

    def rollback(self):
        """Undo the item's changes, which are all the transaction holds."""
        db.session.rollback()


class _AtOnce:
    """The scope of an item that writes nothing before one statement that cannot fail on a clash.

    There is nothing to undo before that statement, and it writes all or
    nothing (``recording.with_answers_written``), so a batch saves the
    SAVEPOINT and RELEASE round trips.
    """

    def commit(self):
        """Keep the item's changes; the batch commits them."""

    def rollback(self):
        """Nothing of the item is written yet."""


def _scope(savepoint, found=None):
    """Return what an item's changes live in: a savepoint, the transaction, or nothing."""
    if found is not None and found.at_once:
        return _AtOnce()
    return db.session.begin_nested() if savepoint else _Transaction()


@lru_cache(maxsize=1)
def _receipt_with_answers():
    """Return the statement that stores a receipt and its item's pending answers (PostgreSQL)."""
    row = ignoring(RECEIPTS, "postgresql").values(
        {c.name: bindparam(c.name, type_=c.type) for c in RECEIPTS.c})
    return DriverStatement(recording.with_answers_written(row))


def _store(data, user, result, scope, pending=None):
    """Write the item's receipt beside its changes; return the result to send.

    ``pending``: the item's answers, written by the receipt's statement.
    Two requests racing with the same client id: the loser's insert, which
    PostgreSQL makes wait for the winner's commit, inserts nothing (ON
    CONFLICT DO NOTHING); the loser undoes the item and answers with the
    winner's receipt.
    """
    client_id = str(data["client_id"])
    # Every column given: the statement that also writes answers binds each one.
    receipt = {"client_id": client_id, "user_id": user.id, "item_type": data["type"],
               "status": result["status"], "response": result, "created_at": utcnow()}
    connection = db.session.connection()
    if pending is None:
        stored = insert_ignore(connection, RECEIPTS, receipt)
    else:
        # On the driver, which takes the JSON column as text.
        stored = _receipt_with_answers().scalar(
            connection, {**receipt, "response": json.dumps(result), **pending})
    if not stored:
        scope.rollback()
        winner = LOOKUP_RECEIPT.first(db.session.connection(),
                                      {"client_id": client_id, "user_id": user.id})
        return _replay(winner, user, client_id)
    scope.commit()
    return result


def _replay(receipt, user, client_id):
    """Return a stored result, or an error when the id belongs to someone else."""
    if receipt.user_id != user.id:
        return error_result(client_id, 409, "duplicate_id",
                            _("รหัสรายการนี้ถูกใช้แล้ว"), field="client_id")
    return json_value(receipt.response)


def apply_item(raw, index, user, savepoint=False):
    """Apply one raw item in its own scope (see ``_scope``); return its result.

    A refused item leaves nothing but, for a refusal of the rules (not of the
    person's rights), its receipt, so that a resend is answered the same way.
    """
    data, invalid = _load(raw, index)
    if invalid:
        return invalid
    client_id = str(data["client_id"])
    found = _lookup(data, user)
    if found.user_id is not None:
        return _replay(found, user, client_id)
    scope = _scope(savepoint, found)
    try:
        result, keep, pending = _apply(data, user, f"items.{index}", found)
    except Refused as exc:
        scope.rollback()
        field = f"items.{index}.{exc.field}" if exc.field else None
        return error_result(client_id, exc.status_code, exc.code, exc.message, field)
    if not keep:
        scope.rollback()
        scope = _scope(savepoint)
        pending = None
    return _store(data, user, result, scope, pending)


def apply_batch(items, user):
    """Apply every item of a batch and commit once; one bad item does not undo the others."""
    savepoint = len(items) > 1
    results = [apply_item(raw, index, user, savepoint) for index, raw in enumerate(items)]
    claims.confirm_now(user)  # when no item read anything (all of them invalid)
    db.session.commit()
    return results
