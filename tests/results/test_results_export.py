"""Results downloads: every column, Thai intact, numbers as numbers, area checks, the log."""

import csv
import io
import tracemalloc
from datetime import datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from korch_pwa.assessment import services
from korch_pwa.assessment.models import Assessment, Round
from korch_pwa.auth.models import User
from korch_pwa.committees.models import ExportLog
from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.limits import NOTE_MAX
from korch_pwa.domain.merge import EMPTY, Answer, Change
from korch_pwa.domain.results_table import INDICATOR_COLUMNS, indicator_rows, summary_columns
from korch_pwa.evidence.models import EvidenceAttachment
from korch_pwa.extensions import db
from korch_pwa.org.models import Area
from korch_pwa.results import export_data, writers
from tests.helpers import record_as

FRAMEWORK = framework_for(2570)
CODES = [i.code for i in FRAMEWORK.indicators]
NOTE = '=HYPERLINK("http://evil/","คลิก") ประชุมครบ ๒ ครั้ง'


def subdistricts(app, prefix):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Area).where(
            Area.level == "subdistrict", Area.code.startswith(prefix)))


@pytest.fixture
def approved(app, world):
    """520101 round 1: scored 1..3, a note and two files on 1.1, approved by district_x."""
    scores = {code: n % 3 + 1 for n, code in enumerate(CODES)}
    assessment_id, _ = record_as(app, world, "member_a", scores, send=True)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.answer_map()[CODES[0]].note = NOTE
        for n in range(3):
            db.session.add(EvidenceAttachment(
                id=f"att-{n}", assessment_id=assessment_id, indicator_code=CODES[0],
                sha256=f"{n:064x}", content_type="image/jpeg", size=10,
                added_by=world["member_a"],
                removed_at=datetime(2026, 11, 1) if n == 2 else None))
        services.approve(assessment, db.session.get(User, world["district_x"]),
                         assessment.version)
        db.session.commit()
        result = {"id": assessment_id, "percent": assessment.percent,
                  "level": assessment.level_code, "at": assessment.decided_at}
        db.session.remove()
    # 520102: a draft, never approved.
    record_as(app, world, "member_b", {CODES[0]: 1}, code="520102")
    return result


def read_csv(response):
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")  # Excel opens Thai only with the BOM
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def keyed(columns, row):
    return dict(zip([c.key for c in columns], row))


def test_every_column_of_the_indicator_csv(app, client, auth, world, approved):
    auth.login("province")
    response = client.get("/dashboard/results/export/indicators.csv?fy=2570&area=52")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="korch-indicators-52-2570.csv"' in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [c.title_th for c in INDICATOR_COLUMNS]
    # Every subdistrict of Lampang x both rounds x 23 indicators, started or not.
    assert len(rows) - 1 == subdistricts(app, "52") * 2 * 23
    mine = [keyed(INDICATOR_COLUMNS, r) for r in rows[1:] if r[4] == "520101"]
    assert [r["round"] for r in mine] == ["1"] * 23 + ["2"] * 23
    first = mine[0]
    assert first == {
        "province_code": "52", "province": "ลำปาง", "district_code": "5201",
        "district": "เมืองลำปาง", "subdistrict_code": "520101",
        "subdistrict": first["subdistrict"], "fiscal_year": "2570", "round": "1",
        "indicator_code": CODES[0], "indicator": FRAMEWORK.indicators[0].name_th,
        "score": "1", "max_score": str(FRAMEWORK.indicators[0].max_score),
        "note": "'" + NOTE,  # a formula typed by someone stays text in Excel
        "evidence": "2",  # the removed file does not count
        "status": "อนุมัติแล้ว", "approved_by": "คุณ district_x",
        "approved_at": first["approved_at"], "framework_version": FRAMEWORK.version,
        "criteria": "หัวข้อทางการ ระดับคะแนนเป็นข้อเสนอของระบบ"}
    at = approved["at"].replace(tzinfo=None) + timedelta(hours=7)  # stored in UTC
    assert first["approved_at"] == f"{at.day}/{at.month}/{at.year + 543} {at:%H:%M}"
    assert first["subdistrict"]
    assert [r["score"] for r in mine[:23]] == [str(n % 3 + 1) for n in range(23)]
    assert {r["status"] for r in mine[23:]} == {"ยังไม่เริ่ม"}
    draft = [keyed(INDICATOR_COLUMNS, r) for r in rows[1:] if r[4] == "520102"][0]
    assert (draft["status"], draft["score"], draft["approved_by"]) == ("ร่าง", "1", "")


def test_the_summary_xlsx_keeps_numbers_and_dates_and_freezes_the_header(
        app, client, auth, world, approved):
    auth.login("department")
    response = client.get("/dashboard/results/export/summary.xlsx?fy=2570&area=5201&round=1")
    assert response.status_code == 200
    assert "korch-summary-5201-2570-r1.xlsx" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    columns = summary_columns(FRAMEWORK)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.title_th for c in columns]
    assert len(rows) - 1 == subdistricts(app, "5201")  # one round asked for
    mine = keyed(columns, next(r for r in rows if r[4] == "520101"))
    assert isinstance(mine["fiscal_year"], int) and mine["round"] == 1
    assert mine["percent"] == pytest.approx(approved["percent"])
    assert mine["level"] == next(lv.name_th for lv in FRAMEWORK.levels
                                 if lv.code == approved["level"])
    assert mine["answered"] == 23 and mine["status"] == "อนุมัติแล้ว"
    for category in FRAMEWORK.categories:
        share = mine[f"category_{category.code}"]
        assert isinstance(share, (int, float)) and 0 < share <= 100
    assert isinstance(mine["approved_at"], datetime)
    assert isinstance(mine["submitted_at"], datetime)
    assert mine["approved_by"] == "คุณ district_x"
    assert mine["framework_version"] == FRAMEWORK.version
    waiting = keyed(columns, next(r for r in rows if r[4] == "520103"))
    assert waiting["status"] == "ยังไม่เริ่ม" and waiting["percent"] is None


def test_the_indicator_xlsx_writes_typed_text_as_text(app, client, auth, world, approved):
    auth.login("district_x")
    response = client.get("/dashboard/results/export/indicators.xlsx?fy=2570&round=1")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = list(book.active.iter_rows(values_only=True))
    mine = keyed(INDICATOR_COLUMNS, next(r for r in rows if r[4] == "520101"))
    assert mine["note"] == NOTE and mine["score"] == 1 and mine["evidence"] == 2
    # A district officer's own district, by default: nothing of the next one.
    assert {r[2] for r in rows[1:]} == {"5201"}


def test_english_headings_for_english_readers(app, client, auth, world, approved):
    auth.login("province")
    client.post("/lang/en")
    rows = read_csv(client.get("/dashboard/results/export/summary.csv?fy=2570&round=1"))
    assert rows[0][:2] == ["Province code", "Province"]
    status = rows[0].index("Status")
    assert "Approved" in {r[status] for r in rows[1:]}
    assert rows[1][rows[0].index("Status of the criteria")].startswith("Weights and level")


@pytest.mark.parametrize("who, url, status", [
    ("district_x", "/dashboard/results/export/summary.csv?fy=2570&area=5202", 404),
    ("district_x", "/dashboard/results/export/summary.csv?fy=2570&area=52", 404),
    ("province", "/dashboard/results/export/summary.xlsx?fy=2570&area=", 200),
    ("member_a", "/dashboard/results/export/summary.csv?fy=2570", 403),
    ("province", "/dashboard/results/export/people.csv?fy=2570", 404),
    ("province", "/dashboard/results/export/summary.pdf?fy=2570", 404),
    ("province", "/dashboard/results/export/summary.csv?fy=2570&round=3", 404),
    ("province", "/dashboard/results/export/summary.csv?fy=1999", 404),
    ("province", "/dashboard/results/export/summary.csv?fy=2570&area=999999", 404),
])
def test_who_may_download_what(app, client, auth, world, who, url, status):
    auth.login(who)
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        # An empty area means the person's own: the province, not the country.
        rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(
            values_only=True))
        assert {r[0] for r in rows[1:]} == {"52"}


def test_nobody_logged_in_is_sent_to_the_login_page(client, world):
    response = client.get("/dashboard/results/export/summary.csv?fy=2570")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_download_is_in_the_export_log(app, client, auth, world, approved):
    auth.login("department")
    client.get("/dashboard/results/export/indicators.csv?fy=2570&area=52")
    client.get("/dashboard/results/export/summary.xlsx?fy=2570")
    with app.app_context():
        logged = [(r.user.username, r.area_code, r.what) for r in db.session.scalars(
            select(ExportLog).order_by(ExportLog.id)).unique()]
    assert logged == [("department", "52", "results_indicators"),
                      ("department", "", "results_summary")]
    page = client.get("/people/log/exports").get_data(as_text=True)
    assert "ดาวน์โหลดคะแนนรายตัวชี้วัด" in page and "ทั้งประเทศ" in page


def test_a_year_without_rounds_says_so(app, client, auth, world):
    with app.app_context():
        years = set(db.session.scalars(select(Round.fiscal_year)))
    year = next(y for y in range(2568, 2600) if y not in years)
    try:
        framework_for(year)
    except ValueError:
        pytest.skip("no framework covers a year without rounds")  # pragma: no cover
    auth.login("province")
    response = client.get(f"/dashboard/results/export/summary.csv?fy={year}",
                          follow_redirects=True)
    assert "ยังไม่มีรอบการประเมิน" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExportLog)) == 0


def test_the_results_page_offers_the_downloads(client, auth, world):
    auth.login("province")
    page = client.get("/dashboard/results?fy=2570").get_data(as_text=True)
    assert "/dashboard/results/export/indicators.xlsx?fy=2570" in page
    assert "/dashboard/results/export/summary.csv?fy=2570" in page


def _peak(app, prefix, batch):
    """Return the peak bytes allocated while streaming the indicator CSV of ``prefix``."""
    with app.test_request_context():
        rounds = export_data.rounds_of(2570)
        rows = (row for place, rnd, facts in export_data.results(prefix, rounds, batch)
                for row in indicator_rows(place, 2570, rnd.number, facts, FRAMEWORK))
        tracemalloc.start()
        size = sum(len(chunk) for chunk in writers.csv_chunks(INDICATOR_COLUMNS, rows))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        db.session.remove()
    return size, peak


def test_memory_follows_the_batch_not_the_area(app, world):
    """Every subdistrict of Lampang scored: the province streams in about one district's memory."""
    with app.app_context():
        codes = list(db.session.scalars(select(Area.code).where(
            Area.level == "subdistrict", Area.code.startswith("52"))))
        member = db.session.get(User, world["member_a"])
        rnd = db.session.get(Round, world["round"])
        note = ("ประชุม " * NOTE_MAX)[:NOTE_MAX]  # the longest note: memory shows in the test
        changes = [Change(c, Answer(2, note), EMPTY) for c in CODES]
        for code in codes:
            services.record_answers(rnd, code, changes, member)
        db.session.commit()
        db.session.remove()
    district = [c for c in codes if c.startswith("5201")]
    assert len(codes) >= 4 * len(district)
    small_size, small_peak = _peak(app, "5201", batch=len(district))
    big_size, big_peak = _peak(app, "52", batch=len(district))
    assert big_size > 4 * small_size
    assert big_peak < 1.5 * small_peak, (small_peak, big_peak)
    # Read at once, the province would take several times that.
    assert big_peak < 0.5 * _peak(app, "52", batch=len(codes))[1]
