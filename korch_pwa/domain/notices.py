"""What an in-app notice says and who receives it: plain rules, no Flask.

A notice is stored as an event name and its parameters, not as text, so
each person reads it in their own language, and the wording can be
corrected after it was sent.
"""

from .messages import N_, Message
from .reminders import TEXTS as REMINDER_TEXTS
from .roles import Role, covers_country

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
    # The reporting chain (korch_pwa/chain): both sides hear of every step.
    "item_sent": (
        frozenset({Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.DEPARTMENT}),
        N_("%(area)s ส่ง%(item)s ปีงบประมาณ %(year)s แล้ว")),
    "item_returned": (
        frozenset({Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER}),
        N_("%(item)s ปีงบประมาณ %(year)s ของ%(area)s ถูกส่งกลับให้แก้ไข: %(comment)s")),
    "item_accepted": (
        frozenset({Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER}),
        N_("รับ%(item)s ปีงบประมาณ %(year)s ของ%(area)s แล้ว")),
}

# Reminders: their recipients are chosen by korch_pwa/notifications/reminders.py.
EVENTS.update({event: (frozenset(), text) for event, text in REMINDER_TEXTS.items()})

# An officer's decision (the workflow's action), as the event the committee is told of.
DECISION_EVENTS = {"approve": "assessment_approved", "return": "assessment_returned",
                   "reopen": "assessment_reopened"}


def recipient_roles(event, area_code=""):
    """Return the roles told of ``event`` about ``area_code``.

    The department covers the country, so it hears only of what a province
    does: the sendings of 878 districts are their provinces' business.
    """
    roles = EVENTS[event][0]
    if len(area_code) != 2:
        roles = frozenset(r for r in roles if not covers_country(r))
    return roles


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


# A committee's own assessment, as a reminder names the thing it must send.
ASSESSMENT_ITEM = N_("แบบประเมินตนเอง ครั้งที่ %(number)s")

# How a notice names an area by its level ("อำเภอเกาะคา", "จังหวัดลำปาง").
AREA_TITLES = {"subdistrict": N_("ตำบล%(name)s"), "district": N_("อำเภอ%(name)s"),
               "province": N_("จังหวัด%(name)s")}
