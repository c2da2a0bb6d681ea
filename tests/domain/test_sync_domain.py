"""The pure helpers of the sync API and the shell version."""

from korch_pwa.domain.merge import Answer, Change, Conflict
from korch_pwa.domain.shell import SHELL_STATIC, shell_version
from korch_pwa.domain.sync import (change_field, conflict_json, error_result,
                                   flatten_errors)


def test_flatten_errors_names_the_full_path():
    """Nested marshmallow messages become dotted fields with their reason."""
    messages = {"changes": {1: {"mine": {"score": ["Not a valid integer."]}}},
                "round_id": ["Missing data for required field."]}
    assert flatten_errors(messages, "items.0") == [
        {"field": "items.0.changes.1.mine.score", "reason": "Not a valid integer."},
        {"field": "items.0.round_id", "reason": "Missing data for required field."},
    ]


def test_flatten_errors_without_prefix_and_plain_values():
    """A top-level error keeps its own name; a bare value is stringified."""
    assert flatten_errors({"items": ["Shorter than minimum length 1."]}) == [
        {"field": "items", "reason": "Shorter than minimum length 1."}]
    assert flatten_errors({"x": 3}) == [{"field": "x", "reason": "3"}]


def test_change_field_maps_an_indicator_to_its_position():
    """The service says answers.<code>; the client needs its change's index."""
    changes = [Change("1.1", Answer(1), Answer()), Change("1.2", Answer(9), Answer())]
    assert change_field(changes, "answers.1.2", "items.3") == "items.3.changes.1.mine.score"
    assert change_field(changes, "answers.9.9", "items.3") == "items.3.changes"
    assert change_field(changes, "version", "items.3") == "items.3.version"
    assert change_field(changes, None, "items.3") == "items.3"


def test_conflict_json_keeps_all_three_values():
    """A person choosing needs base, mine and theirs."""
    body = conflict_json(Conflict("1.1", Answer(None, ""), Answer(1, "a"), Answer(3, "b")))
    assert body == {"indicator": "1.1", "base": {"score": None, "note": ""},
                    "mine": {"score": 1, "note": "a"}, "theirs": {"score": 3, "note": "b"}}


def test_error_result_only_has_the_parts_given():
    """Field and detail appear only when known."""
    assert error_result("c", 404, "not_found", "m") == {
        "client_id": "c", "status": "error", "status_code": 404,
        "error": {"code": "not_found", "message": "m"}}
    body = error_result("c", 409, "stale_version", "m", "items.0.version", {"seen": 1})
    assert body["error"]["field"] == "items.0.version"
    assert body["error"]["detail"] == {"seen": 1}


def test_shell_version_changes_with_any_byte_or_name():
    """A deploy that changes one file gives a new worker version."""
    files = [("a.css", b"body{}"), ("b.js", b"x")]
    base = shell_version(files)
    assert base == shell_version(list(files))
    assert shell_version([("a.css", b"body{ }"), ("b.js", b"x")]) != base
    assert shell_version([("c.css", b"body{}"), ("b.js", b"x")]) != base
    assert shell_version(files[:1]) != base
    assert len(base) == 12


def test_shell_lists_the_scripts_and_no_styles_or_font():
    """Pages carry their styles and use the phone's Thai font: the shell is the scripts."""
    assert {"js/app.js", "js/outbox.js", "js/lib/idb.js", "js/drafts.js"} <= set(SHELL_STATIC)
    assert not [name for name in SHELL_STATIC if name.endswith((".css", ".woff2"))]
