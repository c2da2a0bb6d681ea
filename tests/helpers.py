"""Helpers shared by the tests."""

from korch_pwa.domain.framework import framework_for


def full_form(version=0, score=3, action="save", fiscal_year=2570, base=None, **overrides):
    """Return form data answering every indicator with ``score``."""
    data = {"version": str(version), "action": action}
    for indicator in framework_for(fiscal_year).indicators:
        data[f"score-{indicator.code}"] = str(score)
        data[f"note-{indicator.code}"] = ""
        old = (base or {}).get(indicator.code, ("", ""))
        data[f"base-score-{indicator.code}"] = "" if old[0] is None else str(old[0])
        data[f"base-note-{indicator.code}"] = old[1]
    data.update(overrides)
    return data
