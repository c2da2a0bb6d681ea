"""The department's framework pages: upload with every problem listed, preview, diff, activate."""

import io

import pytest
import yaml
from sqlalchemy import func, select

from korch_pwa.domain.framework import FRAMEWORK_DIR, framework_for
from korch_pwa.domain.limits import FRAMEWORK_SOURCE_MAX
from korch_pwa.extensions import db
from korch_pwa.framework_versions import services
from korch_pwa.framework_versions.models import FrameworkActivation, FrameworkVersion
from tests.framework.test_pinned_versions import NEW_TEXT, new_version_text, versions
from tests.helpers import record_as

SHIPPED = framework_for(2570)


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    monkeypatch.setattr(services, "_stored", {})


def upload(client, data, name="framework.yaml"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return client.post("/frameworks/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_department_sees_every_version_and_the_one_in_force(client, auth, world):
    auth.login("department")
    page = client.get("/frameworks/").get_data(as_text=True)
    assert f'data-version="{SHIPPED.version}"' in page and "มากับระบบ" in page
    assert f'id="in-force">{SHIPPED.version}<' in page


def test_a_bad_file_lists_every_problem_in_thai_and_stores_nothing(app, client, auth, world):
    data = yaml.safe_load((FRAMEWORK_DIR / "2568.yaml").read_text(encoding="utf-8"))
    data["version"] = "2570.2"
    data["categories"][0]["weight"] = 0
    del data["categories"][1]["indicators"][0]["name_th"]
    data["categories"][2]["indicators"][0]["rubric"][1]["score"] = 0
    auth.login("department")
    response = upload(client, yaml.safe_dump(data, allow_unicode=True))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    problems = page.split('id="problems"')[1].split("</ol>")[0]
    assert problems.count("<li>") == 4  # three broken fields and the weights' sum
    assert "หมวด 1: น้ำหนักต้องมากกว่า 0" in problems
    assert "ไม่มีช่อง &#39;name_th&#39;" in problems or "ไม่มีช่อง 'name_th'" in problems
    assert "ไม่ซ้ำและเรียงจากน้อยไปมาก" in problems
    assert "น้ำหนักของทุกหมวดรวมกันต้องเท่ากับ 100" in problems
    assert count(app, FrameworkVersion) == 0


@pytest.mark.parametrize("data, status, message", [
    (b"\xff\xfe not text", 422, "UTF-8"),
    (b"a: [", 422, "ไม่ใช่ YAML ที่ถูกต้อง"),
    (b"just words", 422, "ไม่อยู่ในรูปแบบเกณฑ์"),
    (b"#" * (FRAMEWORK_SOURCE_MAX + 1), 413, "ใหญ่เกิน"),
])
def test_files_that_are_not_a_framework_are_refused_with_a_reason(app, client, auth, world,
                                                                  data, status, message):
    auth.login("department")
    response = upload(client, data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(app, FrameworkVersion) == 0


def test_upload_preview_diff_then_activate(app, client, auth, world):
    record_as(app, world, "member_a", {"1.1": 1})  # started before: keeps its version
    auth.login("department")
    response = upload(client, new_version_text())
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/frameworks/2570.1-test")
    page = client.get("/frameworks/2570.1-test").get_data(as_text=True)
    changes = page.split('id="changes"')[1].split("</section>")[0]
    assert 'data-code="1.1" data-part="rubric"' in changes and NEW_TEXT in changes
    assert 'class="change-removed" data-code="5.4"' in changes
    assert changes.count("<tr class=") == 2
    preview = page.split('id="preview"')[1]
    assert NEW_TEXT in preview and 'data-code="5.4"' not in preview
    with app.app_context():
        assert services.active_version(2570) == SHIPPED.version  # stored, not in force
    response = client.post("/frameworks/2570.1-test/activate", data={"fiscal_year": "2570"})
    assert response.status_code == 302
    record_as(app, world, "member_b", {"1.1": 1}, code="520102")
    assert versions(app) == {"520101": SHIPPED.version, "520102": "2570.1-test"}
    index = client.get("/frameworks/").get_data(as_text=True)
    assert 'id="in-force">2570.1-test<' in index and "ใช้รุ่น 2570.1-test" in index
    # Going back is another activation: the history keeps both.
    client.post(f"/frameworks/{SHIPPED.version}/activate", data={"fiscal_year": "2570"})
    with app.app_context():
        assert services.active_version(2570) == SHIPPED.version
    assert count(app, FrameworkActivation) == 2


def test_the_same_file_twice_is_one_version_and_a_taken_name_is_refused(app, client, auth,
                                                                        world):
    auth.login("department")
    upload(client, new_version_text())
    again = upload(client, new_version_text())
    assert again.status_code == 302
    assert "มีเกณฑ์รุ่น 2570.1-test นี้อยู่แล้ว" in client.get(
        again.headers["Location"]).get_data(as_text=True)
    other = new_version_text().replace(NEW_TEXT, "อีกข้อความหนึ่ง")
    refused = upload(client, other)
    assert refused.status_code == 409 and "ตั้งชื่อรุ่น (version) ใหม่" in refused.get_data(
        as_text=True)
    shipped_name = (FRAMEWORK_DIR / "2568.yaml").read_text(encoding="utf-8").replace(
        SHIPPED.indicator("1.1").name_th, "ชื่อใหม่")
    assert upload(client, shipped_name).status_code == 409  # the shipped version's name
    assert count(app, FrameworkVersion) == 1


@pytest.mark.parametrize("year", ["", "abc", "1999", "9999"])
def test_activation_needs_a_fiscal_year(app, client, auth, world, year):
    auth.login("department")
    response = client.post(f"/frameworks/{SHIPPED.version}/activate",
                           data={"fiscal_year": year})
    assert response.status_code == 422 and 'class="error"' in response.get_data(as_text=True)
    assert count(app, FrameworkActivation) == 0


@pytest.mark.parametrize("who", ["province", "district_x", "member_a"])
def test_only_the_department_manages_the_framework(client, auth, world, who):
    auth.login(who)
    assert client.get("/frameworks/").status_code == 403
    assert upload(client, new_version_text()).status_code == 403
    assert client.post(f"/frameworks/{SHIPPED.version}/activate",
                       data={"fiscal_year": "2570"}).status_code == 403


def test_an_unknown_version_is_not_found(client, auth, world):
    auth.login("department")
    assert client.get("/frameworks/nope").status_code == 404
    assert client.post("/frameworks/nope/activate", data={"fiscal_year": "2570"}
                       ).status_code == 404


@pytest.mark.parametrize("data", [
    b"fiscal_year: " + b"9" * 5000,  # an integer longer than Python converts
    b"a: " + b"[" * 1500 + b"]" * 1500,  # nesting deeper than the stack
    b"a: " + b"[" * 200_000,  # parsing this would hold a worker for minutes
    b"a: &x [1, 2]\nb: [*x, *x, *x]\n",  # aliases: the start of a "billion laughs"
])
def test_hostile_yaml_is_a_problem_listed_not_a_crash(app, client, auth, world, data):
    auth.login("department")
    response = upload(client, data)
    assert response.status_code == 422
    assert "ไม่ใช่ YAML ที่ถูกต้อง" in response.get_data(as_text=True)
    assert count(app, FrameworkVersion) == 0


def test_the_shipped_2571_draft_shows_its_changes_against_the_version_in_force(
        client, auth, world):
    auth.login("department")
    listing = client.get("/frameworks/").get_data(as_text=True)
    assert 'data-version="2571.1-draft"' in listing
    assert f'id="in-force">{SHIPPED.version}<' in listing  # 2570 keeps its version
    page = client.get("/frameworks/2571.1-draft").get_data(as_text=True)
    changes = page.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert SHIPPED.version in changes
    for code in ("1.7", "2.6"):
        assert f'class="change-added" data-code="{code}"' in changes
    for code in ("1.2", "2.3", "3.1"):
        assert f'class="change-changed" data-code="{code}"' in changes
    assert 'name="fiscal_year"' in page and 'value="2571"' in page
