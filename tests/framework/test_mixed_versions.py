"""A year with two framework versions: the department activates 2571's draft mid-year.

520101 was approved on the 2568 draft, 520102 on the 2571 one. Each score is
read under the words it was given for: in the downloads, on the results page,
in the next steps and on /about.
"""

import csv
import io

import pytest

from korch_pwa.assessment import services as assessments
from korch_pwa.assessment.models import Assessment
from korch_pwa.auth.models import User
from korch_pwa.domain.framework import framework_for
from korch_pwa.domain.results_table import INDICATOR_COLUMNS, summary_columns
from korch_pwa.extensions import db
from korch_pwa.framework_versions import services
from tests.helpers import record_as

OLD, NEW = framework_for(2570), framework_for(2571)


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    monkeypatch.setattr(services, "_stored", {})


def approve(app, world, assessment_id):
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessments.approve(assessment, db.session.get(User, world["district_x"]),
                            assessment.version)
        db.session.commit()


@pytest.fixture
def two_versions(app, world):
    """520101 on the old draft (all 2, 2.3 at 0); 520102 on the new one (all 3, 2.3 at 0)."""
    old_scores = {i.code: 2 for i in OLD.indicators} | {"2.3": 0}
    old_id, _ = record_as(app, world, "member_a", old_scores, send=True)
    approve(app, world, old_id)
    with app.app_context():
        services.activate(NEW.version, 2570, db.session.get(User, world["department"]))
        db.session.commit()
    new_scores = {i.code: 3 for i in NEW.indicators} | {"2.3": 0}
    new_id, _ = record_as(app, world, "member_b", new_scores, code="520102", send=True)
    approve(app, world, new_id)
    with app.app_context():
        return {a.subdistrict_code: a.framework_version
                for a in db.session.query(Assessment)}


def rows_of(response, columns):
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    keys = [c.key for c in columns]
    return [dict(zip(keys, row)) for row in rows[1:]]


def test_each_assessment_keeps_its_version(two_versions):
    assert two_versions == {"520101": OLD.version, "520102": NEW.version}


def test_the_indicator_download_names_each_score_by_its_own_version(
        client, auth, world, two_versions):
    auth.login("province")
    rows = rows_of(client.get("/dashboard/results/export/indicators.csv?fy=2570&area=5201"
                              "&round=1"), INDICATOR_COLUMNS)
    old = {r["indicator_code"]: r for r in rows if r["subdistrict_code"] == "520101"}
    new = {r["indicator_code"]: r for r in rows if r["subdistrict_code"] == "520102"}
    assert list(old) == [i.code for i in OLD.indicators]
    assert list(new) == [i.code for i in NEW.indicators]
    assert (old["2.3"]["indicator"], old["2.3"]["score"]) == (OLD.indicator("2.3").name_th, "0")
    assert (new["2.3"]["indicator"], new["2.3"]["score"]) == (NEW.indicator("2.3").name_th, "0")
    assert {r["framework_version"] for r in old.values()} == {OLD.version}
    assert {r["framework_version"] for r in new.values()} == {NEW.version}
    waiting = [r for r in rows if r["subdistrict_code"] == "520103"]
    assert [r["indicator_code"] for r in waiting] == [i.code for i in NEW.indicators]


def test_the_summary_download_uses_each_versions_own_maxima(client, auth, world, two_versions):
    auth.login("province")
    rows = rows_of(client.get("/dashboard/results/export/summary.csv?fy=2570&area=5201"
                              "&round=1"), summary_columns(NEW))
    by_code = {r["subdistrict_code"]: r for r in rows}
    # 2 of 3 on each of its own 6 category-1 indicators: 66.7, not 12 of 21.
    assert by_code["520101"]["category_1"] == "66.7"
    assert by_code["520101"]["answered"] == "23" and by_code["520102"]["answered"] == "25"
    assert by_code["520102"]["category_1"] == "100.0"


def test_the_results_page_averages_only_scores_of_the_same_meaning(
        client, auth, world, two_versions):
    auth.login("province")
    page = client.get("/dashboard/results?fy=2570&area=52").get_data(as_text=True)
    weakest = page.split('id="weakest-1"', 1)[1].split("</ol>", 1)[0]

    def line(code):
        return weakest.split(f'data-code="{code}"', 1)[1].split("</li>", 1)[0]

    # 2.3 changed meaning: only 520102's 0 counts, not 520101's (old) 0.
    assert "<strong>0.00</strong>" in line("2.3") and "1 ตำบล" in line("2.3")
    # 1.1 kept its rubric: both count, (2 + 3) / 2.
    assert "<strong>2.50</strong>" in line("1.1") and "2 ตำบล" in line("1.1")
    assert "1 ตำบล" in line("1.7")


def test_next_steps_leave_out_scores_given_on_other_words(client, auth, world, two_versions):
    auth.login("province")
    page = client.get(f"/dashboard/next-steps?round={world['round']}&area=52").get_data(
        as_text=True)
    held = page.split('data-code="2.3"', 1)[1].split("</li>\n  </ul>", 1)[0] \
        if 'data-code="2.3"' in page else ""
    # 520102's 0 on the new 2.3 holds it back; 520101's 0 on the old 2.3 is not read as one.
    assert 'data-area="520102"' in held and 'data-area="520101"' not in held


def test_about_counts_the_active_frameworks_indicators(client, world, two_versions):
    page = client.get("/about").get_data(as_text=True)
    assert "5 หมวด 25 ตัวชี้วัด" in page
    drafts = page.split('id="draft-indicators"', 1)[1].split("</p>", 1)[0]
    assert "1.7" in drafts and "2.6" in drafts and "1.6" not in drafts
