"""From a score to the next thing to do.

A committee's weakest indicators, each with the rubric text of the next level
up: that text is the concrete step. Across a district, the indicators that
hold most subdistricts back (and which ones), so officers can plan support
visits. And what moved between round 1 and round 2.
"""

from dataclasses import dataclass

STEPS = 5  # a committee's next steps: a few, so that they get done


@dataclass(frozen=True)
class NextStep:
    """One indicator to work on: where the committee is and the level above."""

    indicator: object
    score: int
    next_level: object  # the RubricLevel just above ``score``

    @property
    def share(self):
        """Return the score as a share of the rubric's top (indicators differ in length)."""
        top = self.indicator.max_score
        return self.score / top if top else 1.0


def next_level(indicator, score):
    """Return the rubric level just above ``score``, or None at the top."""
    above = [level for level in indicator.rubric if level.score > score]
    return above[0] if above else None


def next_steps(framework, scores, limit=STEPS):
    """Return a committee's weakest answered indicators below the top, weakest first.

    Ties keep the framework's order, so the list reads like the form.
    """
    steps = []
    for indicator in framework.indicators:
        score = scores.get(indicator.code)
        if score is None:
            continue
        level = next_level(indicator, score)
        if level is not None:
            steps.append(NextStep(indicator, score, level))
    steps.sort(key=lambda s: s.share)
    return steps[:limit]


@dataclass(frozen=True)
class Need:
    """An indicator and the subdistricts it holds back: [(code, score)]."""

    indicator: object
    held: tuple

    @property
    def count(self):
        """Return how many subdistricts have it among their next steps."""
        return len(self.held)


def area_needs(framework, scores_by_subdistrict, limit=STEPS):
    """Return Needs, the indicator holding most subdistricts back first.

    ``scores_by_subdistrict`` maps a subdistrict code to its approved scores.
    A subdistrict is held back by the indicators among its own next steps.
    """
    held = {}
    for code, scores in sorted(scores_by_subdistrict.items()):
        for step in next_steps(framework, scores, limit):
            held.setdefault(step.indicator.code, []).append((code, step.score))
    needs = [Need(framework.indicator(code), tuple(rows)) for code, rows in held.items()]
    needs.sort(key=lambda n: (-n.count, framework.position(n.indicator.code)))
    return needs


@dataclass(frozen=True)
class Move:
    """An indicator whose score changed between two rounds."""

    indicator: object
    before: int
    after: int

    @property
    def up(self):
        """Return True when the score rose."""
        return self.after > self.before


def moves(framework, before, after):
    """Return the indicators whose score changed from ``before`` to ``after``, in form order."""
    changed = []
    for indicator in framework.indicators:
        old, new = before.get(indicator.code), after.get(indicator.code)
        if old is not None and new is not None and old != new:
            changed.append(Move(indicator, old, new))
    return changed
