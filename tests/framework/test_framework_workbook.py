"""The framework as an Excel workbook: download the one in force, edit, upload, every problem listed."""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from korch_pwa.domain.framework import FrameworkError, framework_for
from korch_pwa.errors import ServiceError
from korch_pwa.extensions import db
from korch_pwa.framework_versions import services, workbook
from korch_pwa.framework_versions.models import FrameworkVersion
from tests.helpers import examples

OLD, NEW = framework_for(2570), framework_for(2571)


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    monkeypatch.setattr(services, "_stored", {})


def edited(framework, change):
    """Return the template of ``framework`` after ``change(book)``, as bytes."""
    book = openpyxl.load_workbook(io.BytesIO(workbook.template_bytes(framework)))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell(book, sheet, key, row_key, value, key_column=1):
    """Set the cell of column ``key`` in the row whose first column is ``row_key``."""
    rows = list(book[sheet].iter_rows())
    column = next(i for i, c in enumerate(rows[0]) if c.value.endswith(f"({key})"))
    row = next(r for r in rows[1:] if str(r[key_column - 1].value) == row_key)
    row[column].value = value


def upload(client, data):
    return client.post("/frameworks/upload",
                       data={"file": (io.BytesIO(data), "เกณฑ์.xlsx")},
                       content_type="multipart/form-data")


def stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FrameworkVersion))


@pytest.mark.parametrize("framework", [OLD, NEW], ids=lambda f: f.version)
def test_the_template_reads_back_as_the_same_framework(framework):
    source = workbook.read(workbook.template_bytes(framework), services.parse_source)
    assert services.parse_source(source) == framework


def test_the_department_downloads_the_framework_in_force(client, auth, world):
    auth.login("department")
    response = client.get("/frameworks/template.xlsx")
    assert response.status_code == 200
    assert f"korch-framework-{OLD.version}.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:5] == ["เกณฑ์", "ระดับการพัฒนา", "หมวด", "ตัวชี้วัด", "ระดับคะแนน"]
    indicators = list(book["ตัวชี้วัด"].iter_rows(values_only=True))
    assert indicators[0][1] == "ตัวชี้วัด (code)" and len(indicators) == 1 + 23
    assert indicators[1][:3] == ("1", "1.1", "official")
    assert book["ตัวชี้วัด"].freeze_panes == "A2"
    assert 'id="template"' in client.get("/frameworks/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["province", "district_x", "member_a"])
def test_only_the_department_gets_the_template(client, auth, world, who):
    auth.login(who)
    assert client.get("/frameworks/template.xlsx").status_code == 403


def test_an_edited_workbook_becomes_a_new_version_with_its_diff(app, client, auth, world):
    def change(book):
        cell(book, "เกณฑ์", "value", "version", "2570.5-excel")
        cell(book, "ตัวชี้วัด", "name_th", "1", "ชื่อใหม่ของตัวชี้วัด 1.1", key_column=1)
        cell(book, "ระดับคะแนน", "text_th", "1.1", "ไม่มีหลักฐานเลย")
    auth.login("department")
    response = upload(client, edited(OLD, change))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/frameworks/2570.5-excel")
    page = client.get("/frameworks/2570.5-excel").get_data(as_text=True)
    changes = page.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert 'data-code="1.1" data-part="name_th"' in changes
    assert 'data-code="1.1" data-part="rubric"' in changes and "ไม่มีหลักฐานเลย" in changes
    with app.app_context():
        row = db.session.get(FrameworkVersion, "2570.5-excel")
        assert row.source.startswith("fiscal_year: 2568\nversion: 2570.5-excel\n")
    # The same workbook again is the same version, not a second one.
    assert upload(client, edited(OLD, change)).status_code == 302 and stored(app) == 1


def test_every_problem_of_a_workbook_is_listed_at_once_in_thai(app, client, auth, world):
    def change(book):
        cell(book, "เกณฑ์", "value", "version", "2570.6-excel")
        cell(book, "หมวด", "weight", "2", "ยี่สิบ")
        cell(book, "ตัวชี้วัด", "category", "1", "9")  # 1.1 into a category not listed
        cell(book, "ตัวชี้วัด", "name_th", "2", None)  # 2.1's first row has no name
        book["ระดับคะแนน"].append(["9.9", 0, "ไม่มี", "None"])
        del book["ระดับการพัฒนา"]
    auth.login("department")
    response = upload(client, edited(OLD, change))
    assert response.status_code == 422
    problems = response.get_data(as_text=True).split('id="problems"')[1].split("</ol>")[0]
    for words in ("ไม่มีแผ่นงาน «ระดับการพัฒนา»", "หมวด 2: ช่อง", "ต้องเป็นตัวเลข",
                  "ตัวชี้วัด 1.1: ไม่มีหมวด «9»", "ไม่มีตัวชี้วัด «9.9»",
                  "ตัวชี้วัด 2.1: ไม่มีช่อง", "ต้องมีระดับการพัฒนาอย่างน้อย 1 ระดับ"):
        assert words in problems, words
    assert stored(app) == 0


def test_a_zip_that_is_not_a_workbook_is_refused_with_a_reason(app, client, auth, world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "สวัสดี")
    auth.login("department")
    response = upload(client, out.getvalue())
    assert response.status_code == 422
    assert "ไม่ใช่ไฟล์ Excel" in response.get_data(as_text=True) and stored(app) == 0


CELL = st.one_of(st.none(), st.text(max_size=40), st.integers(-10**6, 10**6),
                 st.floats(allow_nan=True, allow_infinity=False), st.booleans())
TEMPLATE = workbook.template_bytes(OLD)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(list(workbook.HEADINGS)), st.integers(1, 30),
                          st.integers(1, 6), CELL), min_size=1, max_size=8))
def test_any_cells_give_a_framework_or_a_list_of_problems(changes):
    book = openpyxl.load_workbook(io.BytesIO(TEMPLATE))
    for sheet, row, column, value in changes:
        if isinstance(value, str):
            value = "".join(c for c in value if c.isprintable())  # as Excel would keep it
        book[sheet].cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    try:
        source = workbook.read(out.getvalue(), services.parse_source)
    except FrameworkError as exc:
        assert exc.problems and all(isinstance(p, str) for p in exc.problems)
    except ServiceError as exc:
        assert exc.code in ("framework_too_large", "not_xlsx")
    else:
        assert services.parse_source(source).indicators
