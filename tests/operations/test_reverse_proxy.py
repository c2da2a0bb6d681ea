"""deploy/Caddyfile in front of gunicorn: HTTPS, redirect, compression and caching as the app says.

Starts the real Caddy (Debian's package, installed by scripts/setup.sh --dev)
with the shipped Caddyfile on free ports, its own CA for localhost, and the
app under gunicorn behind it.
"""

import http.client
import os
import re
import socket
import ssl
import subprocess
import time
from pathlib import Path

import brotli
import pytest

from korch_pwa.extensions import db
from tests.concurrency.server import Gunicorn, free_port

ROOT = Path(__file__).resolve().parents[2]


def wait_port(port, proc):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "caddy stopped"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("caddy did not start")


@pytest.fixture
def proxy(app, world, database_url, tmp_path):
    """Caddy (HTTPS on one port, HTTP on another) in front of gunicorn -w 2."""
    with app.app_context():
        db.engine.dispose()
    upstream = Gunicorn(database_url, workers=2, env={"PROXY_COUNT": "1"})
    https, plain = free_port(), free_port()
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), KORCH_SITE=f"localhost:{https}",
               HTTPS_PORT=str(https), HTTP_PORT=str(plain),
               KORCH_UPSTREAM=f"127.0.0.1:{upstream.port}")
    caddy = subprocess.Popen(["caddy", "run", "--config", str(ROOT / "deploy" / "Caddyfile"),
                              "--adapter", "caddyfile"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(https, caddy)
        root = tmp_path / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 10
        while not root.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        yield {"https": https, "http": plain, "ca": ssl.create_default_context(cafile=root)}
    finally:
        caddy.terminate()
        caddy.wait(10)
        upstream.stop()


def get(proxy, path, headers=None):
    """GET over HTTPS through Caddy, checking its certificate against its own CA."""
    for _ in range(50):  # the certificate is issued just after the port opens
        connection = http.client.HTTPSConnection("localhost", proxy["https"],
                                                 context=proxy["ca"], timeout=20)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response, response.read()
        except (ssl.SSLError, ConnectionError):
            time.sleep(0.2)
        finally:
            connection.close()
    raise AssertionError("no TLS handshake")


def test_https_with_hsts_and_a_request_id(proxy):
    response, body = get(proxy, "/healthz")
    assert response.status == 200 and b'"ok"' in body
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert re.fullmatch(r"[0-9a-f-]{36}", response.headers["X-Request-ID"])
    assert "Server" not in response.headers


def test_plain_http_is_sent_to_https(proxy):
    connection = http.client.HTTPConnection("127.0.0.1", proxy["http"], timeout=10)
    connection.request("GET", "/healthz", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status in (301, 308)
    assert response.headers["Location"].startswith("https://localhost")


def test_the_apps_brotli_and_year_long_cache_pass_through(proxy):
    page_response, page = get(proxy, "/login")
    script = re.search(rb'src="(/static/js/app\.js\?v=[0-9a-f]{12})"', page).group(1).decode()
    response, body = get(proxy, script, {"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    _plain, identity = get(proxy, script, {"Accept-Encoding": "identity"})
    assert brotli.decompress(body) == identity and b"Outbox" in identity
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    worker, _ = get(proxy, "/sw.js")
    assert worker.headers["Cache-Control"] == "no-cache"
    unversioned, _ = get(proxy, "/static/js/app.js")
    assert unversioned.headers["Cache-Control"] == "no-cache"
