"""A quick loader for the answers items phones send every few seconds.

Marshmallow (``schemas.AnswersItemSchema``) stays the schema of record: it
writes the OpenAPI text and explains every refusal. It costs a large share
of a sync request's time, though, for a body whose shape is almost always
the same. This loader accepts only that well-formed shape and returns
exactly what the schema's ``load`` would return; for anything else it returns
None, and the schema decides (and names the bad field). A property test
checks that the two agree on generated items.
"""

import re
import uuid

from ..domain.limits import INDICATOR_MAX, INT32_MAX, INT32_MIN, NOTE_MAX, text_problem
from .schemas import ANSWERS_TYPES, MAX_CHANGES

# The form clients send; fields.UUID accepts others too, which fall back.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}")
_CHANGE_KEYS = frozenset({"indicator", "mine", "base"})
_ANSWER_KEYS = frozenset({"score", "note"})
_MISSING = object()


class _Fallback(Exception):
    """Not the common shape: let marshmallow load it."""


def _int32(value):
    """Return a strict JSON integer within the Integer columns' range."""
    if type(value) is not int or not INT32_MIN <= value <= INT32_MAX:
        raise _Fallback
    return value


def _uuid(value):
    """Return a UUID from its canonical text."""
    if type(value) is not str or not _UUID.fullmatch(value):
        raise _Fallback
    return uuid.UUID(value)


def _text(value, minimum, maximum):
    """Return a storable string of ``minimum`` to ``maximum`` characters."""
    if type(value) is not str or not minimum <= len(value) <= maximum or text_problem(value):
        raise _Fallback
    return value


def _answer(value):
    """Return one {score, note} object with the schema's defaults filled in."""
    if type(value) is not dict or not value.keys() <= _ANSWER_KEYS:
        raise _Fallback
    score = value.get("score")
    note = value.get("note", _MISSING)
    return {"score": None if score is None else _int32(score),
            "note": "" if note is _MISSING else _text(note, 0, NOTE_MAX)}


def _change(value):
    """Return one change: the indicator, the person's value and its base."""
    if type(value) is not dict or value.keys() != _CHANGE_KEYS:
        raise _Fallback
    return {"indicator": _text(value["indicator"], 1, INDICATOR_MAX),
            "mine": _answer(value["mine"]), "base": _answer(value["base"])}


def _subdistrict(value):
    """Return a six-digit subdistrict code."""
    if type(value) is not str or len(value) != 6 or not (value.isascii() and value.isdigit()):
        raise _Fallback
    return value


def load_answers_item(raw):
    """Return ``AnswersItemSchema().load(raw)`` for a well-formed item, else None."""
    try:
        if raw.get("type") not in ANSWERS_TYPES:
            return None
        changes = raw["changes"]
        if type(changes) is not list or len(changes) > MAX_CHANGES:
            return None
        assessment_id = raw.get("assessment_id")
        version = raw.get("version", _MISSING)
        return {"client_id": _uuid(raw["client_id"]), "type": raw["type"],
                "round_id": _int32(raw["round_id"]),
                "subdistrict_code": _subdistrict(raw["subdistrict_code"]),
                "assessment_id": None if assessment_id is None else _uuid(assessment_id),
                "version": 0 if version is _MISSING else _int32(version),
                "changes": [_change(c) for c in changes]}
    except (_Fallback, KeyError):
        return None
