"""Who manages whose account, what a password must be, one-time codes: no Flask."""

import pytest

from korch_pwa.domain import account_codes
from korch_pwa.domain.delegation import (assignable_roles, assignment_problems, may_manage,
                                         rank)
from korch_pwa.domain.passwords import PASSWORD_MAX, PASSWORD_MIN, password_problem
from korch_pwa.domain.roles import Role

# Each actor with an area, and a place inside and outside it for every target role.
ACTORS = {
    Role.ADMIN: [],
    Role.DEPARTMENT: [],
    Role.PROVINCE_OFFICER: ["52"],
    Role.DISTRICT_OFFICER: ["5201"],
    Role.SUBDISTRICT_OFFICER: ["520101"],
    Role.MEMBER: ["520101"],
}
INSIDE = {Role.PROVINCE_OFFICER: ["52"], Role.DISTRICT_OFFICER: ["5201"],
          Role.SUBDISTRICT_OFFICER: ["520101"], Role.MEMBER: ["520101"],
          Role.DEPARTMENT: [], Role.ADMIN: []}
OUTSIDE = {Role.PROVINCE_OFFICER: ["50"], Role.DISTRICT_OFFICER: ["5001"],
           Role.SUBDISTRICT_OFFICER: ["500101"], Role.MEMBER: ["500101"]}
# What the issue asks: each role manages the ranks below it, admin everyone but admins.
EXPECTED = {
    Role.ADMIN: {Role.DEPARTMENT, Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER,
                 Role.SUBDISTRICT_OFFICER, Role.MEMBER},
    Role.DEPARTMENT: {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.SUBDISTRICT_OFFICER,
                      Role.MEMBER},
    Role.PROVINCE_OFFICER: {Role.DISTRICT_OFFICER, Role.SUBDISTRICT_OFFICER, Role.MEMBER},
    Role.DISTRICT_OFFICER: {Role.SUBDISTRICT_OFFICER, Role.MEMBER},
    Role.SUBDISTRICT_OFFICER: set(),
    Role.MEMBER: set(),
}


@pytest.mark.parametrize("actor", list(Role))
@pytest.mark.parametrize("target", list(Role))
def test_the_delegation_matrix_inside_the_area(actor, target):
    allowed = may_manage(actor, ACTORS[actor], target, INSIDE[target])
    assert allowed == (target in EXPECTED[actor])
    if allowed:
        assert rank(target) < rank(actor)
        assert assignment_problems(actor, ACTORS[actor], target, INSIDE[target]) == []
    else:
        assert assignment_problems(actor, ACTORS[actor], target, INSIDE[target]) == ["role"] \
            or target in EXPECTED[actor]


@pytest.mark.parametrize("actor", list(Role))
@pytest.mark.parametrize("target", list(OUTSIDE))
def test_the_delegation_matrix_outside_the_area(actor, target):
    """Outside their area only the country-wide roles manage anyone."""
    allowed = may_manage(actor, ACTORS[actor], target, OUTSIDE[target])
    assert allowed == (actor in (Role.ADMIN, Role.DEPARTMENT) and target in EXPECTED[actor])
    if target in EXPECTED[actor] and not allowed:
        assert assignment_problems(actor, ACTORS[actor], target, OUTSIDE[target]) == ["outside"]


def test_an_account_partly_outside_is_outside():
    """A subdistrict officer of one tambon here and one in the next district is not the district's."""
    assert not may_manage(Role.DISTRICT_OFFICER, ["5201"], Role.SUBDISTRICT_OFFICER,
                          ["520101", "520201"])
    assert may_manage(Role.PROVINCE_OFFICER, ["52"], Role.SUBDISTRICT_OFFICER,
                      ["520101", "520201"])


def test_an_officer_with_two_districts_manages_both():
    assert may_manage(Role.DISTRICT_OFFICER, ["5201", "5202"], Role.MEMBER, ["520201"])


def test_areas_must_fit_the_role_given():
    assert assignment_problems(Role.PROVINCE_OFFICER, ["52"], Role.MEMBER,
                               ["520101", "520102"]) == ["scopes"]
    assert assignment_problems(Role.PROVINCE_OFFICER, ["52"], Role.DISTRICT_OFFICER,
                               ["520101"]) == ["scopes"]
    assert assignment_problems(Role.DEPARTMENT, [], Role.PROVINCE_OFFICER, []) == ["scopes"]
    assert assignment_problems(Role.ADMIN, [], Role.DEPARTMENT, ["52"]) == ["scopes"]


def test_nobody_gives_admin_or_their_own_rank():
    for actor in Role:
        given = assignable_roles(actor)
        assert Role.ADMIN not in given and Role(actor) not in given
    assert assignable_roles(Role.DISTRICT_OFFICER) == [Role.SUBDISTRICT_OFFICER, Role.MEMBER]


@pytest.mark.parametrize("password, problem", [
    ("ช้าง", "short"),
    ("x" * (PASSWORD_MAX + 1), "long"),
    ("password", "common"),
    ("Password", "common"),
    ("12345678", "common"),
    ("somchai2567x", "personal"),
    ("25012530", "birthday"),
    ("aaaaaaaaaa", "guessable"),
    ("ช้างเผือกบินข้ามดอย", None),
    ("lampang-rain-2567", None),
])
def test_password_rules(password, problem):
    assert password_problem(password, username="somchai", full_name="นาย สมชาย ใจดี") == problem


def test_the_shortest_long_enough_password_passes_on_length():
    assert password_problem("k" * (PASSWORD_MIN - 1)) == "short"
    assert password_problem("kq7#vz9!") is None


def test_codes_are_eight_digits_and_typed_codes_are_read_forgivingly():
    codes = {account_codes.new_code() for _ in range(200)}
    assert all(len(c) == 8 and c.isdigit() for c in codes) and len(codes) > 190
    assert account_codes.normalise(" 1234 5678 ") == "12345678"
    assert account_codes.normalise("1234-5678") == "12345678"
    assert account_codes.normalise("๑๒๓๔๕๖๗๘") == "12345678"
    for bad in ("1234567", "123456789", "1234567x", "１２３４５６７８", "", None, "²2345678"):
        assert account_codes.normalise(bad) is None
    assert account_codes.display("12345678") == "1234 5678"


def test_the_stored_form_depends_on_the_secret():
    one = account_codes.code_hash("secret-a", "12345678")
    assert one == account_codes.code_hash("secret-a", "12345678")
    assert one != account_codes.code_hash("secret-b", "12345678")
    assert "12345678" not in one and len(one) == 64


def test_the_longest_password_allowed_is_still_rated():
    assert password_problem("ก" * PASSWORD_MAX) == "guessable"
    assert password_problem(("ช้างเผือกบินข้ามดอย" * 4)[:PASSWORD_MAX]) is None
    assert password_problem("x" * (PASSWORD_MAX + 1)) == "long"
