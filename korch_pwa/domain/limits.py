"""Limits of what the database stores, shared by the API schemas (and forms).

PostgreSQL refuses NUL in text and integers beyond a column's width; SQLite
refuses integers beyond 64 bits; a lone surrogate cannot be encoded to UTF-8
at all. Input is checked against these limits before it reaches a query, so
a bad value is a 422 about its field instead of a 500 about the request.
"""

# db.Integer columns (ids, versions, scores) are 32-bit signed on PostgreSQL.
INT32_MIN = -2**31
INT32_MAX = 2**31 - 1

# String lengths, from the models.
INDICATOR_MAX = 16  # Answer.indicator_code, String(16)
SUBDISTRICT_CODE_LEN = 6  # Assessment.subdistrict_code, String(6)
# Text columns have no width; these bound what a person can type.
NOTE_MAX = 2000  # Answer.note
COMMENT_MAX = 2000  # AssessmentEvent.comment, EventComment.comment


def text_problem(value):
    """Return why ``value`` cannot be stored as text, or None if it can.

    NUL is refused by PostgreSQL; a lone surrogate (``"\\udc00"``, which JSON
    can carry as an escape) is not a character and cannot be encoded.
    """
    if "\x00" in value:
        return "Must not contain the NUL character."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Must not contain a lone surrogate (invalid Unicode)."
    return None
