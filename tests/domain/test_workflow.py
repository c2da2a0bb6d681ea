"""The workflow state machine, over every state and action."""

import itertools

import pytest

from korch_pwa.domain.workflow import (
    EDITABLE, TRANSITIONS, Action, Status, TransitionError, allowed_actions, next_status)

EXPECTED = {
    ("draft", "save"): "draft", ("draft", "submit"): "submitted",
    ("returned", "save"): "returned", ("returned", "submit"): "submitted",
    ("submitted", "approve"): "approved", ("submitted", "return"): "returned",
    ("approved", "reopen"): "returned",
}


@pytest.mark.parametrize("status, action", list(itertools.product(Status, Action)))
def test_every_state_and_action(status, action):
    expected = EXPECTED.get((status.value, action.value))
    if expected is None:
        with pytest.raises(TransitionError) as info:
            next_status(status, action)
        assert info.value.status is status and info.value.action is action
    else:
        assert next_status(status.value, action.value) is Status(expected)


def test_table_matches_expectation_exactly():
    assert {(s.value, a.value): t.value for (s, a), t in TRANSITIONS.items()} == EXPECTED


def test_only_draft_and_returned_are_editable():
    assert EDITABLE == {Status.DRAFT, Status.RETURNED}
    for status in Status:
        assert (Action.SAVE in allowed_actions(status)) == (status in EDITABLE)


def test_unknown_values_are_refused():
    with pytest.raises(ValueError):
        next_status("lost", "save")
