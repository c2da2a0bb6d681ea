"""The self-assessment form: turns posted fields into merge changes."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from ..domain.limits import parse_int32, text_problem
from ..domain.merge import Answer, Change
from ..fields import Int32Field, Required, SafeForm

class AssessmentForm(SafeForm):
    """CSRF, the version the page showed and the button pressed.

    The 23 indicators come from the framework file, so their fields are read
    by ``answer_changes`` rather than declared here.
    """

    # Hidden: the view says the page is out of date when it is missing or junk.
    version = Int32Field(validators=[Required(_l("กรุณาเปิดหน้านี้ใหม่"))])
    action = HiddenField(default="save")


def _score(text):
    """Return a posted score as int, None when empty, or the raw text if bad.

    Only ASCII digits within an Integer column count (``parse_int32``: "²" is
    a digit to Python, and 5,000 digits would raise): anything else stays
    text, which the rubric then refuses.
    """
    text = (text or "").strip()
    if not text:
        return None
    number = parse_int32(text)
    return text if number is None else number


def answer_changes(framework, formdata):
    """Return a Change for every indicator the person altered on the page.

    Each field ``score-<code>`` has a hidden twin ``base-score-<code>`` with
    the value the page was rendered with, which is what the merge needs.
    """
    changes = []
    for indicator in framework.indicators:
        code = indicator.code
        mine = Answer(_score(formdata.get(f"score-{code}")),
                      (formdata.get(f"note-{code}") or "").strip())
        base = Answer(_score(formdata.get(f"base-score-{code}")),
                      (formdata.get(f"base-note-{code}") or "").strip())
        if mine != base:
            changes.append(Change(code, mine, base))
    return changes


def bases_readable(framework, formdata):
    """Return False when a hidden ``base-`` field holds what no page renders.

    The page writes a stored score and note there; junk can only come from a
    broken or hostile client, and merging against it would report a conflict
    with a value nobody saved.
    """
    for indicator in framework.indicators:
        score = _score(formdata.get(f"base-score-{indicator.code}"))
        note = formdata.get(f"base-note-{indicator.code}") or ""
        if isinstance(score, str) or text_problem(note):
            return False
    return True


def typed_values(framework, formdata):
    """Return code -> (score, note) as typed, to show the page again as it was."""
    return {i.code: (_score(formdata.get(f"score-{i.code}")),
                     formdata.get(f"note-{i.code}") or "")
            for i in framework.indicators}
