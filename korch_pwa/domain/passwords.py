"""What makes a password acceptable: length over complexity, and not a common one.

Most people are on a phone's keyboard; rules like "one capital, one symbol"
give ``Password1!`` and a note on the wall. Instead a password must be long
enough and not guessable: not one of the common passwords (zxcvbn's list of
30,000), not the username or name, not a birthday, and zxcvbn, which finds
sequences, repeats, keyboard walks and dates, must rate it at least "fair".
"""

import re
from functools import lru_cache

PASSWORD_MIN = 8
PASSWORD_MAX = 72  # zxcvbn refuses to rate longer ones; nobody types more on a phone
SCORE_MIN = 2  # zxcvbn: 0 too guessable ... 4 very unguessable


@lru_cache(maxsize=1)
def _common():
    """zxcvbn's common passwords, loaded when a password is first checked.

    zxcvbn's word lists are about 12 MB; a worker that never sees a new
    password (most of them, serving syncs) need not hold them.
    """
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


# Eight digits a person's birthday makes: day, month, year (Buddhist or Christian era).
_BIRTHDAY = re.compile(r"(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])(19[0-9]{2}|20[0-9]{2}|2[45][0-9]{2})")


def password_problem(password, username="", full_name=""):
    """Return why ``password`` is refused (a code), or None when it is fine.

    Codes: ``short``, ``long``, ``common``, ``personal``, ``birthday``, ``guessable``.
    """
    if len(password) < PASSWORD_MIN:
        return "short"
    if len(password) > PASSWORD_MAX:
        return "long"
    folded = password.casefold()
    if folded in _common():
        return "common"
    personal = [p.casefold() for p in (username, *full_name.split()) if len(p) >= 3]
    if any(p in folded for p in personal):
        return "personal"
    if _BIRTHDAY.fullmatch(password):
        return "birthday"
    from zxcvbn import zxcvbn

    if zxcvbn(password, user_inputs=personal)["score"] < SCORE_MIN:
        return "guessable"
    return None
