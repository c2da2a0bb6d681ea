"""Check every row of an officers' spreadsheet before any account is made.

Pure, like the register import: the caller reads the sheet and looks up
which area codes exist and which usernames are taken; this module judges
the values against the delegation rules. Committee members are not made
here: their accounts come from the register, where each row is a person
the committee's order names.
"""

import re
from dataclasses import dataclass

from .delegation import assignable_roles, assignment_problems
from .limits import (AREA_CODES_TYPED_MAX, FULL_NAME_MAX, POSITION_MAX, SLIPS_MAX,
                     USERNAME_MAX, USERNAME_PATTERN)
from .messages import N_
from .register_import import FIRST_DATA_ROW, ImportResult, RowError, cell_text
from .roles import ROLE_LABELS, SCOPE_LENGTH, Role, covers_country
from .thai_dates import arabic_digits

REASONS = {
    "role_unknown": N_("ไม่รู้จักบทบาท \"%(text)s\" กรุณาเลือกจากรายการในแบบฟอร์ม"),
    "role_member": N_("บัญชีกรรมการ ศอช.ต. ให้สร้างจากหน้าทะเบียนคณะกรรมการ"),
    "role_not_yours": N_("ท่านให้บทบาทนี้ไม่ได้"),
    "scopes_country": N_("บทบาทนี้ดูแลทั้งประเทศ ไม่ต้องกรอกรหัสพื้นที่"),
    "scopes_length": N_("บทบาทนี้ใช้รหัสพื้นที่ %(size)d หลัก"),
    "outside": N_("รหัสพื้นที่ %(code)s อยู่นอกพื้นที่ของท่าน"),
    "username_format": N_("ชื่อผู้ใช้ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และ . _ - "
                          "ยาว 3 ตัวขึ้นไป"),
    "username_taken": N_("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว"),
    "duplicate_username": N_("ชื่อผู้ใช้ซ้ำกับแถวที่ %(first_row)d"),
    "duplicate_person": N_("ซ้ำกับแถวที่ %(first_row)d (ชื่อ บทบาท และพื้นที่เดียวกัน)"),
}

# (key, header in the template, required, longest accepted text)
COLUMNS = (
    ("full_name", "ชื่อ-นามสกุล", True, FULL_NAME_MAX),
    ("position", "ตำแหน่ง", False, POSITION_MAX),
    ("role", "บทบาท", True, 80),
    ("areas", "รหัสพื้นที่ (จังหวัด 2 หลัก / อำเภอ 4 หลัก / ตำบล 6 หลัก)", False,
     AREA_CODES_TYPED_MAX),
    ("username", "ชื่อผู้ใช้ (ไม่บังคับ)", False, USERNAME_MAX),
)
HEADERS = {key: header for key, header, _, _ in COLUMNS}
# Every account of the file gets its slip in the one PDF the import answers.
MAX_ROWS = SLIPS_MAX
_CODES = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Officer:
    """One account to make: its row, name, position, role, areas and chosen username."""

    row: int
    full_name: str
    position: str
    role: str
    scopes: tuple
    username: str | None


def importable_roles(actor_role):
    """Return the roles ``actor_role`` may give by file: theirs to give, members excepted."""
    return [role for role in assignable_roles(actor_role) if role != Role.MEMBER]


def role_from_text(text, names):
    """Return the role a cell names, by its Thai label, translated label or key; else None.

    ``names`` maps extra accepted texts (the reader's language) to roles.
    """
    wanted = " ".join(text.split()).lower()
    for role, label in ROLE_LABELS.items():
        if wanted in (label.lower(), role.value):
            return role
    for label, role in names.items():
        if wanted == " ".join(str(label).split()).lower():
            return Role(role)
    return None


def header_map(header):
    """Return key -> column index for the template's headers found in ``header``."""
    wanted = {" ".join(h.split()): key for key, h, _, _ in COLUMNS}
    found = {}
    for index, value in enumerate(header):
        key = wanted.get(" ".join(cell_text(value).split()))
        if key and key not in found:
            found[key] = index
    return found


def area_codes_in(text):
    """Return the area codes typed in a cell (spaces, commas, Thai digits allowed)."""
    return tuple(sorted(set(_CODES.findall(arabic_digits(text)))))


def _read(values, columns, number, errors):
    """Return the row's texts by key, appending required/too-long problems."""
    row = {}
    for key, header, required, longest in COLUMNS:
        index = columns.get(key)
        row[key] = cell_text(values[index]) if index is not None and index < len(values) \
            else ""
        if required and not row[key]:
            errors.append(RowError(number, header, "required"))
        elif len(row[key]) > longest:
            errors.append(RowError(number, header, "too_long", (("longest", longest),)))
    return row


def _role(row, number, actor_role, names, errors):
    """Return the row's role if the actor may give it by file; else note why and None."""
    if not row["role"]:
        return None
    role = role_from_text(row["role"], names)
    header = HEADERS["role"]
    if role is None:
        errors.append(RowError(number, header, "role_unknown", (("text", row["role"][:40]),)))
    elif role == Role.MEMBER:
        errors.append(RowError(number, header, "role_member"))
    elif role not in assignable_roles(actor_role):
        errors.append(RowError(number, header, "role_not_yours"))
    else:
        return role
    return None


def _scopes(row, number, role, actor_role, actor_scopes, known, errors):
    """Return the row's area codes when they fit the role and the actor's area."""
    header = HEADERS["areas"]
    codes = area_codes_in(row["areas"])
    if covers_country(role):
        if codes:
            errors.append(RowError(number, header, "scopes_country"))
        return ()
    if not codes:
        errors.append(RowError(number, header, "required"))
        return None
    size = SCOPE_LENGTH[role]
    if any(len(code) != size for code in codes):
        errors.append(RowError(number, header, "scopes_length", (("size", size),)))
        return None
    unknown = [code for code in codes if code not in known]
    for code in unknown:
        errors.append(RowError(number, header, "unknown_area", (("code", code),)))
    if unknown:
        return None
    if assignment_problems(actor_role, actor_scopes, role, codes):
        outside = [c for c in codes if not any(c.startswith(s) for s in actor_scopes)]
        for code in outside or codes:
            errors.append(RowError(number, header, "outside", (("code", code),)))
        return None
    return codes


def _username(row, number, taken, seen, errors):
    """Return the chosen username (lower case) or None; note bad and repeated ones."""
    name = row["username"].lower()
    if not name:
        return None
    header = HEADERS["username"]
    if not USERNAME_PATTERN.fullmatch(name):
        errors.append(RowError(number, header, "username_format"))
    elif name in taken:
        errors.append(RowError(number, header, "username_taken"))
    elif name in seen:
        errors.append(RowError(number, header, "duplicate_username",
                               (("first_row", seen[name]),)))
    else:
        seen[name] = number
    return name


def validate_officers(header, rows, *, actor_role, actor_scopes, known, taken, names=None):
    """Check an officers' sheet: ``header`` is row 1, ``rows`` the rows below it.

    ``known`` holds the area codes that exist; ``taken`` the usernames in use
    (lower case); ``names`` extra role labels to accept ({label: role}).
    Return an ImportResult whose ``orders`` are Officers, meaningful when ok.
    """
    columns = header_map(header)
    errors = [RowError(1, h, "missing_column")
              for key, h, required, _ in COLUMNS
              if key not in columns and (required or key == "areas")]
    if errors:
        return ImportResult([], errors)
    officers, seen_names, seen_people, count = [], {}, {}, 0
    for number, values in enumerate(rows, start=FIRST_DATA_ROW):
        values = list(values)
        if all(cell_text(v) == "" for v in values):
            continue
        count += 1
        if count > MAX_ROWS:
            errors.append(RowError(number, "", "too_many_rows", (("max_rows", MAX_ROWS),)))
            break
        row_errors = []
        row = _read(values, columns, number, row_errors)
        role = _role(row, number, actor_role, names or {}, row_errors)
        scopes = _scopes(row, number, role, actor_role, actor_scopes, known, row_errors) \
            if role else None
        username = _username(row, number, taken, seen_names, row_errors)
        if not row_errors:
            person = (" ".join(row["full_name"].split()).lower(), role, scopes)
            if person in seen_people:
                row_errors.append(RowError(number, HEADERS["full_name"], "duplicate_person",
                                           (("first_row", seen_people[person]),)))
            seen_people.setdefault(person, number)
        if not row_errors:
            officers.append(Officer(number, " ".join(row["full_name"].split()),
                                    " ".join(row["position"].split()), role.value, scopes,
                                    username))
        errors.extend(row_errors)
    if count == 0:
        errors.append(RowError(FIRST_DATA_ROW, "", "empty_file"))
    return ImportResult(officers, errors)
