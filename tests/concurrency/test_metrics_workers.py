"""Prometheus metrics under gunicorn -w 4: whichever worker answers, it counts them all."""

import socket

from prometheus_client.parser import text_string_to_metric_families

from korch_pwa.extensions import db

from .server import Client, Gunicorn

TOKEN = "scrape-me-0123456789"


def healthz_count(port):
    """Return how many /healthz requests the scraped worker reports for the server."""
    status, text = Client(port).request("GET", "/metrics",
                                        headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "korch_http_requests_total" and \
                    sample.labels.get("endpoint") == "/healthz":
                return sample.value
    return 0


def hold_a_worker(port):
    """Open a connection and send half a request: the sync worker that takes it waits there."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    return sock


def release(sock):
    """Finish the half-sent request; return its status code."""
    with sock:
        sock.sendall(b"Connection: close\r\n\r\n")
        head = sock.makefile("rb").readline()
    return int(head.split()[1])


def test_the_counts_of_every_worker_add_up(app, world, database_url, tmp_path):
    with app.app_context():
        db.engine.dispose()
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    server = Gunicorn(database_url, workers=4, env={
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "METRICS_TOKEN": TOKEN})
    try:
        # Left alone, one idle worker may take every connection; three half-sent
        # requests keep three workers busy, so the 40 go to the fourth and
        # four processes count.
        held = [hold_a_worker(server.port) for _ in range(3)]
        for _ in range(40):
            assert Client(server.port).request("GET", "/healthz")[0] == 200
        assert [release(sock) for sock in held] == [200] * 3
        # Several scrapes, answered by different workers, all say 43.
        assert [healthz_count(server.port) for _ in range(8)] == [43] * 8
        assert len(list(metrics_dir.glob("counter_*.db"))) == 4
    finally:
        server.stop()


def test_the_production_gunicorn_settings_load(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--check-config",
         "-c", str(root / "deploy" / "gunicorn.conf.py"), "wsgi:app"],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "KORCH_ENV": "testing",
             "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})
    assert done.returncode == 0, done.stderr
