"""Three-way merge of indicator answers edited by several people offline.

Each change carries the value its author started from (``base``). A change
applies when the stored value is still that base; when the stored value has
moved to something else, the two people disagree and a person must choose.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """The value of one indicator answer: a rubric score and a note."""

    score: object = None
    note: str = ""


EMPTY = Answer()


@dataclass(frozen=True)
class Change:
    """One indicator as its author left it, and as it was when they began."""

    indicator: str
    mine: Answer
    base: Answer


@dataclass(frozen=True)
class Conflict:
    """An indicator that two people changed to different values."""

    indicator: str
    base: Answer
    mine: Answer
    theirs: Answer


def merge(current, changes):
    """Split ``changes`` into answers to write and conflicts to show.

    ``current`` maps indicator code to the stored Answer. Return a tuple
    ``(to_write, conflicts)`` where ``to_write`` maps code to Answer.
    """
    to_write, conflicts = {}, []
    for change in changes:
        stored = current.get(change.indicator, EMPTY)
        if stored == change.mine:
            continue
        if stored == change.base:
            to_write[change.indicator] = change.mine
        else:
            conflicts.append(Conflict(change.indicator, change.base, change.mine, stored))
    return to_write, conflicts
