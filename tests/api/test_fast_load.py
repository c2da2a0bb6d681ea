"""The quick answers-item loader agrees with the marshmallow schema of record."""

import uuid

import pytest
from hypothesis import given, settings, strategies as st
from marshmallow import ValidationError

from korch_pwa.domain.limits import INDICATOR_MAX, INT32_MAX, INT32_MIN, NOTE_MAX
from korch_pwa.sync_api.fast_load import load_answers_item
from korch_pwa.sync_api.schemas import ANSWERS, MAX_CHANGES
from tests.helpers import examples

JUNK = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=5),
                 st.integers(min_value=-2**40, max_value=2**40), st.lists(st.integers(),
                                                                            max_size=2))
INTS = st.one_of(st.integers(min_value=-3, max_value=5), st.just(INT32_MAX),
                 st.just(INT32_MAX + 1), st.just(INT32_MIN), st.just(INT32_MIN - 1))
TEXTS = st.one_of(st.text(max_size=20), st.just("\x00"), st.just("\udc00"),
                  st.just("ก" * NOTE_MAX), st.just("ก" * (NOTE_MAX + 1)))
UUIDS = st.one_of(st.uuids().map(str), st.uuids().map(lambda u: str(u).upper()),
                  st.uuids().map(lambda u: u.hex), st.uuids().map(lambda u: f"{{{u}}}"),
                  st.text(max_size=8))


def maybe(strategy):
    """The value, junk of another type, or the key left out (None in the dict builder)."""
    return st.one_of(strategy, strategy, strategy, JUNK, st.just(KeyError))


def answer():
    """A {score, note} object, sometimes with a key missing or an extra one."""
    return st.fixed_dictionaries({}, optional={
        "score": st.one_of(st.none(), INTS, JUNK), "note": st.one_of(TEXTS, JUNK),
        "extra": st.integers()}) | JUNK


def change():
    """One change, sometimes malformed."""
    return st.fixed_dictionaries(
        {"indicator": st.one_of(st.sampled_from(["1.1", "5.4"]), st.text(max_size=3),
                                st.just("x" * INDICATOR_MAX),
                                st.just("x" * (INDICATOR_MAX + 1)), JUNK),
         "mine": answer(), "base": answer()},
        optional={"extra": st.integers()}) | JUNK


def drop_missing(values):
    """Leave out the keys drawn as KeyError."""
    return {k: v for k, v in values.items() if v is not KeyError}


ITEMS = st.fixed_dictionaries({
    "client_id": maybe(UUIDS),
    "type": maybe(st.sampled_from(["assessment.save", "assessment.submit",
                                   "assessment.decide", "other"])),
    "round_id": maybe(INTS),
    "subdistrict_code": maybe(st.sampled_from(["520101", "52010", "5201011", "52010a",
                                               "５２０１０１", "520101\n"])),
    "assessment_id": maybe(st.one_of(st.none(), UUIDS)),
    "version": maybe(INTS),
    "changes": maybe(st.lists(change(), max_size=4)),
    "unknown": maybe(st.integers()),
}).map(drop_missing)


def schema_load(raw):
    """Return what the schema loads, or None when it refuses the item."""
    try:
        return ANSWERS.load(raw)
    except ValidationError:
        return None


@settings(max_examples=examples(600), deadline=None)
@given(ITEMS)
def test_quick_loader_never_accepts_what_the_schema_would_not(raw):
    """Accepted items load exactly as marshmallow loads them; the rest fall back."""
    quick = load_answers_item(raw)
    if quick is not None:
        assert quick == schema_load(raw)


def mostly(valid, invalid):
    """Usually a valid value, sometimes one just past a limit."""
    return st.one_of(*[valid] * 8, invalid)


GOOD_INTS = st.one_of(st.integers(min_value=0, max_value=3), st.just(INT32_MAX),
                      st.just(INT32_MIN))
BAD_INTS = st.one_of(st.just(INT32_MAX + 1), st.just(INT32_MIN - 1), st.just(True))
GOOD_TEXTS = st.one_of(st.text(max_size=20), st.just("ก" * NOTE_MAX))
BAD_TEXTS = st.one_of(st.just("\x00"), st.just("\udc00"), st.just("ก" * (NOTE_MAX + 1)))


def near_answer():
    """A {score, note} object of the right types, values at and near the limits."""
    return st.fixed_dictionaries({}, optional={
        "score": mostly(st.one_of(st.none(), GOOD_INTS), BAD_INTS),
        "note": mostly(GOOD_TEXTS, BAD_TEXTS)})


NEAR_ITEMS = st.fixed_dictionaries({
    "client_id": mostly(st.uuids().map(str), UUIDS),
    "type": st.sampled_from(["assessment.save", "assessment.submit"]),
    "round_id": mostly(GOOD_INTS, BAD_INTS),
    "subdistrict_code": mostly(st.just("520101"),
                               st.sampled_from(["52010", "52010a", "５２０１０１"])),
    "changes": st.lists(st.fixed_dictionaries({
        "indicator": mostly(st.sampled_from(["1.1", "5.4", "x" * INDICATOR_MAX]),
                            st.sampled_from(["", "x" * (INDICATOR_MAX + 1), "\x00"])),
        "mine": near_answer(), "base": near_answer()}), max_size=3),
}, optional={"assessment_id": mostly(st.one_of(st.none(), st.uuids().map(str)), UUIDS),
             "version": mostly(GOOD_INTS, BAD_INTS), "unknown": st.integers()})


@settings(max_examples=examples(1000), deadline=None)
@given(NEAR_ITEMS)
def test_near_misses_load_as_the_schema_loads_them(raw):
    """Items of the right shape with values at and past each limit: the same verdict
    (accepted by both, or left to the schema) and the same loaded values."""
    quick = load_answers_item(raw)
    if quick is not None:
        assert quick == schema_load(raw)


def phone_item(changes):
    """Return an item as the phone's outbox writes it."""
    return {"client_id": str(uuid.uuid4()), "type": "assessment.save", "round_id": 3,
            "subdistrict_code": "520101", "assessment_id": str(uuid.uuid4()), "version": 4,
            "changes": changes}


@pytest.mark.parametrize("changes", [
    [],
    [{"indicator": "1.1", "mine": {"score": 2, "note": "มีคำสั่ง"},
      "base": {"score": None, "note": ""}}],
    [{"indicator": f"{n}", "mine": {"score": 3, "note": ""}, "base": {"score": 2, "note": ""}}
     for n in range(MAX_CHANGES)],
])
def test_what_phones_send_takes_the_quick_path(changes):
    """The common shape never falls back, and loads as the schema loads it."""
    raw = phone_item(changes)
    assert load_answers_item(raw) == ANSWERS.load(raw)


@pytest.mark.parametrize("mutate", [
    lambda raw: raw.update(round_id=True),
    lambda raw: raw.update(round_id=1.0),
    lambda raw: raw.update(client_id=raw["client_id"].replace("-", "")),
    lambda raw: raw["changes"].append({"indicator": "1.1", "mine": {}, "base": {},
                                       "extra": 1}),
    lambda raw: raw["changes"].append({"indicator": "1.1", "mine": {"note": "\x00"},
                                       "base": {}}),
    lambda raw: raw.update(changes=[{"indicator": "1.1", "mine": {}, "base": {}}]
                           * (MAX_CHANGES + 1)),
])
def test_anything_unusual_is_left_to_the_schema(mutate):
    """Strict ints, canonical ids, known keys, storable text, bounded lists; else None."""
    raw = phone_item([])
    mutate(raw)
    assert load_answers_item(raw) is None
