"""Round and due-date rules."""

from datetime import date

from korch_pwa.domain.rounds import province_due_problem, round_problems


def test_valid_round():
    assert round_problems(2570, 1, date(2026, 11, 30)) == {}


def test_due_date_outside_fiscal_year():
    problems = round_problems(2570, 2, date(2027, 10, 1))
    assert list(problems) == ["department_due"]
    assert problems["department_due"].values == {
        "year": 2570, "start": date(2026, 10, 1), "end": date(2027, 9, 30)}
    assert "%(year)s" in problems["department_due"].template


def test_bad_number_and_year():
    assert set(round_problems(2023, 3, date(2023, 1, 1))) == {"number", "fiscal_year"}


def test_province_due_may_not_be_after_the_department():
    assert province_due_problem(date(2026, 11, 24), date(2026, 11, 30), 2570) is None
    assert province_due_problem(date(2026, 11, 30), date(2026, 11, 30), 2570) is None
    late = province_due_problem(date(2026, 12, 1), date(2026, 11, 30), 2570)
    assert "ไม่ช้ากว่า" in late.template and late.values == {"due": date(2026, 11, 30)}
    assert "ปีงบประมาณ" in province_due_problem(date(2026, 9, 1), date(2026, 11, 30),
                                                2570).template
    assert province_due_problem(None, date(2026, 11, 30), 2570)
