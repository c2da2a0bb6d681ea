"""The officers' spreadsheet: every row judged against the delegation rules, no HTTP."""

import pytest

from korch_pwa.domain.officer_import import (COLUMNS, MAX_ROWS, REASONS, importable_roles,
                                             role_from_text, validate_officers)
from korch_pwa.domain.register_import import REASONS as REGISTER_REASONS
from korch_pwa.domain.roles import Role

HEADER = [h for _, h, _, _ in COLUMNS]
KNOWN = {"52", "53", "5201", "5202", "5301", "520101", "520102", "520201"}


def check(rows, actor=("province_officer", ["52"]), taken=(), names=None, header=HEADER):
    role, scopes = actor
    return validate_officers(header, rows, actor_role=role, actor_scopes=scopes,
                             known=KNOWN, taken=set(taken), names=names)


def problems(result):
    return [(e.row, e.code) for e in result.errors]


def test_good_rows_become_officers_with_their_roles_and_areas():
    result = check([
        ["นางสาวอร  ดี", "พัฒนาการอำเภอ", "พัฒนาการอำเภอ / เจ้าหน้าที่อำเภอ", "5201", ""],
        ["นายบุญ มา", "", "subdistrict_officer", "520102, ๕๒๐๑๐๑", "Bun.Ma"],
        [None, None, None, None, None],
        ["นายชัย ยอด", "", "พัฒนากรประจำตำบล", 520201.0, None],
    ])
    assert result.ok, problems(result)
    assert [(o.row, o.full_name, o.role, o.scopes, o.username) for o in result.orders] == [
        (2, "นางสาวอร ดี", "district_officer", ("5201",), None),
        (3, "นายบุญ มา", "subdistrict_officer", ("520101", "520102"), "bun.ma"),
        (5, "นายชัย ยอด", "subdistrict_officer", ("520201",), None)]


def test_roles_are_read_from_thai_labels_keys_and_the_readers_language():
    assert role_from_text("  เจ้าหน้าที่จังหวัด ", {}) == Role.PROVINCE_OFFICER
    assert role_from_text("DISTRICT_OFFICER", {}) == Role.DISTRICT_OFFICER
    assert role_from_text("district officer", {"District officer": "district_officer"}) \
        == Role.DISTRICT_OFFICER
    assert role_from_text("นายอำเภอ", {}) is None


def test_members_and_roles_at_or_above_the_officer_are_refused():
    result = check([["ก ข", "", "กรรมการ ศอช.ต.", "520101", ""],
                    ["ค ง", "", "เจ้าหน้าที่จังหวัด", "52", ""],
                    ["จ ฉ", "", "กรมการพัฒนาชุมชน", "", ""],
                    ["ช ซ", "", "ผู้ใหญ่บ้าน", "520101", ""]])
    assert problems(result) == [(2, "role_member"), (3, "role_not_yours"),
                                (4, "role_not_yours"), (5, "role_unknown")]
    assert result.orders == []


def test_areas_must_fit_the_role_exist_and_lie_inside_the_officers_area():
    result = check([["ก ข", "", "district_officer", "52", ""],
                    ["ค ง", "", "district_officer", "5299", ""],
                    ["จ ฉ", "", "district_officer", "5301", ""],
                    ["ช ซ", "", "district_officer", "", ""]])
    assert problems(result) == [(2, "scopes_length"), (3, "unknown_area"), (4, "outside"),
                                (5, "required")]
    assert result.errors[2].values == {"code": "5301"}


def test_the_department_gives_province_and_department_roles_country_wide():
    department = ("department", [])
    assert check([["ก ข", "", "province_officer", "53", ""]], actor=department).ok
    result = check([["ค ง", "", "department", "52", ""]], actor=department)
    assert problems(result) == [(2, "role_not_yours")]
    assert importable_roles("department") == [Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER,
                                              Role.SUBDISTRICT_OFFICER]
    admin = check([["ค ง", "", "department", "52", ""]], actor=("admin", []))
    assert problems(admin) == [(2, "scopes_country")]
    assert check([["ค ง", "", "department", "", ""]], actor=("admin", [])).ok


def test_usernames_must_be_well_formed_free_and_not_repeated():
    result = check([["ก ข", "", "district_officer", "5201", "ok.name"],
                    ["ค ง", "", "district_officer", "5202", "OK.NAME"],
                    ["จ ฉ", "", "district_officer", "5201", "taken"],
                    ["ช ซ", "", "district_officer", "5202", "ชื่อไทย"]], taken={"taken"})
    assert problems(result) == [(3, "duplicate_username"), (4, "username_taken"),
                                (5, "username_format")]
    assert result.errors[0].values == {"first_row": 2}


def test_the_same_person_twice_is_refused_but_a_namesake_elsewhere_is_not():
    result = check([["ก  ข", "", "district_officer", "5201", ""],
                    ["ก ข", "", "district_officer", "5202", ""],
                    ["ก ข", "", "district_officer", "5201", ""]])
    assert problems(result) == [(4, "duplicate_person")]


def test_required_cells_lengths_and_columns():
    long_name = "ก" * 161
    result = check([[long_name, "", "district_officer", "5201", ""],
                    ["", "", "", "", ""], ["", "ตำแหน่ง", "", "", ""]])
    assert problems(result) == [(2, "too_long"), (4, "required"), (4, "required")]
    missing = check([["ก ข", "district_officer"]], header=["ชื่อ-นามสกุล", "บทบาท"])
    assert [e.column for e in missing.errors] == [HEADER[3]]
    assert problems(check([])) == [(2, "empty_file")]


def test_a_file_over_the_row_limit_is_refused_at_the_first_row_too_many():
    rows = [[f"คน {n}", "", "district_officer", "5201", ""] for n in range(MAX_ROWS + 1)]
    result = check(rows)
    assert problems(result)[-1] == (MAX_ROWS + 2, "too_many_rows")


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_reason_has_a_thai_message_and_no_clash_with_the_registers(code):
    assert code not in REGISTER_REASONS and REASONS[code].strip()
