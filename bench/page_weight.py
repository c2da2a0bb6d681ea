"""Bytes a phone downloads on its first visit to the assessment page.

The page (its styles are in its head) and what it names: scripts, and any
linked stylesheet, preloaded file, image or font named by its styles, as the
server sends them to a browser that accepts gzip (fonts and images as they
are), with each response's status line and headers as HTTP/1.1 writes them;
and the same with Brotli, which browsers ask for over HTTPS. Target: <= 30 KB
on the wire.

Run: .venv/bin/python bench/page_weight.py
"""

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
TARGET = 30 * 1024


def build_app(tmp):
    """Return an app over a fresh SQLite file holding the test world."""
    from conftest import PASSWORD, make_app
    from korch_pwa.demo import ensure_rounds, ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.extensions import db
    from korch_pwa.org.services import load_geography

    app = make_app("sqlite:///" + os.path.join(tmp, "bench.sqlite"))
    with app.app_context():
        db.create_all()
        load_geography(province_codes={"52"})
        ensure_user("member_a", "คุณ member_a", "", Role.MEMBER, ["520101"], PASSWORD)
        rnd = ensure_rounds("52")[2]
        db.session.commit()
        return app, rnd.id, PASSWORD


def header_bytes(response):
    """Return the size of the status line and headers as HTTP/1.1 sends them."""
    lines = [f"HTTP/1.1 {response.status}"] + [f"{k}: {v}" for k, v in response.headers.items()]
    return len("\r\n".join(lines).encode("latin-1", "replace")) + 4


def sent_bytes(client, url, accept="gzip"):
    """Return (body bytes on the wire, raw bytes, encoding, header bytes) for one GET."""
    import brotli

    response = client.get(url, headers={"Accept-Encoding": accept})
    assert response.status_code == 200, (url, response.status_code)
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding", "")
    raw = {"gzip": gzip.decompress, "br": brotli.decompress}.get(encoding, bytes)(body)
    return len(body), len(raw), encoding or "-", header_bytes(response)


def assets(html):
    """Return the CSS, script, font and image URLs the page loads.

    Styles written into the page are read for the files they name too.
    """
    found = re.findall(r'<link rel="(?:stylesheet|preload)" href="([^"]+)"', html)
    found += re.findall(r'<script src="([^"]+)"', html)
    found += re.findall(r'<img [^>]*src="(/[^"]+)"', html)
    for css in re.findall(r"<style>(.*?)</style>", html, re.S):
        found += ["/static/" + url for url in re.findall(r'url\("?\.\./([^")]+)"?\)', css)]
    return list(dict.fromkeys(found))


def main():
    """Print the bytes of each download and the total against the target."""
    with tempfile.TemporaryDirectory() as tmp:
        app, round_id, password = build_app(tmp)
        client = app.test_client()
        client.post("/login", data={"username": "member_a", "password": password})
        page = f"/assessment/520101/{round_id}"
        html = client.get(page).get_data(as_text=True)
        rows = [(page, *sent_bytes(client, page))]
        rows += [(url, *sent_bytes(client, url)) for url in assets(html)]
        brotli_total = sum(body + head for _u, body, _r, _e, head in (
            (url, *sent_bytes(client, url, "gzip, br")) for url in [page, *assets(html)]))
        # After the page, the service worker installs once: its script, the
        # manifest, icons and offline page, and the list of pages to keep (the
        # shell scripts the page loaded are revalidated, 304). The page itself is not fetched
        # again when the worker served it, as it does after the login page.
        # The evidence script is not loaded by the page (only when someone
        # attaches a file) but the worker keeps it, so that attaching works offline.
        extra = ["/sw.js", "/static/js/evidence.js", "/manifest.webmanifest",
                 "/static/icons/icon-192.png",
                 "/static/icons/icon-512.png", "/static/icons/maskable-512.png", "/offline",
                 "/api/v1/me"]
        background = [(url, *sent_bytes(client, url)) for url in extra]
    bodies = sum(r[1] for r in rows)
    total = bodies + sum(r[4] for r in rows)
    print(f"{'url':45} {'body':>8} {'headers':>8} {'raw':>8}  encoding")
    for url, sent, raw, encoding, head in rows:
        print(f"{url:45} {sent:8d} {head:8d} {raw:8d}  {encoding}")
    print(f"{'total (first visit, gzip)':45} {bodies:8d} {total - bodies:8d} "
          f"{sum(r[2] for r in rows):8d}")
    print(f"= {bodies / 1024:.1f} KB of bodies, {total / 1024:.1f} KB on the wire with headers; "
          f"with Brotli (HTTPS) {brotli_total / 1024:.1f} KB on the wire")
    print(f"target <= {TARGET // 1024} KB on the wire (gzip): {'OK' if total <= TARGET else 'OVER'}")
    print()
    print("then once in the background, while the service worker installs:")
    for url, sent, raw, encoding, _head in background:
        print(f"{url:45} {sent:8d} {raw:8d}  {encoding}")
    print(f"{'total (background, not in the target)':45} {sum(r[1] for r in background):8d}")
    return 0 if total <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
