"""Roles, permissions and area scope."""

import pytest

from korch_pwa.domain.roles import GRANTS, Permission, Role, can, check_scopes, in_scope


def test_prefix_scope():
    assert in_scope("member", ["520101"], "520101")
    assert not in_scope("member", ["520101"], "520102")
    assert in_scope("district_officer", ["5201"], "520199")
    assert not in_scope("district_officer", ["5201"], "520201")
    assert in_scope("province_officer", ["52"], "5202")
    assert not in_scope("province_officer", ["52"], "500101")
    assert in_scope("department", [], "960101")


def test_empty_scope_covers_nothing_for_area_roles():
    assert not in_scope("member", [""], "520101")
    assert not in_scope("district_officer", [], "520101")


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_grants_table_is_the_only_source(role, permission):
    assert can(role, permission) == (role in GRANTS[permission])


def test_only_district_officers_decide_and_members_only_edit_assessments():
    assert [r for r in Role if can(r, Permission.DECIDE_ASSESSMENT)] == [Role.DISTRICT_OFFICER]
    member = [p for p in Permission if can(Role.MEMBER, p)]
    assert member == [Permission.VIEW_ASSESSMENT, Permission.EDIT_ASSESSMENT]


def test_check_scopes():
    assert check_scopes("member", ["520101"]) == []
    assert check_scopes("member", ["520101", "520102"])
    assert check_scopes("district_officer", ["520101"]) == ["area 520101 must be a 4-digit code"]
    assert check_scopes("province_officer", []) == ["at least one area is needed"]
    assert check_scopes("admin", []) == []
    assert check_scopes("department", ["52"])
