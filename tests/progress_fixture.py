"""One district's register, meetings, orders, assessments and activities for FY 2570.

Used as plain data by the unit test of the pure counting function and stored
as rows by the integration test of the loader; EXPECTED is worked out by hand
from the counting rules in korch_pwa/domain/progress_report.py.
"""

from datetime import date

FY = 2570  # 1 Oct 2026 - 30 Sep 2027

# (kind, area, [(order date, term end, members)], [meeting dates])
COMMITTEES = [
    # Re-appointed in the FY with 15 members; 2 meetings inside the FY.
    ("korch", "520101", [(date(2025, 5, 1), date(2027, 4, 30), 10),
                         (date(2026, 12, 1), None, 15)],
     [date(2026, 9, 30), date(2026, 10, 15), date(2027, 3, 1)]),
    # Term ended before the FY: not on the register; one meeting only.
    ("korch", "520102", [(date(2024, 1, 1), date(2025, 12, 31), 12)], [date(2027, 1, 5)]),
    # Order on the FY's first day without members yet; an order after the FY
    # is not in force at its end; meetings straddle the FY's last day.
    ("korch", "520103", [(date(2026, 10, 1), None, 0), (date(2027, 10, 1), None, 20)],
     [date(2027, 9, 30), date(2027, 10, 1)]),
    # An old order still in force (no term end); met twice.
    ("korch", "520104", [(date(2023, 6, 1), None, 9)], [date(2026, 11, 1), date(2027, 5, 1)]),
    # The district's ศอช.อ.: ordered in the FY, met three times.
    ("korch", "5201", [(date(2027, 1, 10), None, 20)],
     [date(2026, 10, 2), date(2027, 2, 2), date(2027, 8, 8)]),
    # ก.บ.ต.: in the FY, the day before it, and one old + one on its last day.
    ("kbt", "520101", [(date(2026, 11, 11), None, 7)], []),
    ("kbt", "520102", [(date(2026, 9, 30), None, 7)], []),
    ("kbt", "520103", [(date(2025, 1, 1), None, 5), (date(2027, 9, 30), None, 6)], []),
]
# The province's ศอช.จ. (outside any district).
PROVINCE_COMMITTEE = ("korch", "52", [(date(2026, 2, 2), date(2028, 2, 1), 25)],
                      [date(2026, 12, 12), date(2027, 6, 6)])

# (subdistrict, fiscal year, round number, status)
ASSESSMENTS = [
    ("520101", FY, 1, "approved"), ("520101", FY, 2, "approved"),
    ("520102", FY, 1, "submitted"), ("520103", FY, 2, "approved"),
    ("520104", FY, 1, "returned"), ("520104", FY - 1, 2, "approved"),
]
# (subdistrict, fiscal year, in plan)
ACTIVITIES = [
    ("520101", FY, True), ("520101", FY, True), ("520102", FY, False),
    ("520103", FY - 1, True), ("520104", FY, True),
]

EXPECTED_DISTRICT = {
    "fiscal_year": FY,
    "register": {"subdistrict": {"areas": 2, "committees": 2, "persons": 24},
                 "district": {"areas": 1, "committees": 1, "persons": 20},
                 "province": {"areas": 0, "committees": 0, "persons": 0}},
    "orders": {"subdistrict": {"areas": 2, "committees": 2, "persons": 15},
               "district": {"areas": 1, "committees": 1, "persons": 20},
               "province": {"areas": 0, "committees": 0, "persons": 0}},
    "meetings": {"subdistrict": 2, "district": 1, "province": 0},
    "kbt": 2,
    "assessed": 2,
    "assessed_by_round": {"1": 1, "2": 2},
    "strong": {"subdistricts": 2, "activities": 3},
}


def plain_committees(committees):
    """Return the committees in the shape progress_counts takes."""
    return [{"kind": kind, "area_code": area,
             "orders": [{"order_date": d, "term_end": end, "members": n}
                        for d, end, n in orders],
             "meetings": list(meetings)}
            for kind, area, orders, meetings in committees]


def plain_assessments(fiscal_year=FY):
    """Return (subdistrict, round, status) of the year's assessments."""
    return [(code, number, status) for code, year, number, status in ASSESSMENTS
            if year == fiscal_year]
