"""One-time codes that let a person set their password: made, typed, checked.

Eight digits, because most people type them on a phone's number pad from a
printed slip. Eight digits alone are 10^8 guesses; the code expires, works
once, and every wrong try is counted by the login throttle. The code is
stored only as an HMAC under the app's secret: a copied database does not
give the codes, and checking one costs microseconds, so a whole province's
slips are made in one request (a password hash would take minutes).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

CODE_DIGITS = 8
CODE_LIFETIME = timedelta(days=14)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def new_code():
    """Return a fresh random code of CODE_DIGITS digits."""
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def normalise(typed):
    """Return the digits of a typed code (spaces, dashes and Thai digits allowed), or None."""
    digits = "".join(ch for ch in (typed or "").translate(_THAI_DIGITS) if ch not in " -\u00a0")
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def code_hash(secret_key, code):
    """Return the stored form of ``code``: HMAC-SHA256 under ``secret_key``, in hex."""
    key = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


def display(code):
    """Return the code as printed: two groups of four ("1234 5678")."""
    return f"{code[:4]} {code[4:]}"
