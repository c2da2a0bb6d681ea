"""Record a person's answers in a handful of SQL statements.

The HTML form and the sync API both save answers through ``record_answers``,
so they behave the same. It is the hot path of every phone's sync, so it
speaks SQLAlchemy Core on the session's connection instead of loading ORM
objects, with statements built once: one locked read of the assessment with
its answers, one statement that inserts or updates every changed answer, one
update of the assessment. The rules themselves (merge, scoring,
workflow) stay in ``domain``.

It runs inside the caller's transaction and never commits.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import JSON, Integer, String, Text, bindparam, cast, column, func, select, table
from sqlalchemy.exc import IntegrityError

from ..auth.models import utcnow
from ..domain import merge as merging
from ..domain.limits import NOTE_MAX, text_problem
from ..domain.scoring import AnswerError, check_answer, score
from ..domain.workflow import EDITABLE, Action, Status, TransitionError, next_status
from ..driver import DriverStatement
from ..errors import Incomplete, ServiceError
from ..extensions import db
from ..framework_versions.services import active_version, framework_by_version, pin
from ..notifications.services import notify_assessment
from .models import Answer, Assessment, AssessmentEvent, new_id

ASSESSMENTS = Assessment.__table__
ANSWERS = Answer.__table__
EVENTS = AssessmentEvent.__table__

# What the hot path reads of an assessment: no dates, no relationships.
_STATE = (ASSESSMENTS.c.id, ASSESSMENTS.c.version, ASSESSMENTS.c.status,
          ASSESSMENTS.c.percent, ASSESSMENTS.c.level_code, ASSESSMENTS.c.framework_version)


class IdTaken(Exception):
    """The id a client chose for a new assessment belongs to another one."""


@dataclass
class Recorded:
    """An assessment as it stands after ``record_answers``, with every stored answer."""

    id: str
    version: int
    status: str
    percent: object
    level_code: object
    framework_version: str  # the framework it was made with, for good
    answers: dict = field(default_factory=dict)  # indicator code -> merge.Answer
    written: dict = field(default_factory=dict)  # what this call wrote, the same way
    conflicts: list = field(default_factory=list)
    # Parameters of the answers' write and rescore that the caller sends with
    # its own insert (``with_answers_written``); None once they are written.
    pending: dict = None


def check_changes(framework, changes):
    """Raise ServiceError 422 for a change the framework or the database does not allow."""
    for change in changes:
        where = f"answers.{change.indicator}"
        if text_problem(change.mine.note):
            raise ServiceError("bad_text", field=where, detail={"note": "unstorable"})
        if len(change.mine.note) > NOTE_MAX:
            raise ServiceError("note_too_long", field=where, detail={"max": NOTE_MAX})
        try:
            check_answer(framework, change.indicator, change.mine.score)
        except AnswerError as exc:
            raise ServiceError("invalid_score", field=f"answers.{exc.indicator_code}",
                               detail=exc.reason) from None


STORED = select(ANSWERS.c.indicator_code, ANSWERS.c.score, ANSWERS.c.note).where(
    ANSWERS.c.assessment_id == bindparam("assessment_id"))


def _rescore():
    """Return the rescore: an UPDATE of a table that has only the columns it sets.

    SQLAlchemy adds to an UPDATE's SET clause every parameter named after a
    column of its table; run with the caller's row (``with_answers_written``),
    a ``status`` or ``created_at`` of that row would be written to the
    assessment.
    """
    target = table("assessments", *(column(c.name, c.type) for c in (
        ASSESSMENTS.c.id, ASSESSMENTS.c.version, ASSESSMENTS.c.percent,
        ASSESSMENTS.c.level_code, ASSESSMENTS.c.updated_at)))
    return target.update().where(target.c.id == bindparam("assessment_id")).values(
        version=bindparam("version"), percent=bindparam("percent"),
        level_code=bindparam("level_code"), updated_at=bindparam("at"))


RESCORED = _rescore()


def locking_read(*extra):
    """Return the statement that locks a subdistrict's assessment and reads its answers.

    One round trip instead of two (or three, with the caller's ``extra``
    columns riding along): one row per stored answer, the assessment's state
    repeated on each (one row with empty answer columns when it has none).
    Parameters: ``round_id`` and ``code``. ``FOR UPDATE OF`` the assessment
    on PostgreSQL: two workers syncing the same assessment must not
    interleave their read-merge-write, or one person's answers would be lost.
    SQLite ignores it; a writing request there already holds the database's
    write lock (``korch_pwa.sqlite``).

    ``seen_version`` is the assessment's version in the statement's snapshot.
    Under READ COMMITTED a statement that waited for the lock gets the locked
    row as the other worker committed it, but the answers joined to it as they
    were before that commit; a version that moved on while we waited says so
    (every write of answers raises the version), and ``read_locked`` then
    reads the answers again.
    """
    # Joined once, not a subquery per answer row: PostgreSQL ran that one
    # for each of the 23 rows. Not locked, so when the lock was waited for
    # it keeps the row as the statement first read it, as the answers do.
    seen = ASSESSMENTS.alias("seen")
    return (select(*_STATE, seen.c.version.label("seen_version"), *extra,
                   ANSWERS.c.indicator_code, ANSWERS.c.score, ANSWERS.c.note)
            .select_from(ASSESSMENTS.join(seen, seen.c.id == ASSESSMENTS.c.id).outerjoin(
                ANSWERS, ANSWERS.c.assessment_id == ASSESSMENTS.c.id))
            .where(ASSESSMENTS.c.round_id == bindparam("round_id"),
                   ASSESSMENTS.c.subdistrict_code == bindparam("code"))
            .with_for_update(of=ASSESSMENTS))


LOCKED = DriverStatement(locking_read())


def read_locked(connection, statement, params):
    """Run a ``locking_read`` DriverStatement; return (its first row, a Recorded), or (None, None).

    The Recorded's ``answers`` are what is stored once the lock is ours.
    """
    rows = statement.rows(connection, params)
    if not rows:
        return None, None
    first = rows[0]
    if first.seen_version != first.version:
        # We waited for another writer's commit: the joined answers predate it.
        answers = connection.execute(STORED, {"assessment_id": first.id}).all()
    else:
        answers = [(r.indicator_code, r.score, r.note) for r in rows
                   if r.indicator_code is not None]
    recorded = Recorded(first.id, first.version, first.status, first.percent,
                        first.level_code, first.framework_version,
                        answers={code: merging.Answer(value, note or "")
                                 for code, value, note in answers})
    return first, recorded


def _locked(connection, round_id, subdistrict_code):
    """Return the subdistrict's assessment in the round as a Recorded, locked, or None."""
    return read_locked(connection, LOCKED, {"round_id": round_id, "code": subdistrict_code})[1]


def _create(connection, round_id, fiscal_year, subdistrict_code, assessment_id):
    """Insert a new draft and return it locked; the winner's if another worker won."""
    now = utcnow()
    version = active_version(fiscal_year)
    pin(version)
    try:
        # Two workers may create the same subdistrict's assessment at once:
        # the loser takes the winner's (a savepoint keeps the transaction).
        with db.session.begin_nested():
            # Asked again inside: the session emits the SAVEPOINT only then.
            db.session.connection().execute(ASSESSMENTS.insert().values(
                id=assessment_id or new_id(), round_id=round_id,
                subdistrict_code=subdistrict_code,
                framework_version=version,
                status=Status.DRAFT.value, version=1, created_at=now, updated_at=now))
    except IntegrityError:
        recorded = _locked(connection, round_id, subdistrict_code)
        if recorded is None:  # not the subdistrict's own row: the chosen id is taken
            raise IdTaken(assessment_id) from None
        return recorded
    return _locked(connection, round_id, subdistrict_code)


def locked(round_id, subdistrict_code):
    """Return the subdistrict's assessment in a round as a Recorded, locked, or None."""
    return _locked(db.session.connection(), round_id, subdistrict_code)


def open_locked(round_id, fiscal_year, subdistrict_code, assessment_id=None):
    """Return the subdistrict's assessment in a round as a Recorded, locked, creating a draft."""
    connection = db.session.connection()
    recorded = _locked(connection, round_id, subdistrict_code)
    if recorded is None:
        recorded = _create(connection, round_id, fiscal_year, subdistrict_code, assessment_id)
    return recorded


_UPSERTED = ("score", "note", "updated_at", "updated_by")
_KEY = [ANSWERS.c.assessment_id, ANSWERS.c.indicator_code]
# The order of an answer's values in the SQLite upsert's rows.
_ROW = ("assessment_id", "indicator_code", "score", "note", "updated_at", "updated_by")


@lru_cache(maxsize=1)
def _upsert_sqlite(dialect):
    """Return the answers' INSERT that turns into an UPDATE on a clash, run per row.

    As (its SQL, the dialect's conversion of ``updated_at``), for the
    driver's ``executemany`` with rows in ``_ROW`` order: SQLite runs in the
    process, so each row costs a C call, not a round trip, and SQLAlchemy's
    conversion of each row's parameters would cost more than the rows' writes.
    """
    from sqlalchemy.dialects.sqlite import insert

    statement = insert(ANSWERS)
    compiled = statement.on_conflict_do_update(
        index_elements=_KEY, set_={n: statement.excluded[n] for n in _UPSERTED}
    ).compile(dialect=dialect, column_keys=list(_ROW))
    if tuple(compiled.positiontup) != _ROW:
        raise RuntimeError(f"answers upsert parameters {compiled.positiontup}, not {_ROW}")
    moment = ANSWERS.c.updated_at.type.dialect_impl(dialect).bind_processor(dialect)
    return str(compiled), moment or (lambda value: value)


@lru_cache(maxsize=8)
def _upsert_postgresql(gate=None):
    """Return one INSERT of every row of a JSON array (``answers_json``) that updates on a clash.

    An ``executemany`` would send one statement per answer (psycopg pipelines
    them, but each is still parsed, planned and answered): 23 for a whole form.
    The rows travel as one JSON text, not as three arrays: psycopg adapts a
    list element by element in Python, four times the cost of ``json.dumps``.
    ``gate``: a condition without which no row is written.
    """
    from sqlalchemy.dialects.postgresql import insert

    rows = func.json_to_recordset(cast(bindparam("answers", type_=Text), JSON)).table_valued(
        column("code", String), column("score", Integer), column("note", Text),
    ).render_derived(with_types=True)
    values = select(bindparam("assessment_id", type_=String), rows.c.code, rows.c.score,
                    rows.c.note, bindparam("at", type_=ANSWERS.c.updated_at.type),
                    bindparam("by", type_=Integer))
    statement = insert(ANSWERS).from_select(
        ["assessment_id", "indicator_code", *_UPSERTED],
        values if gate is None else values.where(gate))
    return statement.on_conflict_do_update(
        index_elements=_KEY, set_={n: statement.excluded[n] for n in _UPSERTED})


@lru_cache(maxsize=8)
def with_answers_written(row):
    """Return one statement: insert ``row``, and only if it was inserted, the pending writes.

    PostgreSQL only. ``row`` is an ``INSERT ... ON CONFLICT DO NOTHING
    RETURNING`` (a sync receipt, keyed by the item's client id); the
    answers and the assessment's new version and score are data-modifying
    CTEs that write nothing unless ``row`` did. So the item costs one round
    trip, not three, and a row whose key another request took (it waits
    for that one's commit) writes nothing and raises nothing: the statement
    returns how many rows ``row`` inserted, 0 or 1. Without an error the
    transaction goes on, so a batch needs no savepoint for such an item.
    Parameters: ``row``'s and a Recorded's ``pending``.
    """
    inserted = row.cte("inserted_row")
    written = select(inserted).exists()
    return select(func.count()).select_from(inserted).add_cte(
        _upsert_postgresql(written).cte("written_answers"),
        RESCORED.where(written).cte("rescored"))


def answers_json(to_write):
    """Return the answers to write as ``_upsert_postgresql`` takes them: one JSON array text."""
    return json.dumps([{"code": code, "score": answer.score, "note": answer.note}
                       for code, answer in to_write.items()],
                      ensure_ascii=False, separators=(",", ":"))


def _write_answers(connection, recorded, to_write, actor_id, now, defer=False):
    """Write the changed answers and the rescore, new and stored answers alike.

    PostgreSQL and SQLite both have ``INSERT ... ON CONFLICT DO UPDATE``; the
    statements take their values as parameters, so each is compiled once.
    ``defer`` (PostgreSQL): leave both in ``recorded.pending`` for the caller.
    """
    rescore = {"assessment_id": recorded.id, "version": recorded.version,
               "percent": recorded.percent, "level_code": recorded.level_code, "at": now}
    if connection.dialect.name == "postgresql":
        params = {**rescore, "by": actor_id, "answers": answers_json(to_write)}
        if defer:
            recorded.pending = params
            return
        connection.execute(_upsert_postgresql(), params)
    else:
        sql, moment = _upsert_sqlite(connection.dialect)
        at = moment(now)
        connection.exec_driver_sql(sql, [
            (recorded.id, code, value.score, value.note, at, actor_id)  # _ROW's order
            for code, value in to_write.items()])
    connection.execute(RESCORED, rescore)


def _submit(connection, recorded, result, actor_id, now):
    """Send a complete assessment (``result``: its score) to the district, with its event."""
    if result.missing:
        raise Incomplete(recorded, result.missing)
    old = recorded.status
    try:
        recorded.status = next_status(old, Action.SUBMIT).value
    except TransitionError:
        raise ServiceError("transition", detail={"status": old, "action": "submit"}) from None
    recorded.version += 1
    connection.execute(ASSESSMENTS.update().where(ASSESSMENTS.c.id == recorded.id).values(
        status=recorded.status, version=recorded.version, submitted_at=now, updated_at=now))
    connection.execute(EVENTS.insert().values(
        assessment_id=recorded.id, action=Action.SUBMIT.value, from_status=old,
        to_status=recorded.status, version=recorded.version, actor_id=actor_id,
        comment="", at=now))


def record_answers(round_id, fiscal_year, subdistrict_code, changes, actor_id, send=False,
                   assessment_id=None, recorded=None, defer=False):
    """Merge a person's changes into the subdistrict's assessment, then maybe submit.

    ``changes`` are merge.Change objects; ``assessment_id`` lets an offline
    client choose the id of a new assessment. Return a ``Recorded``; its
    ``conflicts`` are the indicators a person must choose between, and with
    conflicts nothing is submitted. Non-clashing answers are written even
    when others clash. A submit with unanswered indicators raises
    ``Incomplete`` (carrying the Recorded) after the answers are written:
    the caller commits them as a draft. Any other ServiceError means the
    caller must roll back. ``recorded``: the assessment as the caller already
    read it locked (``read_locked``), saving the read. ``defer``: on
    PostgreSQL, a save (not a submit) leaves its writes in the returned
    Recorded's ``pending``; the caller must then run ``with_answers_written``.
    """
    if recorded is None:
        recorded = open_locked(round_id, fiscal_year, subdistrict_code, assessment_id)
    framework = framework_by_version(recorded.framework_version)
    if Status(recorded.status) not in EDITABLE:
        raise ServiceError("not_editable")
    check_changes(framework, changes)
    connection = db.session.connection()
    stored = recorded.answers
    to_write, recorded.conflicts = merging.merge(stored, changes)
    recorded.answers, recorded.written = {**stored, **to_write}, to_write
    now = utcnow()
    send = send and not recorded.conflicts
    if to_write or send:
        result = score(framework, {c: a.score for c, a in recorded.answers.items()})
    if to_write:
        recorded.version += 1
        recorded.percent, recorded.level_code = result.percent, result.level.code
        _write_answers(connection, recorded, to_write, actor_id, now, defer and not send)
    if send:
        _submit(connection, recorded, result, actor_id, now)
        notify_assessment(connection, "assessment_submitted", recorded.id, recorded.version,
                          round_id, subdistrict_code, actor_id, now)
    return recorded
