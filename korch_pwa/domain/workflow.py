"""The assessment workflow: states, actions and the transitions allowed."""

from enum import Enum


class Status(str, Enum):
    """Where an assessment is in its life; 'not started' means no record."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Action(str, Enum):
    """What a person does to an assessment."""

    SAVE = "save"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


# Only draft and returned assessments can be edited by the committee; the
# district officer decides on submitted ones and may reopen an approved one
# (for a correction) as long as the province has not accepted it.
TRANSITIONS = {
    (Status.DRAFT, Action.SAVE): Status.DRAFT,
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.RETURNED, Action.SAVE): Status.RETURNED,
    (Status.RETURNED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.APPROVE): Status.APPROVED,
    (Status.SUBMITTED, Action.RETURN): Status.RETURNED,
    (Status.APPROVED, Action.REOPEN): Status.RETURNED,
}

EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


class TransitionError(ValueError):
    """An action that the assessment's current state does not allow."""

    def __init__(self, status, action):
        super().__init__(f"cannot {action.value} an assessment that is {status.value}")
        self.status = status
        self.action = action


def next_status(status, action):
    """Return the state after ``action``, or raise TransitionError."""
    status, action = Status(status), Action(action)
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(status, action) from None


def allowed_actions(status):
    """Return the actions allowed from ``status``."""
    status = Status(status)
    return [action for (state, action) in TRANSITIONS if state == status]
