"""Due items and their sendings as plain rules: dates, states, who acts, lateness."""

from datetime import date
from itertools import product

import pytest

from korch_pwa.domain import due_items
from korch_pwa.domain.due_items import (Act, DispatchError, Kind, State, default_dates,
                                        in_fiscal_year, may_decide, may_send, next_state,
                                        order_checklist, standing)
from korch_pwa.domain.notices import recipient_roles
from korch_pwa.domain.roles import Role
from korch_pwa.domain.thai_dates import fiscal_year_bounds


def test_a_month_of_a_fiscal_year_falls_in_the_right_calendar_year():
    # FY 2567 runs from 1 Oct 2566 (2023) to 30 Sep 2567 (2024).
    assert in_fiscal_year(2567, 11, 24) == date(2023, 11, 24)
    assert in_fiscal_year(2567, 6, 24) == date(2024, 6, 24)
    assert in_fiscal_year(2567, 10, 1) == date(2023, 10, 1)
    assert in_fiscal_year(2567, 9, 30) == date(2024, 9, 30)


def test_the_letters_calendar_is_the_default():
    # Ubon, FY 2567: the register to the province by 24 Nov 2566, the department by 30 Nov.
    assert default_dates(Kind.REGISTER, 2567) == (date(2023, 11, 24), date(2023, 11, 30))
    # Lampang, FY 2568: order copies to the province by 15 Nov 2567.
    assert default_dates(Kind.ORDER_COPIES, 2568)[0] == date(2024, 11, 15)
    # Ubon: the progress report by 24 Jun 2567 (province), 28 Jun (department).
    assert default_dates(Kind.PROGRESS_REPORT, 2567) == (date(2024, 6, 24), date(2024, 6, 28))
    assert default_dates(Kind.ROUND_RESULTS, 2567, 2) == (date(2024, 6, 24), date(2024, 6, 28))


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("year", [2567, 2570, 2600])
def test_every_default_date_is_in_its_fiscal_year_and_the_province_is_not_later(kind, year):
    numbers = [1, 2] if kind == Kind.ROUND_RESULTS else [None]
    start, end = fiscal_year_bounds(year)
    for number in numbers:
        province, department = default_dates(kind, year, number)
        assert start <= province <= department <= end
        assert due_items.department_due_problem(year, department) is None


def test_a_department_date_outside_the_fiscal_year_is_refused():
    assert due_items.department_due_problem(2570, date(2027, 10, 1)) is not None
    assert due_items.department_due_problem(2570, date(2026, 9, 30)) is not None
    assert due_items.department_due_problem(2570, None) is not None
    assert due_items.department_due_problem(2570, date(2026, 10, 1)) is None


def test_every_state_and_act():
    allowed = {(None, Act.SEND): State.SENT, (State.RETURNED, Act.SEND): State.SENT,
               (State.SENT, Act.RETURN): State.RETURNED,
               (State.SENT, Act.ACCEPT): State.ACCEPTED}
    for state, act in product([None, *State], Act):
        if (state, act) in allowed:
            assert next_state(state.value if state else None, act.value) == allowed[(state, act)]
        else:
            with pytest.raises(DispatchError):
                next_state(state, act)


def test_a_district_office_sends_its_own_and_its_province_answers():
    assert may_send(Role.DISTRICT_OFFICER, ["5201"], "5201")
    assert not may_send(Role.DISTRICT_OFFICER, ["5202"], "5201")
    assert not may_send(Role.PROVINCE_OFFICER, ["52"], "5201")  # the receiver does not send
    assert not may_send(Role.SUBDISTRICT_OFFICER, ["520101"], "5201")
    assert may_decide(Role.PROVINCE_OFFICER, ["52"], "5201")
    assert not may_decide(Role.PROVINCE_OFFICER, ["50"], "5201")
    assert not may_decide(Role.DISTRICT_OFFICER, ["5201"], "5201")  # nobody accepts their own
    assert not may_decide(Role.DEPARTMENT, [], "5201")  # districts are their province's


def test_a_province_sends_to_the_department():
    assert may_send(Role.PROVINCE_OFFICER, ["52"], "52")
    assert not may_send(Role.PROVINCE_OFFICER, ["50"], "52")
    assert not may_send(Role.DEPARTMENT, [], "52")
    assert may_decide(Role.DEPARTMENT, [], "52")
    assert not may_decide(Role.PROVINCE_OFFICER, ["52"], "52")
    assert not may_decide(Role.ADMIN, [], "52")
    assert not may_send(Role.MEMBER, ["520101"], "520101")


def test_lateness_is_judged_on_the_first_sending():
    due = date(2026, 11, 24)
    assert standing(None, None, due, date(2026, 11, 20)) == (None, "waiting", 0)
    assert standing(None, None, due, date(2026, 11, 24)) == (None, "waiting", 0)
    assert standing(None, None, due, date(2026, 11, 27)) == (None, "late", 3)
    assert standing("sent", date(2026, 11, 24), due, date(2026, 12, 30)) == (
        "sent", "on_time", 0)
    # Returned after an on-time sending: still on time, whatever happens after.
    assert standing("returned", date(2026, 11, 23), due, date(2027, 1, 5)).timeliness == \
        "on_time"
    assert standing("accepted", date(2026, 11, 30), due, date(2027, 1, 5)) == (
        "accepted", "late", 6)
    assert standing(None, None, None, date(2027, 1, 5)) == (None, "no_date", 0)


def test_a_district_is_judged_on_its_province_s_date_a_province_on_the_department_s():
    assert due_items.due_for("5201", date(2026, 11, 24), date(2026, 11, 30)) == \
        date(2026, 11, 24)
    assert due_items.due_for("52", date(2026, 11, 24), date(2026, 11, 30)) == \
        date(2026, 11, 30)
    assert due_items.sends_to("5201") == "province" and due_items.sends_to("52") == "department"


def test_the_order_checklist_asks_for_each_committee_the_letter_names():
    orders = {("korch", "5201"): (True, True), ("korch", "520101"): (True, False),
              ("kbt", "520101"): (True, True), ("korch", "520102"): (True, True)}
    checks = order_checklist(["5201"], ["520102", "520101"], orders)
    assert [(c.kind, c.area_code, c.has_order, c.has_scan, c.complete) for c in checks] == [
        ("korch", "5201", True, True, True),
        ("korch", "520101", True, False, False),
        ("kbt", "520101", True, True, True),
        ("korch", "520102", True, True, True),
        ("kbt", "520102", False, False, False),
    ]


def test_the_department_hears_only_of_provinces():
    assert Role.DEPARTMENT in recipient_roles("item_sent", "52")
    assert Role.DEPARTMENT not in recipient_roles("item_sent", "5201")
    assert Role.PROVINCE_OFFICER in recipient_roles("item_sent", "5201")


def test_an_item_is_named_with_its_round():
    assert due_items.item_title("round_results", 2).values == {"number": 2}
    assert due_items.item_title("register", 2).values == {}
