"""Service worker, manifest, offline page and the page markup the scripts rely on."""

import json
from pathlib import Path

from tests.helpers import full_form
from korch_pwa.domain.shell import SHELL_STATIC
from korch_pwa.pwa.styles import PAGE_STYLES


def test_service_worker_is_served_from_the_root(client):
    """Root scope allowed, never cached, with a version and the shell list."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    source = response.get_data(as_text=True)
    assert "__VERSION__" not in source and "__SHELL__" not in source
    for name in SHELL_STATIC:
        assert f'"/static/{name}"' in source
    assert '"/offline"' in source


def test_worker_version_follows_the_static_files(app, client, tmp_path):
    """Changing a precached file or the pages' styles changes the worker, so browsers update."""
    before = client.get("/sw.js").get_data(as_text=True)
    static = tmp_path / "static"
    for name in SHELL_STATIC + tuple(PAGE_STYLES.values()) + ("js/sw.js",):
        target = static / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((Path(app.static_folder) / name).read_bytes())
    app.static_folder = str(static)
    same = client.get("/sw.js").get_data(as_text=True)
    assert same == before
    (static / "css/app.css").write_text("body{}")
    after = client.get("/sw.js").get_data(as_text=True)
    assert after != before


def test_manifest_has_thai_name_and_icons(client):
    """Installable: name, start URL, standalone, 192/512 and a maskable icon."""
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    body = json.loads(response.get_data(as_text=True))
    assert body["name"] == "ระบบประเมิน ศอช.ต." and body["display"] == "standalone"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_offline_page_shows_nobody_s_data(client, auth, world):
    """The worker caches it for everyone, so it must not name the user."""
    auth.login("member_a")
    page = client.get("/offline").get_data(as_text=True)
    assert "ยังไม่มีสัญญาณ" in page
    assert "member_a" not in page and "csrf" not in page


def test_pages_carry_token_user_and_unsynced_count(client, auth, world):
    """The scripts read the CSRF token and user id; the count is always in the header."""
    auth.login("member_a")
    page = client.get(f"/assessment/520101/{world['round']}").get_data(as_text=True)
    assert '<meta name="csrf-token" content="' in page
    assert f'<meta name="user-id" content="{world["member_a"]}">' in page
    assert 'id="outbox-count"' in page and 'rel="manifest"' in page
    assert 'id="assessment-form"' in page and "js/drafts.js" in page


def test_form_still_saves_and_submits_without_javascript(app, client, auth, world):
    """The plain HTML form goes through the same service as the sync API."""
    auth.login("member_a")
    url = f"/assessment/520101/{world['round']}"
    assert client.post(url, data=full_form(score=2)).status_code == 302
    response = client.post(url, data=full_form(version=2, score=2, action="submit",
                                               base={c: (2, "") for c in _codes()}))
    assert response.status_code == 302
    from korch_pwa.assessment.models import Assessment
    from korch_pwa.extensions import db
    with app.app_context():
        assert db.session.query(Assessment).one().status == "submitted"


def test_form_of_another_subdistrict_is_404(client, auth, world):
    """Area check on the page as on the API."""
    auth.login("member_a")
    assert client.post(f"/assessment/520102/{world['round']}",
                       data=full_form()).status_code == 404


def test_form_conflict_is_409_and_shows_both_values(client, auth, world):
    """Two members: the second sees the clash on the page."""
    url = f"/assessment/520101/{world['round']}"
    auth.login("member_a")
    client.post(url, data={"version": "0", "action": "save", "score-1.1": "3",
                           "base-score-1.1": ""})
    auth.logout()
    auth.login("member_a2")
    response = client.post(url, data={"version": "0", "action": "save", "score-1.1": "1",
                                      "base-score-1.1": ""})
    assert response.status_code == 409
    assert "ผู้อื่นบันทึกเป็น" in response.get_data(as_text=True)


def test_review_decision_about_an_old_version_is_refused(app, client, auth, world):
    """The HTML decision form refuses a stale version with the clear message."""
    url = f"/assessment/520101/{world['round']}"
    auth.login("member_a")
    client.post(url, data=full_form(score=2, action="submit"))
    auth.logout()
    from korch_pwa.assessment.models import Assessment
    from korch_pwa.extensions import db
    with app.app_context():
        assessment = db.session.query(Assessment).one()
        assessment_id, version = assessment.id, assessment.version
    auth.login("district_x")
    page = client.get(f"/review/{assessment_id}").get_data(as_text=True)
    assert 'id="decision-form"' in page
    stale = client.post(f"/review/{assessment_id}/decide",
                        data={"version": version - 1, "decision": "approve"})
    assert stale.status_code == 409
    assert "เปิดดูฉบับล่าสุด" in stale.get_data(as_text=True)
    ok = client.post(f"/review/{assessment_id}/decide",
                     data={"version": version, "decision": "approve"})
    assert ok.status_code == 302


def _codes():
    """Return every indicator code of FY 2570."""
    from korch_pwa.domain.framework import framework_for

    return [i.code for i in framework_for(2570).indicators]


def test_static_files_carry_their_hash_and_the_current_one_is_kept_a_year(app, client, tmp_path):
    """A page names each file with its content's hash; that URL may be cached for a year."""
    import re
    import shutil

    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'src="(/static/js/app\.js\?v=([0-9a-f]{12}))"', page)
    assert found, "the script is named with its hash"
    url, version = found.groups()
    assert client.get(url).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Without the hash, or with another file's: revalidated every time.
    assert client.get("/static/js/app.js").headers["Cache-Control"] == "no-cache"
    assert client.get("/static/js/app.js?v=0123456789ab").headers["Cache-Control"] == "no-cache"
    # A new deploy of the file gives a new hash.
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static)
    app.static_folder = str(static)
    (static / "js" / "app.js").write_text("/* new */")
    again = client.get("/login").get_data(as_text=True)
    assert f"app.js?v={version}" not in again and "app.js?v=" in again
    assert client.get(url).headers["Cache-Control"] == "no-cache"  # the old hash: revalidate
