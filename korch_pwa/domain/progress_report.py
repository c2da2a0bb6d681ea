"""Parts (1)-(6) of the district progress report (แบบประเมินผลความก้าวหน้า).

Pure: the caller passes plain data for one area (a district, or a whole
province) and one B.E. fiscal year, and gets the counts back as a
JSON-ready dict (it is stored as the snapshot of a submitted report).

Input
-----
``committees``: dicts ``{"kind": "korch"|"kbt", "area_code": str,
"orders": [{"order_date": date, "term_end": date|None, "members": int}],
"meetings": [date, ...]}``; the level of a committee follows from the length
of its area code (6 subdistrict, 4 district, 2 province).
``assessments``: ``(subdistrict_code, round_number, status)`` for the rounds
of the fiscal year. ``activities``: ``(subdistrict_code, fiscal_year,
in_plan)``.

Counting rules (FY = 1 October to 30 September)
----------------------------------------------
(1) Register kept: a ศอช. committee counts when the order in force at the end
    of the FY (the latest order dated on or before the FY's last day) has at
    least one member and its term had not ended before the FY began. Persons
    = the members of that order. Rows per level: areas, committees, persons.
(2) Orders reviewed: a ศอช. committee counts when it has an order dated
    within the FY; persons = the members of the latest such order.
(3) Met at least twice: ศอช. committees with two or more meetings held within
    the FY, counted per level (one committee per area, so areas = committees).
(4) ก.บ.ต.: subdistricts whose ก.บ.ต. has an order dated within the FY.
(5) Assessed: subdistricts with an APPROVED assessment in at least one round
    of the FY (round 1 or round 2); the per-round numbers are given as well.
    A draft or an assessment awaiting review is not yet a result.
(6) Strong Subdistrict: subdistricts with at least one activity of the FY
    recorded as in the subdistrict plan, and the number of such activities.
"""

from .thai_dates import fiscal_year_bounds

KORCH = "korch"
KBT = "kbt"
LEVELS = ("subdistrict", "district", "province")
_LEVEL_OF_LENGTH = {6: "subdistrict", 4: "district", 2: "province"}


def level_of(area_code):
    """Return the level of an area from the length of its DOPA code."""
    return _LEVEL_OF_LENGTH[len(area_code)]


def _empty_rows():
    """Return zeroed area/committee/person rows per level."""
    return {level: {"areas": 0, "committees": 0, "persons": 0} for level in LEVELS}


def order_in_force(orders, last_day):
    """Return the latest order dated on or before ``last_day``, or None."""
    dated = [o for o in orders if o["order_date"] <= last_day]
    return max(dated, key=lambda o: o["order_date"]) if dated else None


def orders_within(orders, first_day, last_day):
    """Return the orders dated within [first_day, last_day], latest first."""
    found = [o for o in orders if first_day <= o["order_date"] <= last_day]
    return sorted(found, key=lambda o: o["order_date"], reverse=True)


def _add(rows, level, areas, persons):
    """Add one committee to the rows of ``level``."""
    rows[level]["areas"] += areas
    rows[level]["committees"] += 1
    rows[level]["persons"] += persons


def _korch_parts(committees, first, last):
    """Return parts (1), (2) and (3) for the ศอช. committees."""
    register, reviewed = _empty_rows(), _empty_rows()
    met = {level: 0 for level in LEVELS}
    seen = {"register": set(), "reviewed": set()}
    for committee in committees:
        if committee["kind"] != KORCH:
            continue
        code, level = committee["area_code"], level_of(committee["area_code"])
        current = order_in_force(committee["orders"], last)
        if current and current["members"] > 0 and (
                current.get("term_end") is None or current["term_end"] >= first):
            _add(register, level, code not in seen["register"], current["members"])
            seen["register"].add(code)
        within = orders_within(committee["orders"], first, last)
        if within:
            _add(reviewed, level, code not in seen["reviewed"], within[0]["members"])
            seen["reviewed"].add(code)
        if sum(1 for day in committee["meetings"] if first <= day <= last) >= 2:
            met[level] += 1
    return register, reviewed, met


def _kbt_subdistricts(committees, first, last):
    """Return part (4): subdistricts with a ก.บ.ต. order dated in the FY."""
    return len({c["area_code"] for c in committees
                if c["kind"] == KBT and len(c["area_code"]) == 6
                and orders_within(c["orders"], first, last)})


def _assessed(assessments):
    """Return part (5): subdistricts approved in any round, and per round."""
    approved = [(code, number) for code, number, status in assessments
                if status == "approved"]
    by_round = {}
    for code, number in approved:
        by_round.setdefault(str(number), set()).add(code)
    return (len({code for code, _n in approved}),
            {number: len(codes) for number, codes in sorted(by_round.items())})


def _strong(activities, fiscal_year):
    """Return part (6): subdistricts and activities in the subdistrict plan."""
    in_plan = [code for code, year, planned in activities
               if planned and year == fiscal_year]
    return {"subdistricts": len(set(in_plan)), "activities": len(in_plan)}


def progress_counts(fiscal_year, committees, assessments, activities):
    """Return the counts of parts (1)-(6) for one area and B.E. fiscal year."""
    first, last = fiscal_year_bounds(fiscal_year)
    register, reviewed, met = _korch_parts(committees, first, last)
    assessed, by_round = _assessed(assessments)
    return {
        "fiscal_year": fiscal_year,
        "register": register,
        "orders": reviewed,
        "meetings": met,
        "kbt": _kbt_subdistricts(committees, first, last),
        "assessed": assessed,
        "assessed_by_round": by_round,
        "strong": _strong(activities, fiscal_year),
    }


def add_counts(many):
    """Sum several areas' counts (e.g. a province's districts) into one."""
    many = list(many)
    if not many:
        raise ValueError("nothing to add up")
    total = {"fiscal_year": many[0]["fiscal_year"], "register": _empty_rows(),
             "orders": _empty_rows(), "meetings": {level: 0 for level in LEVELS},
             "kbt": 0, "assessed": 0, "assessed_by_round": {},
             "strong": {"subdistricts": 0, "activities": 0}}
    for counts in many:
        for part in ("register", "orders"):
            for level in LEVELS:
                for key in ("areas", "committees", "persons"):
                    total[part][level][key] += counts[part][level][key]
        for level in LEVELS:
            total["meetings"][level] += counts["meetings"][level]
        total["kbt"] += counts["kbt"]
        total["assessed"] += counts["assessed"]
        for number, n in counts["assessed_by_round"].items():
            total["assessed_by_round"][number] = total["assessed_by_round"].get(number, 0) + n
        for key in ("subdistricts", "activities"):
            total["strong"][key] += counts["strong"][key]
    return total
