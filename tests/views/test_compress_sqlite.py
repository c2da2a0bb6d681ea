"""Compression of text responses and the SQLite settings for threaded servers."""

import gzip

import sqlite3

import brotli

from korch_pwa.sqlite import _on_connect


def test_static_css_is_gzipped_when_accepted(client):
    """Same bytes after decompression, marked so caches keep both versions apart."""
    plain = client.get("/static/css/app.css")
    packed = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_brotli_is_preferred_when_offered(client):
    """Browsers on HTTPS offer br, which is smaller still."""
    packed = client.get("/static/js/app.js", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.get_data()) == client.get("/static/js/app.js").get_data()


def test_scripts_and_styles_are_sent_without_their_comments(client):
    """static/ keeps the commented source; a phone gets it minified, strings intact."""
    from korch_pwa import ROOT

    for path in ("/static/js/app.js", "/static/js/outbox.js", "/static/js/lib/idb.js",
                 "/static/css/app.css", "/static/css/office.css"):
        source = (ROOT / path.lstrip("/")).read_bytes()
        sent = client.get(path)
        assert sent.status_code == 200 and sent.headers["ETag"].startswith("W/")
        assert b"/*" not in sent.get_data() and len(sent.get_data()) < 0.85 * len(source), path
    script = client.get("/static/js/app.js").get_data(as_text=True)
    # A template literal keeps its spaces; a string keeps what looks like a comment.
    assert "`${T.unsynced} ${n}`" in script and '"use strict"' in script


def test_minifying_can_be_turned_off(app):
    from korch_pwa import ROOT

    app.config["MINIFY_STATIC"] = False
    source = (ROOT / "static/js/app.js").read_bytes()
    assert app.test_client().get("/static/js/app.js").get_data() == source


def test_revalidation_still_answers_304(client):
    """The weak ETag of the compressed file still matches on the next visit."""
    for encoding in ("gzip", "identity"):
        first = client.get("/static/css/app.css", headers={"Accept-Encoding": encoding})
        etag = first.headers["ETag"]
        assert etag.startswith("W/")
        again = client.get("/static/css/app.css", headers={
            "Accept-Encoding": encoding, "If-None-Match": etag})
        assert again.status_code == 304


def test_small_and_binary_responses_are_left_alone(client):
    """Tiny bodies and already-compressed images are sent as they are."""
    icon = client.get("/static/icons/icon-512.png", headers={"Accept-Encoding": "gzip"})
    assert icon.status_code == 200 and "Content-Encoding" not in icon.headers
    tiny = client.get("/api/v1/session", headers={"Accept-Encoding": "gzip"})
    assert tiny.status_code == 401 and "Content-Encoding" not in tiny.headers
    assert tiny.json["code"] == "login_required"


def test_streamed_responses_are_not_buffered(app):
    """A generator response keeps streaming instead of being read into memory."""
    from flask import Response

    @app.route("/_stream")
    def stream():
        """Stream a long text."""
        return Response((("x" * 1000) for _ in range(5)), mimetype="text/plain")

    response = app.test_client().get("/_stream", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert len(response.get_data()) == 5000


def test_sqlite_connections_use_wal_and_wait_for_locks(tmp_path):
    """Threads of a live server share the file without "database is locked"."""
    connection = sqlite3.connect(tmp_path / "x.sqlite")
    _on_connect(connection, None)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    connection.close()


def test_other_databases_are_left_alone():
    """The hook only touches SQLite connections."""
    assert _on_connect(object(), None) is None
