"""Pages carry their styles in their head, each allowed by its hash, and no web font."""

import base64
import hashlib
import re
import shutil
from pathlib import Path

from korch_pwa.security.headers import CONTENT_SECURITY_POLICY


def styles_and_policy(response):
    """Return the page's <style> texts and the style-src of its policy."""
    html = response.get_data(as_text=True)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    policy = response.headers["Content-Security-Policy"]
    style_src = next(d for d in policy.split("; ") if d.startswith("style-src "))
    return html, styles, style_src


def allowed(style, style_src):
    """Tell whether the policy allows this inline style by its SHA-256."""
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return f"'sha256-{digest}'" in style_src.split()


def test_a_member_s_form_has_its_styles_in_the_page_and_nothing_to_fetch_first(
        client, auth, world):
    """No stylesheet link and no font: the first paint waits for the page alone."""
    auth.login("member_a")
    response = client.get(f"/assessment/520101/{world['round']}")
    html, styles, style_src = styles_and_policy(response)
    assert len(styles) == 1 and allowed(styles[0], style_src)
    assert ".indicator" in styles[0] and ".menu" not in styles[0]  # no officers' styles
    assert 'rel="stylesheet"' not in html and "woff" not in html and "@font-face" not in html
    assert "unsafe-inline" not in style_src


def test_an_officer_s_page_carries_the_office_styles_too(client, auth, world):
    """Both styles are allowed by their hashes."""
    auth.login("district_x")
    _html, styles, style_src = styles_and_policy(client.get("/review/"))
    assert len(styles) == 2 and all(allowed(s, style_src) for s in styles)
    assert ".menu" in styles[1]


def test_the_offline_page_carries_its_styles(client):
    """The worker stores it with its headers: body and policy agree."""
    _html, styles, style_src = styles_and_policy(client.get("/offline"))
    assert len(styles) == 1 and allowed(styles[0], style_src)


def test_anything_but_a_page_keeps_the_short_policy(client, auth, world):
    """Scripts, images and JSON carry no styles, so their policy allows none inline."""
    auth.login("member_a")
    for url in ("/static/js/app.js", "/static/icons/icon-192.png", "/api/v1/me", "/sw.js"):
        assert client.get(url).headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_changed_stylesheet_gives_the_page_and_its_hash_at_once(app, client, tmp_path):
    """The styles are read once per version of the file, not once for the process."""
    static = tmp_path / "static"
    shutil.copytree(Path(app.static_folder), static)
    app.static_folder = str(static)
    _html, before, _src = styles_and_policy(client.get("/offline"))
    with open(static / "css" / "app.css", "a", encoding="utf-8") as css:
        css.write("\n.deployed { color: red; }\n")
    _html, after, style_src = styles_and_policy(client.get("/offline"))
    assert after != before and ".deployed" in after[0] and allowed(after[0], style_src)
