"""What a new framework changes, against the one in force: listed for a person to check.

Levels, categories (name, weight) and indicators (added, removed, renamed,
re-weighted in status, new evidence or rubric text, other scores). Plain
Frameworks in, plain rows out.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One difference: what kind, on what (a code), which part, before and after."""

    kind: str  # "added", "removed" or "changed"
    code: str  # a level, category or indicator code
    part: str  # "level", "category", "indicator", or the field that changed
    before: str = ""
    after: str = ""


def _by_code(items):
    return {item.code: item for item in items}


def _fields(kind, code, old, new, names):
    """Return a Change for each of ``names`` that differs between ``old`` and ``new``."""
    return [Change("changed", code, name, str(getattr(old, name)), str(getattr(new, name)))
            for name in names if getattr(old, name) != getattr(new, name)]


def _rubric_text(indicator):
    return "\n".join(f"{r.score}: {r.text_th}" for r in indicator.rubric)


def _compare(kind, old_items, new_items, names):
    """Return Changes between two lists of items keyed by code, in the new one's order."""
    old, new = _by_code(old_items), _by_code(new_items)
    changes = [Change("removed", code, kind, old[code].name_th, "")
               for code in old if code not in new]
    for code, item in new.items():
        if code not in old:
            changes.append(Change("added", code, kind, "", item.name_th))
        else:
            changes.extend(_fields(kind, code, old[code], item, names))
    return changes


def diff(current, proposed):
    """Return the Changes that ``proposed`` makes to ``current``."""
    changes = _compare("level", current.levels, proposed.levels,
                       ("name_th", "name_en", "min_percent"))
    changes += _compare("category", current.categories, proposed.categories,
                        ("name_th", "name_en", "weight"))
    old = _by_code(current.indicators)
    changes += _compare("indicator", current.indicators, proposed.indicators,
                        ("name_th", "name_en", "status", "evidence_th"))
    for indicator in proposed.indicators:
        before = old.get(indicator.code)
        if before is not None and _rubric_text(before) != _rubric_text(indicator):
            changes.append(Change("changed", indicator.code, "rubric",
                                  _rubric_text(before), _rubric_text(indicator)))
    return changes


def same_scoring(indicator, other):
    """Return True when a score given on ``other`` means the same on ``indicator``.

    A score is chosen from a rubric's words: the same words under the same
    code score the same thing, however the title was reworded.
    """
    return other is not None and _rubric_text(indicator) == _rubric_text(other)


def comparable_codes(framework, other):
    """Return the codes of ``framework``'s indicators that ``other``'s scores may be read under."""
    if other.version == framework.version:
        return frozenset(i.code for i in framework.indicators)
    theirs = _by_code(other.indicators)
    return frozenset(i.code for i in framework.indicators
                     if same_scoring(i, theirs.get(i.code)))
