"""Rules of evidence attached to an assessment, over plain values."""

from .limits import EVIDENCE_ASSESSMENT_MAX, EVIDENCE_PER_INDICATOR

MB = 1024 * 1024


def attach_problem(attached, indicator_code, size):
    """Return (code, detail) if one more file may not be attached, else None.

    ``attached`` holds (indicator code, size) of the files attached now.
    """
    on_indicator = sum(1 for code, _ in attached if code == indicator_code)
    if on_indicator >= EVIDENCE_PER_INDICATOR:
        return "evidence_too_many", {"max": EVIDENCE_PER_INDICATOR}
    if sum(s for _, s in attached) + size > EVIDENCE_ASSESSMENT_MAX:
        return "evidence_full", {"max_mb": EVIDENCE_ASSESSMENT_MAX // MB}
    return None


def size_label(size):
    """Return a file size as a person reads it: 350 KB, 1.2 MB."""
    if size < MB:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MB:.1f} MB"
