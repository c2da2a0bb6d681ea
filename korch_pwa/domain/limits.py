"""Limits of what the database stores, shared by the API schemas, forms and models.

PostgreSQL refuses NUL in text and integers beyond a column's width; SQLite
refuses integers beyond 64 bits; a lone surrogate cannot be encoded to UTF-8
at all. Input is checked against these limits before it reaches a query, so
a bad value is a 422 about its field instead of a 500 about the request.
"""

import re

# db.Integer columns (ids, versions, scores) are 32-bit signed on PostgreSQL.
INT32_MIN = -2**31
INT32_MAX = 2**31 - 1

# String lengths, from the models.
INDICATOR_MAX = 16  # Answer.indicator_code, String(16)
FRAMEWORK_VERSION_MAX = 40  # Assessment.framework_version, FrameworkVersion.version
FRAMEWORK_SOURCE_MAX = 512 * 1024  # an uploaded framework file (the shipped one is ~30 KB)
SUBDISTRICT_CODE_LEN = 6  # Assessment.subdistrict_code, String(6)
# Text columns have no width; these bound what a person can type.
NOTE_MAX = 2000  # Answer.note
COMMENT_MAX = 2000  # AssessmentEvent.comment, EventComment.comment
REPORT_TEXT_MAX = 5000  # DistrictReport.problems, .suggestions

# String columns: the model's width and the form's maximum are the same number.
USERNAME_MAX = 80  # User.username
# A username a person may choose: what login matches without surprises.
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")
FULL_NAME_MAX = 160  # User.full_name
POSITION_MAX = 160  # User.position
AREA_CODES_TYPED_MAX = 200  # the areas of an account, typed as codes
# Account slips made in one request (one PDF): about 7 ms each, so a full PDF
# stays well inside gunicorn's 60 s timeout on a busy 2-core host.
SLIPS_MAX = 2000
ORDER_NUMBER_MAX = 60  # AppointmentOrder.number
NAME_TITLE_MAX = 40  # CommitteeMember.title ("นาง")
NAME_MAX = 120  # CommitteeMember.first_name, .last_name, .position
ORGANISATION_MAX = 200  # CommitteeMember.organisation
PHONE_TYPED_MAX = 30  # what may be typed; CommitteeMember.phone keeps only the digits
MEETING_TITLE_MAX = 200  # Meeting.title
ACTIVITY_TITLE_MAX = 300  # StrongSubdistrictActivity.title
REPORTER_MAX = 160  # DistrictReport.reporter_name, .reporter_position

# Evidence (korch_pwa/evidence): the server's checks, the columns and the
# phone's own checks before it queues a file (passed to the page) share these.
SHA256_HEX_LEN = 64  # EvidenceFile.sha256: a SHA-256 in lower-case hex
EVIDENCE_FILE_MAX = 10 * 1024 * 1024  # one file: a scanned PDF; photos are downscaled
EVIDENCE_CHUNK_MAX = 1024 * 1024  # one upload request; larger files go in chunks
EVIDENCE_ASSESSMENT_MAX = 80 * 1024 * 1024  # every file of one assessment
EVIDENCE_PER_INDICATOR = 10  # files attached to one indicator
EVIDENCE_CAPTION_MAX = 200  # EvidenceAttachment.caption
EVIDENCE_FILENAME_MAX = 120  # EvidenceAttachment.filename, as the phone named it
EVIDENCE_PHOTO_SIDE = 1600  # px: the phone shrinks a photo's longest side to this
EVIDENCE_IMAGE_PIXELS_MAX = 60_000_000  # decoded size refused beyond (a decompression bomb)

EMAIL_MAX = 254  # DeliveryPreference.email (RFC 5321's longest path)
LINE_USER_ID_MAX = 64  # DeliveryPreference.line_user_id ("U" and 32 hex digits today)
PUSH_ENDPOINT_MAX = 1000  # PushSubscription.endpoint (a push service's URL)
EXCEPTION_REASON_MAX = 300  # why a subdistrict's round result is accepted without approval

# Notices (korch_pwa/notifications): written by the system, never typed.
NOTICE_KEY_MAX = 120  # Notice.key: "<event>:<subject id>:<version>"
NOTICE_LINK_MAX = 200  # Notice.link: a path inside the app
NOTICES_PAGE = 30  # notices on one page of the inbox

# A whole number as a person or a form posts it: ASCII digits only ("²" and
# "١" are digits to Python; 5,000 digits make int() raise), at most ten.
_INT_TEXT = re.compile(r"-?[0-9]{1,10}")
# Characters that show nothing: text made only of these and spaces is blank.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


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


def parse_int32(text):
    """Return ``text`` as an int that fits an Integer column, or None.

    Surrounding spaces are allowed; anything but an optional minus and ASCII
    digits is not, so no odd digit or huge number reaches ``int()`` or a query.
    """
    text = (text or "").strip()
    if not _INT_TEXT.fullmatch(text):
        return None
    value = int(text)
    return value if INT32_MIN <= value <= INT32_MAX else None


def is_blank(text):
    """Return True when ``text`` shows nothing: empty, spaces or zero-width characters."""
    return not (text or "").translate(_INVISIBLE).strip()
