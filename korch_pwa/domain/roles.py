"""Roles, what each may do, and area scope by DOPA code prefix."""

from enum import Enum

from .messages import N_


class Role(str, Enum):
    """The kinds of people who use the product."""

    MEMBER = "member"
    SUBDISTRICT_OFFICER = "subdistrict_officer"
    DISTRICT_OFFICER = "district_officer"
    PROVINCE_OFFICER = "province_officer"
    DEPARTMENT = "department"
    ADMIN = "admin"


# Each role's name as people say it (Thai, the catalog's source language).
ROLE_LABELS = {
    Role.MEMBER: N_("กรรมการ ศอช.ต."),
    Role.SUBDISTRICT_OFFICER: N_("พัฒนากรประจำตำบล"),
    Role.DISTRICT_OFFICER: N_("พัฒนาการอำเภอ / เจ้าหน้าที่อำเภอ"),
    Role.PROVINCE_OFFICER: N_("เจ้าหน้าที่จังหวัด"),
    Role.DEPARTMENT: N_("กรมการพัฒนาชุมชน"),
    Role.ADMIN: N_("ผู้ดูแลระบบ"),
}


class Permission(str, Enum):
    """Things a role may do, each still limited to the person's area."""

    VIEW_ASSESSMENT = "view_assessment"
    EDIT_ASSESSMENT = "edit_assessment"
    DECIDE_ASSESSMENT = "decide_assessment"
    VIEW_DASHBOARD = "view_dashboard"
    SET_PROVINCE_DUE = "set_province_due"
    NAME_COORDINATOR = "name_coordinator"
    EDIT_REGISTER = "edit_register"
    VIEW_REGISTER = "view_register"
    WRITE_DISTRICT_REPORT = "write_district_report"
    MANAGE_ROUNDS = "manage_rounds"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_FRAMEWORK = "manage_framework"


_OFFICERS = {Role.SUBDISTRICT_OFFICER, Role.DISTRICT_OFFICER,
             Role.PROVINCE_OFFICER, Role.DEPARTMENT, Role.ADMIN}

GRANTS = {
    Permission.VIEW_ASSESSMENT: set(Role),
    Permission.EDIT_ASSESSMENT: {Role.MEMBER, Role.SUBDISTRICT_OFFICER},
    Permission.DECIDE_ASSESSMENT: {Role.DISTRICT_OFFICER},
    Permission.VIEW_DASHBOARD: _OFFICERS,
    Permission.SET_PROVINCE_DUE: {Role.PROVINCE_OFFICER},
    Permission.NAME_COORDINATOR: {Role.PROVINCE_OFFICER},
    Permission.EDIT_REGISTER: {Role.SUBDISTRICT_OFFICER, Role.DISTRICT_OFFICER,
                               Role.PROVINCE_OFFICER},
    Permission.VIEW_REGISTER: _OFFICERS,
    Permission.WRITE_DISTRICT_REPORT: {Role.DISTRICT_OFFICER},
    Permission.MANAGE_ROUNDS: {Role.DEPARTMENT, Role.ADMIN},
    Permission.MANAGE_FRAMEWORK: {Role.DEPARTMENT, Role.ADMIN},
    # Whose accounts, by rank and area: domain/delegation.py.
    Permission.MANAGE_PEOPLE: {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER,
                               Role.DEPARTMENT, Role.ADMIN},
}

# Scope length a role's area codes must have: province 2, district 4,
# subdistrict 6; department and admin cover the whole country.
SCOPE_LENGTH = {
    Role.MEMBER: 6,
    Role.SUBDISTRICT_OFFICER: 6,
    Role.DISTRICT_OFFICER: 4,
    Role.PROVINCE_OFFICER: 2,
}


def can(role, permission):
    """Return True when ``role`` holds ``permission``."""
    return Role(role) in GRANTS[Permission(permission)]


def covers_country(role):
    """Return True for roles whose area is the whole country."""
    return Role(role) in (Role.DEPARTMENT, Role.ADMIN)


def covering_codes(area_code):
    """Return the codes of an area and of every area above it (34, 3401, 340101).

    DOPA codes nest by prefix, so a scope, a log row or a name of any of
    these covers the area.
    """
    return [area_code[:n] for n in (2, 4, 6) if n <= len(area_code)]


def in_scope(role, scopes, area_code):
    """Return True when ``area_code`` lies inside one of ``scopes``.

    DOPA codes nest (province 34, district 3401, subdistrict 340101), so an
    area is inside a scope when its code starts with the scope's code.
    """
    if covers_country(role):
        return True
    return any(area_code.startswith(scope) for scope in scopes if scope)


def check_scopes(role, scopes):
    """Return a list of problems with the scope codes given to a role."""
    role = Role(role)
    if covers_country(role):
        return [] if not scopes else ["department and admin cover the whole country"]
    if not scopes:
        return ["at least one area is needed"]
    if role == Role.MEMBER and len(scopes) != 1:
        return ["a committee member belongs to exactly one subdistrict"]
    size = SCOPE_LENGTH[role]
    return [f"area {code} must be a {size}-digit code" for code in scopes
            if len(code) != size or not code.isdigit()]
