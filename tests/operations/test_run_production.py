"""scripts/run-production.sh: refuses what would break production, else migrates and serves."""

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.concurrency.server import free_port
from tests.helpers import new_postgres_database

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "run-production.sh"
SECRET = "a-real-secret-of-more-than-thirty-two-characters"


def run(env, timeout=60):
    """Run the script to its end with only ``env``; return (exit code, stderr)."""
    done = subprocess.run(["bash", str(SCRIPT)], env={"PATH": os.environ["PATH"], **env},
                          capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stderr


@pytest.mark.parametrize("env,says", [
    ({"SECRET_KEY": SECRET}, "set DATABASE_URL"),
    ({"SECRET_KEY": SECRET, "DATABASE_URL": "sqlite:////tmp/korch.sqlite"}, "must be PostgreSQL"),
    ({"DATABASE_URL": "postgresql://x@127.0.0.1/x"}, "set SECRET_KEY"),
    ({"DATABASE_URL": "postgresql://x@127.0.0.1/x", "SECRET_KEY": "dev-" + "x" * 40},
     "set SECRET_KEY"),
    ({"DATABASE_URL": "postgresql://x@127.0.0.1/x", "SECRET_KEY": "short"}, "set SECRET_KEY"),
])
def test_it_refuses_to_start_wrong(env, says):
    code, err = run(env)
    assert code == 2 and says in err


@pytest.fixture
def new_database(database_url):
    """A new, empty PostgreSQL database (the run's own on a PostgreSQL run)."""
    if database_url.startswith("sqlite"):
        pytest.fail("only on PostgreSQL")  # never reached: the test checks first
    for url in new_postgres_database(database_url, "production"):
        yield url.set(drivername="postgresql").render_as_string(hide_password=False)


def test_it_migrates_an_empty_database_then_serves_ready(request, database_url, tmp_path):
    if database_url.startswith("sqlite"):
        # The SQLite run proves the refusal; the PostgreSQL run starts it for real.
        code, err = run({"SECRET_KEY": SECRET, "DATABASE_URL": database_url})
        assert code == 2 and "must be PostgreSQL" in err
        return
    url = request.getfixturevalue("new_database")
    port = free_port()
    proc = subprocess.Popen(["bash", str(SCRIPT)], env={
        "PATH": os.environ["PATH"], "DATABASE_URL": url, "SECRET_KEY": SECRET,
        "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    ready = json.load(r)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "never answered"
                time.sleep(0.3)
        assert ready["status"] == "ready", ready  # the migrations ran before it served
    finally:
        proc.terminate()
        proc.wait(30)
