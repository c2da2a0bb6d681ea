"""An assessment keeps the framework it was made with; new ones use the active version."""

import pytest
import yaml
from sqlalchemy import select

from korch_pwa.assessment.models import Assessment
from korch_pwa.domain.framework import FRAMEWORK_DIR, framework_for
from korch_pwa.extensions import db
from korch_pwa.framework_versions import services
from korch_pwa.framework_versions.models import FrameworkActivation, FrameworkVersion
from tests.helpers import record_as

SHIPPED = framework_for(2570)
NEW_TEXT = "ข้อความเกณฑ์ฉบับใหม่ ระดับ 1"


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Each test starts with no parsed versions kept (some store odd texts)."""
    monkeypatch.setattr(services, "_stored", {})


def new_version_text(version="2570.1-test"):
    """The shipped file with another version name, 1.1's level 1 reworded and 5.4 dropped."""
    data = yaml.safe_load((FRAMEWORK_DIR / "2568.yaml").read_text(encoding="utf-8"))
    data["version"], data["fiscal_year"] = version, 2570
    data["categories"][0]["indicators"][0]["rubric"][1]["text_th"] = NEW_TEXT
    data["categories"][-1]["indicators"].pop()
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def store_and_activate(app, text, year=2570):
    with app.app_context():
        framework = services.parse_source(text)
        db.session.add(FrameworkVersion(version=framework.version, fiscal_year=year,
                                        source=text, sha256=services.sha256_of(text)))
        db.session.flush()  # the version's row first: the activation refers to it
        db.session.add(FrameworkActivation(fiscal_year=year, version=framework.version))
        db.session.commit()
        return framework


def versions(app):
    with app.app_context():
        return dict(db.session.execute(
            select(Assessment.subdistrict_code, Assessment.framework_version)).all())


def test_the_first_assessment_stores_the_text_of_its_version(app, world):
    record_as(app, world, "member_a", {"1.1": 1})
    assert versions(app) == {"520101": SHIPPED.version}
    with app.app_context():
        row = db.session.get(FrameworkVersion, SHIPPED.version)
        assert row.source == (FRAMEWORK_DIR / "2568.yaml").read_text(encoding="utf-8")
        assert row.sha256 == services.sha256_of(row.source) and row.created_by is None


def test_activating_a_new_version_leaves_started_assessments_alone(app, world, client, auth):
    record_as(app, world, "member_a", {"1.1": 1})
    new = store_and_activate(app, new_version_text())
    record_as(app, world, "member_b", {"1.1": 1}, code="520102")
    assert versions(app) == {"520101": SHIPPED.version, "520102": new.version}
    with app.app_context():
        old_id = db.session.scalar(select(Assessment.id).where(
            Assessment.subdistrict_code == "520101"))
    auth.login("district_x")
    old_page = client.get(f"/review/{old_id}").get_data(as_text=True)
    assert NEW_TEXT not in old_page and SHIPPED.indicator("1.1").rubric[1].text_th in old_page
    auth.logout()
    auth.login("member_b")
    new_page = client.get(f"/assessment/520102/{world['round']}").get_data(as_text=True)
    assert NEW_TEXT in new_page and 'name="score-5.4"' not in new_page
    auth.logout()
    auth.login("member_a")
    old_form = client.get(f"/assessment/520101/{world['round']}").get_data(as_text=True)
    assert 'name="score-5.4"' in old_form  # its own framework still has 5.4


def test_answers_are_checked_against_the_assessments_own_version(app, world):
    record_as(app, world, "member_b", {"1.1": 1}, code="520102")  # the shipped version
    store_and_activate(app, new_version_text())
    record_as(app, world, "member_b", {"5.4": 2}, code="520102")  # still has 5.4: fine
    from korch_pwa.errors import ServiceError
    with pytest.raises(ServiceError) as refused:
        record_as(app, world, "member_a", {"5.4": 2})  # a new one, on the new version
    assert refused.value.code == "invalid_score" and refused.value.field == "answers.5.4"


def test_a_file_changed_under_the_same_name_never_reinterprets_a_stored_version(
        app, world, monkeypatch):
    record_as(app, world, "member_a", {"1.1": 1})
    changed = (FRAMEWORK_DIR / "2568.yaml").read_text(encoding="utf-8").replace(
        SHIPPED.indicator("1.1").rubric[1].text_th, NEW_TEXT)
    monkeypatch.setattr(services, "_shipped_sources", lambda: {SHIPPED.version: changed})
    with app.app_context():
        again = services.framework_by_version(SHIPPED.version)
    assert again.indicator("1.1").rubric[1].text_th == SHIPPED.indicator("1.1").rubric[1].text_th


def test_the_latest_activation_at_or_before_a_year_applies(app, world):
    new = store_and_activate(app, new_version_text(), year=2569)
    with app.app_context():
        assert services.active_version(2570) == new.version
        assert services.active_version(2568) == SHIPPED.version  # before any activation
        with pytest.raises(Exception, match="no framework version"):
            services.framework_by_version("9999.9")


def test_pinning_twice_stores_once(app, world):
    with app.app_context():
        services.pin(SHIPPED.version)
        services._stored.clear()
        services.pin(SHIPPED.version)
        db.session.commit()
        assert db.session.query(FrameworkVersion).count() == 1


def test_every_screen_says_the_scoring_is_a_proposal_until_an_official_file(
        app, world, client, auth):
    record_as(app, world, "member_a", {"1.1": 1})
    auth.login("member_a")
    form = client.get(f"/assessment/520101/{world['round']}").get_data(as_text=True)
    assert 'id="criteria-notice"' in form and "หัวข้อทางการ" in form
    about = client.get("/about").get_data(as_text=True)
    assert 'id="criteria-notice"' in about
    official = new_version_text("2570.9-official") + "official: true\n"
    store_and_activate(app, official)
    record_as(app, world, "member_b", {"1.1": 1}, code="520102")
    auth.logout()
    auth.login("member_b")
    page = client.get(f"/assessment/520102/{world['round']}").get_data(as_text=True)
    assert 'id="criteria-notice"' not in page and 'class="badge badge-subject"' not in page
    assert "เป็นเกณฑ์ทางการของกรมการพัฒนาชุมชน" in client.get("/about").get_data(as_text=True)
    # The assessment made before keeps saying so: its version is still a proposal.
    auth.logout()
    auth.login("member_a")
    assert 'id="criteria-notice"' in client.get(
        f"/assessment/520101/{world['round']}").get_data(as_text=True)
