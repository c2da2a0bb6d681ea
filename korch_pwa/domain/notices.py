"""What an in-app notice says and who receives it: plain rules, no Flask.

A notice is stored as an event name and its parameters, not as text, so
each person reads it in their own language, and the wording can be
corrected after it was sent.
"""

from .messages import N_, Message
from .roles import Role

# Each event: (who receives it, what it says). The text's parameters are
# the notice's stored params.
EVENTS = {
    "assessment_submitted": (
        frozenset({Role.DISTRICT_OFFICER}),
        N_("ศอช.ต. %(subdistrict)s ส่งแบบประเมินครั้งที่ %(number)s/%(year)s มาให้ตรวจ")),
    "assessment_returned": (
        frozenset({Role.MEMBER, Role.SUBDISTRICT_OFFICER}),
        N_("แบบประเมินครั้งที่ %(number)s/%(year)s ของ %(subdistrict)s "
           "ถูกส่งกลับให้แก้ไข")),
    "assessment_approved": (
        frozenset({Role.MEMBER, Role.SUBDISTRICT_OFFICER}),
        N_("แบบประเมินครั้งที่ %(number)s/%(year)s ของ %(subdistrict)s ได้รับอนุมัติแล้ว")),
    "assessment_reopened": (
        frozenset({Role.MEMBER, Role.SUBDISTRICT_OFFICER}),
        N_("แบบประเมินครั้งที่ %(number)s/%(year)s ของ %(subdistrict)s "
           "ถูกเปิดให้แก้ไขอีกครั้ง")),
}

# An officer's decision (the workflow's action), as the event the committee is told of.
DECISION_EVENTS = {"approve": "assessment_approved", "return": "assessment_returned",
                   "reopen": "assessment_reopened"}


def recipient_roles(event):
    """Return the roles told of ``event``."""
    return EVENTS[event][0]


def notice_text(event, params):
    """Return the Message a notice shows; an event no longer known shows its name."""
    if event not in EVENTS:
        return Message(N_("การแจ้งเตือน: %(event)s"), {"event": event})
    return Message(EVENTS[event][1], dict(params or {}))


def notice_key(event, subject_id, version):
    """Return the key that makes one event about one thing one notice per person.

    Sending the same submission twice (a phone that lost the answer) or a
    retry after a rollback tells nobody twice.
    """
    return f"{event}:{subject_id}:{version}"
