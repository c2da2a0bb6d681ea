"""What an area sends: its register, order copies or round results as they stand now, frozen.

A snapshot is plain JSON stored with the sending, names included, so that
what the province accepted can be read later even after the register has
changed. A fixed handful of queries per area, none per committee.
"""

from collections import Counter

from sqlalchemy import func, select

from ..assessment.models import Assessment
from ..committees.models import KORCH, AppointmentOrder, Committee, CommitteeMember
from ..domain.deadlines import NOT_STARTED
from ..domain.due_items import Kind, order_checklist
from ..extensions import db
from ..org.models import Area


def _areas(prefix):
    """Return {code: Area} of the districts and subdistricts under ``prefix``."""
    rows = db.session.scalars(select(Area).where(
        Area.level.in_(("district", "subdistrict")),
        Area.code.startswith(prefix, autoescape=True)).order_by(Area.code))
    return {area.code: area for area in rows}


def _current_orders(prefix):
    """Return {(kind, area code): (current order, its member count)} under ``prefix``."""
    committees = {c.id: c for c in db.session.scalars(select(Committee).where(
        Committee.area_code.startswith(prefix, autoescape=True)))}
    if not committees:
        return {}
    latest = {}
    orders = db.session.scalars(select(AppointmentOrder).where(
        AppointmentOrder.committee_id.in_(list(committees))))
    for order in orders:
        # The committee's own rule: latest order date, the later entry on a tie.
        best = latest.get(order.committee_id)
        if best is None or (order.order_date, order.id) > (best.order_date, best.id):
            latest[order.committee_id] = order
    counts = dict(db.session.execute(
        select(CommitteeMember.order_id, func.count())
        .where(CommitteeMember.order_id.in_([o.id for o in latest.values()]))
        .group_by(CommitteeMember.order_id)).all()) if latest else {}
    return {(committees[cid].kind, committees[cid].area_code): (order, counts.get(order.id, 0))
            for cid, order in latest.items()}


def _date(day):
    return day.isoformat() if day else None


def register_snapshot(prefix):
    """Return the register of every ศอช.อ. and ศอช.ต. under an area, as sent."""
    areas = _areas(prefix)
    orders = _current_orders(prefix)
    rows, missing = [], []
    for code, area in areas.items():
        found = orders.get((KORCH, code))
        if found is None:
            missing.append({"code": code, "name": area.name_th, "level": area.level})
            continue
        order, members = found
        rows.append({"code": code, "name": area.name_th, "level": area.level,
                     "order_number": order.number, "order_date": _date(order.order_date),
                     "term_end": _date(order.term_end), "members": members})
    subdistricts = sum(1 for a in areas.values() if a.level == "subdistrict")
    return {"kind": Kind.REGISTER.value, "subdistricts": subdistricts,
            "committees": len(rows), "members": sum(r["members"] for r in rows),
            "rows": rows, "missing": missing}


def orders_snapshot(prefix):
    """Return the order-copies checklist of an area: which committees lack an order scan."""
    areas = _areas(prefix)
    orders = {key: (True, order.file_id is not None)
              for key, (order, _members) in _current_orders(prefix).items()}
    checks = order_checklist([c for c, a in areas.items() if a.level == "district"],
                             [c for c, a in areas.items() if a.level == "subdistrict"],
                             orders)
    rows = [{"code": c.area_code, "name": areas[c.area_code].name_th, "kind": c.kind,
             "has_order": c.has_order, "has_scan": c.has_scan} for c in checks]
    return {"kind": Kind.ORDER_COPIES.value, "total": len(rows),
            "complete": sum(1 for c in checks if c.complete), "rows": rows}


def round_results_snapshot(item, prefix):
    """Return a round's results under an area: each subdistrict's status and level.

    A district's lists its subdistricts; a province's counts per district.
    """
    found = {code: (status, level) for code, status, level in db.session.execute(
        select(Assessment.subdistrict_code, Assessment.status, Assessment.level_code)
        .where(Assessment.round_id == item.round_id,
               Assessment.subdistrict_code.startswith(prefix, autoescape=True)))}
    areas = _areas(prefix)
    subdistricts = [code for code, area in areas.items() if area.level == "subdistrict"]
    status_of = {code: found.get(code, (NOT_STARTED, None))[0] for code in subdistricts}
    if len(prefix) == 4:
        rows = [{"code": code, "name": areas[code].name_th, "status": status_of[code],
                 "level": found[code][1] if status_of[code] == "approved" else None}
                for code in subdistricts]
    else:
        rows = []
        for code, area in areas.items():
            if area.level != "district":
                continue
            mine = Counter(status_of[c] for c in subdistricts if c.startswith(code))
            rows.append({"code": code, "name": area.name_th, "total": sum(mine.values()),
                         "status": dict(mine)})
    return {"kind": Kind.ROUND_RESULTS.value, "round": item.round.number,
            "subdistricts": len(subdistricts), "status": dict(Counter(status_of.values())),
            "rows": rows}


def round_statuses(item, district_code):
    """Return {subdistrict code: status now} of a district in an item's round."""
    found = dict(db.session.execute(
        select(Assessment.subdistrict_code, Assessment.status)
        .where(Assessment.round_id == item.round_id,
               Assessment.subdistrict_code.startswith(district_code, autoescape=True))).all())
    codes = db.session.scalars(select(Area.code).where(
        Area.level == "subdistrict", Area.code.startswith(district_code, autoescape=True)))
    return {code: found.get(code, NOT_STARTED) for code in codes}


def snapshot(item, area_code):
    """Return what ``area_code`` sends for ``item`` now."""
    kind = Kind(item.kind)
    if kind == Kind.REGISTER:
        return register_snapshot(area_code)
    if kind == Kind.ORDER_COPIES:
        return orders_snapshot(area_code)
    if kind == Kind.ROUND_RESULTS:
        return round_results_snapshot(item, area_code)
    from .progress import province_report_snapshot

    return province_report_snapshot(area_code, item.fiscal_year)
