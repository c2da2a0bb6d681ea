"""Rules for assessment rounds and their due dates."""

from .messages import N_, Message
from .thai_dates import fiscal_year_bounds


def round_problems(fiscal_year, number, department_due):
    """Return field -> Message for a round that cannot be created."""
    problems = {}
    if number not in (1, 2):
        problems["number"] = Message(N_("ครั้งที่ต้องเป็น 1 หรือ 2"))
    if not 2500 <= fiscal_year <= 2700:
        problems["fiscal_year"] = Message(N_("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2570"))
        return problems
    start, end = fiscal_year_bounds(fiscal_year)
    if department_due is None or not start <= department_due <= end:
        problems["department_due"] = Message(
            N_("วันกำหนดส่งต้องอยู่ในปีงบประมาณ %(year)s (%(start)s – %(end)s)"),
            {"year": fiscal_year, "start": start, "end": end})
    return problems


def province_due_problem(province_due, department_due, fiscal_year):
    """Return a Message when a province's due date is not allowed, else None.

    The province collects results before it reports to the department, so its
    date may not be later than the department's.
    """
    start, _end = fiscal_year_bounds(fiscal_year)
    if province_due is None:
        return Message(N_("กรุณาระบุวันกำหนดส่งของจังหวัด"))
    if province_due > department_due:
        return Message(N_("วันกำหนดส่งของจังหวัดต้องไม่ช้ากว่าของกรม (%(due)s)"),
                       {"due": department_due})
    if province_due < start:
        return Message(N_("วันกำหนดส่งต้องอยู่ในปีงบประมาณ %(year)s"), {"year": fiscal_year})
    return None
