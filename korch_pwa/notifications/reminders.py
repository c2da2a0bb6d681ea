"""Reminders of due dates, written as notices: what ``flask notify due`` runs each day.

A fixed handful of queries for the whole country whatever its size: the
items, who has sent each, the areas and the people, then one bulk INSERT
of notices per item. Each notice's key names the item, the area and the
day, and ``ON CONFLICT DO NOTHING`` makes a second run (the same day, or
another host at the same moment) write nothing twice.

Who is reminded (domain/reminders.py says when):

- a committee whose assessment of a round is not sent yet, against its
  province's date for the round (the department's when the province set
  none): its members and subdistrict officers; its district officers get
  one count of their subdistricts not sent;
- a district that has not sent an item (the register, the order copies, a
  round's results, its progress report), against its province's date (else
  the department's): its district officers; its province officers get one
  count;
- a province that has not sent an item, against the department's date: its
  province officers; the department one count.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from ..assessment.models import Assessment, AssessmentEvent
from ..auth.models import User, UserScope, utcnow
from ..chain.models import Dispatch, DueItem
from ..deliveries.models import DeliveryPreference
from ..domain.deliveries import muted
from ..domain.due_items import Kind
from ..domain.reminders import EVENTS, LATE_FOR_DAYS, reminder_key, reminder_on
from ..domain.roles import Role
from ..domain.thai_dates import fiscal_year
from ..domain.workflow import Action
from ..extensions import db
from ..inserts import insert_ignore_many
from ..org.models import Area
from .models import Notice

NOTICES = Notice.__table__


@dataclass
class Owed:
    """One area's reminder: who must act, what it says, and who counts it above."""

    area_code: str
    above: str          # the area whose officers get the count ('' = the department)
    reminder: object    # domain.reminders.Reminder
    due: object


class People:
    """The active people of every area, read once: role and area -> user ids."""

    def __init__(self):
        self.by_area = defaultdict(list)
        self.department = []
        self.mute = set()
        rows = db.session.execute(
            select(User.id, User.role, UserScope.area_code, DeliveryPreference.mute_reminders)
            .outerjoin(UserScope, UserScope.user_id == User.id)
            .outerjoin(DeliveryPreference, DeliveryPreference.user_id == User.id)
            .where(User.active.is_(True)).order_by(User.id))
        for user_id, role, code, mute in rows:
            if mute:
                self.mute.add(user_id)
            if role == Role.DEPARTMENT.value:
                self.department.append((user_id, role))
            elif code:
                self.by_area[(role, code)].append((user_id, role))

    def of(self, roles, area_code, event):
        """Return the ids of people of ``roles`` whose area is exactly ``area_code``.

        Without those who muted reminders, where muting may silence ``event``.
        """
        found = (self.department if area_code == "" else
                 [p for role in roles for p in self.by_area.get((role.value, area_code), ())])
        return [user_id for user_id, role in found
                if not muted(role, event, user_id in self.mute)]


def _areas(level):
    return {code: parent for code, parent in db.session.execute(
        select(Area.code, Area.parent_code).where(Area.level == level))}


def _dispatched(item_id):
    """Return the codes of the areas that sent an item at least once."""
    return set(db.session.scalars(select(Dispatch.area_code).where(
        Dispatch.due_item_id == item_id)))


def _assessments_sent(round_id):
    """Return the subdistricts whose assessment of a round was submitted at least once."""
    return set(db.session.scalars(
        select(Assessment.subdistrict_code).distinct()
        .join(AssessmentEvent, AssessmentEvent.assessment_id == Assessment.id)
        .where(Assessment.round_id == round_id,
               AssessmentEvent.action == Action.SUBMIT.value)))


def _owed(areas, sent, due_of, today):
    """Return an Owed for each area of ``areas`` (code -> parent) owed a reminder today."""
    owed = []
    for code, parent in sorted(areas.items()):
        due = due_of(code)
        reminder = reminder_on(due, today, code in sent)
        if reminder is not None:
            owed.append(Owed(code, parent or "", reminder, due))
    return owed


def _rows(item, owed, people, own_roles, above_roles, today, now, number=None,
          thing=None):
    """Return the notices of one item: each area's own, and one count per area above."""
    thing = thing or item.kind
    subject = f"item-{item.id}" if thing == item.kind else f"{thing}-{item.id}"
    params = {"item": thing, "year": item.fiscal_year, "number": number}
    link_of = (lambda code: f"/due/item/{item.id}/{code}") if thing == item.kind else (
        lambda code: f"/assessment/{code}/{item.round_id}")
    rows = []
    counts = defaultdict(list)
    for one in owed:
        event = EVENTS[(one.reminder.when, "own")]
        values = {**params, "area": one.area_code, "days": one.reminder.days,
                  "due": one.due.isoformat()}
        for user_id in people.of(own_roles, one.area_code, event):
            rows.append({"user_id": user_id, "event": event, "params": values,
                         "key": reminder_key(subject, one.area_code, today),
                         "link": link_of(one.area_code), "created_at": now})
        counts[(one.above, one.reminder, one.due)].append(one.area_code)
    for (above, reminder, due), codes in sorted(counts.items()):
        event = EVENTS[(reminder.when, "summary")]
        values = {**params, "count": len(codes), "days": reminder.days,
                  "due": due.isoformat(), "area": above}
        link = (f"/due/item/{item.id}" + (f"?area={above}" if len(above) == 2 else "")
                if thing == item.kind else f"/dashboard/?round={item.round_id}&area={above}")
        for user_id in people.of(above_roles, above, event):
            rows.append({"user_id": user_id, "event": event, "params": values,
                         "key": reminder_key(f"{subject}-count", above or "all", today),
                         "link": link, "created_at": now})
    return rows


def _write(rows):
    """Insert the notices not yet written; return how many were new."""
    return insert_ignore_many(db.session.connection(), NOTICES, rows) if rows else 0


def remind_due(today, now=None):
    """Write every reminder owed on ``today``; return Counter(event -> notices written)."""
    now = now or utcnow()
    people = People()
    districts, provinces = _areas("district"), _areas("province")
    subdistricts = None
    written = Counter()
    # Only items whose dates could still owe a reminder: a week ahead at most,
    # late ones for LATE_FOR_DAYS.
    year = fiscal_year(today)
    items = db.session.scalars(select(DueItem).where(DueItem.fiscal_year.in_((year - 1, year)))
                               .order_by(DueItem.id))
    for item in items:
        department_due = item.department_date
        if department_due is None or (today - department_due).days > LATE_FOR_DAYS + 7:
            continue
        number = item.round.number if item.round is not None else None
        rows = []
        if Kind(item.kind) == Kind.ROUND_RESULTS:
            if subdistricts is None:
                subdistricts = _areas("subdistrict")
            owed = _owed(subdistricts, _assessments_sent(item.round_id),
                         lambda code: item.province_due(code[:2]) or department_due, today)
            rows = _rows(item, owed, people, (Role.MEMBER, Role.SUBDISTRICT_OFFICER),
                         (Role.DISTRICT_OFFICER,), today, now, number, thing="assessment")
        sent = _dispatched(item.id)
        owed = _owed(districts, sent, lambda code: item.province_due(code[:2])
                     or department_due, today)
        rows += _rows(item, owed, people, (Role.DISTRICT_OFFICER,), (Role.PROVINCE_OFFICER,),
                      today, now, number)
        owed = _owed({code: "" for code in provinces}, sent, lambda code: department_due,
                     today)
        rows += _rows(item, owed, people, (Role.PROVINCE_OFFICER,), (Role.DEPARTMENT,),
                      today, now, number)
        written.update({e: n for e, n in _written_by_event(rows).items() if n})
    return written


def _written_by_event(rows):
    """Write rows grouped by event, so that the count says what was written of each."""
    by_event = defaultdict(list)
    for row in rows:
        by_event[row["event"]].append(row)
    return {event: _write(group) for event, group in by_event.items()}

