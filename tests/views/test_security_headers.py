"""Every response carries the security headers: pages, errors, the worker, files."""

import re
from io import BytesIO

import pytest

from korch_pwa.security.headers import CONTENT_SECURITY_POLICY, security_headers
from tests.views.test_area_checks import _sample_url
from tests.register_data import PDF_BYTES

REQUIRED = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
            "Permissions-Policy")


def check(response, where):
    """Assert the headers on one response."""
    for name in REQUIRED:
        assert response.headers.get(name), (where, name)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'",
                      "base-uri 'none'", "object-src 'none'"):
        assert directive in csp, (where, directive)
    assert response.headers["X-Content-Type-Options"] == "nosniff", where


def test_the_policy_allows_no_inline_script():
    """The one policy string: scripts and styles from our origin only."""
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY + ";"
    assert "style-src 'self';" in CONTENT_SECURITY_POLICY + ";"


def test_camera_only_where_the_form_needs_it():
    """The assessment form may use the camera; no other page may."""
    assert "camera=(self)" in security_headers("assessment.form", False)["Permissions-Policy"]
    assert "camera=()" in security_headers("reports.index", False)["Permissions-Policy"]
    assert "camera=()" in security_headers(None, False)["Permissions-Policy"]


def test_hsts_only_in_production(app):
    """HTTPS-only is promised where production serves HTTPS, never on a laptop."""
    assert "Strict-Transport-Security" not in security_headers("org.home", False)
    assert security_headers("org.home", True)["Strict-Transport-Security"].startswith("max-age=")
    assert app.config["SECURITY_HSTS"] is False
    from config import ProductionConfig

    assert ProductionConfig.SECURITY_HSTS is True


@pytest.mark.parametrize("user", [None, "member_a", "district_x", "province", "department"])
def test_every_route_answers_with_the_headers(app, client, auth, world, user):
    """Walk the URL map as each kind of person: whatever the status, the headers are there."""
    if user:
        auth.login(user)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = _sample_url(app, rule)
        response = client.get(url)
        check(response, (user, url, response.status_code))
        checked += 1
    for url in ("/sw.js", "/static/css/app.css", "/no/such/page", "/offline", "/manifest.webmanifest"):
        check(client.get(url), (user, url))
        checked += 1
    assert checked > 40


def test_a_pdf_and_a_stored_file_carry_the_headers(client, auth, world):
    """Downloads too: a report PDF and a scanned order."""
    auth.login("district_x")
    pdf = client.get("/dashboard/report/5201/2570/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    check(pdf, "report pdf")
    response = client.post("/register/520101/orders/new", data={
        "number": "7/2570", "order_date": "1/11/2569", "term_start": "1/11/2569",
        "term_end": "31/10/2573", "file": (BytesIO(PDF_BYTES), "คำสั่ง.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    scan = client.get(response.location)
    file_id = int(re.search(r'/files/(\d+)', scan.get_data(as_text=True)).group(1))
    download = client.get(f"/files/{file_id}")
    assert download.status_code == 200
    check(download, "stored file")


def test_a_post_error_carries_the_headers(client, auth, world):
    """A refused POST (CSRF off here, so a 403 by role) still has them."""
    auth.login("member_a")
    check(client.post("/rounds/", data={}), "post")
