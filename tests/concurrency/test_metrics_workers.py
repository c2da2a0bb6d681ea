"""Prometheus metrics under gunicorn -w 4: whichever worker answers, it counts them all."""

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


def test_the_counts_of_every_worker_add_up(app, world, database_url, tmp_path):
    with app.app_context():
        db.engine.dispose()
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    server = Gunicorn(database_url, workers=4, env={
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "METRICS_TOKEN": TOKEN})
    try:
        for _ in range(40):  # a new connection each: the workers share them out
            assert Client(server.port).request("GET", "/healthz")[0] == 200
        # Several scrapes, answered by different workers, all say 40.
        assert [healthz_count(server.port) for _ in range(8)] == [40] * 8
        assert len(list(metrics_dir.glob("counter_*.db"))) > 1  # more than one worker counted
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
