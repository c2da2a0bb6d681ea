"""A deploy must not lose what a phone queued with the previous release's code.

The phone runs the previous release (its pages, scripts and worker, taken from
git), queues a whole submission offline, and only then is the new release
deployed. The server refuses every sync until the phone has taken the update
(so the old code cannot deliver it first); the new code opens the phone's
storage at its new version (IndexedDB 2 -> 3, which added the evidence files)
and sends the queued item: stored once.
"""

import io
import os
import socket
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from .conftest import wait_js
from .test_offline import CODES, db_state, form_url, pick

ROOT = Path(__file__).resolve().parents[2]
# The release before IndexedDB version 3 (evidence). Move it forward when a
# release changes what a phone keeps, so that each such change is tested once.
PREVIOUS = "7c6f650"


def previous_release(target):
    """Unpack the previous release (code, pages, scripts) into ``target``."""
    archive = subprocess.run(["git", "archive", PREVIOUS], cwd=ROOT, capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


SERVE = """
import sys
from datetime import date
from werkzeug.serving import run_simple
from korch_pwa import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "TODAY": date(2026, 11, 20)})
run_simple("127.0.0.1", int(sys.argv[2]), app, threaded=True)
"""


class PreviousServer:
    """The previous release's own app, on the live server's port, over the same database."""

    def __init__(self, release, database_url, port):
        env = dict(os.environ, KORCH_ENV="testing", PYTHONPATH=str(release))
        self.proc = subprocess.Popen([sys.executable, "-c", SERVE, database_url, str(port)],
                                     cwd=release, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the previous release did not start")

    def stop(self):
        """Stop it (the deploy)."""
        self.proc.terminate()
        self.proc.wait(20)


def idb_version(page):
    """Return the version of the phone's IndexedDB database."""
    return page.evaluate("indexedDB.databases().then(d => (d.find(x => x.name === 'korch') "
                         "|| {}).version)")


def test_a_submission_queued_on_the_previous_release_is_sent_by_the_new_one(
        app, world, live, phones, database_url, tmp_path):
    live.down()
    previous = PreviousServer(previous_release(tmp_path / "previous"), database_url, live.port)
    try:
        phone = phones()
        phone.login("member_a")
        phone.visit(form_url(world))
        page = phone.page
        wait_js(page, "() => navigator.serviceWorker.controller !== null")
        phone.offline()
        for code in CODES:
            pick(page, code, 2)
        page.click('button[value="submit"]')
        phone.wait_queued(1)
        assert idb_version(page) == 2
    finally:
        previous.stop()

    for _ in range(200):  # every sync fails until the phone runs the new code
        live.faults.fail_next("/api/v1/sync", "fail")
    live.start()  # the deploy: this release on the same address
    phone.offline(False)
    page.goto(form_url(world))
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.wait_for_selector("#update-banner", state="visible")
    assert db_state(app)[0] is None  # nothing got through the old code
    with page.expect_navigation():
        page.click("#update-banner button")
    page.wait_for_load_state()
    assert idb_version(page) == 3
    phone.wait_queued(1)  # the item survived the new code opening the storage
    with live.faults.lock:
        live.faults.plan.clear()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    phone.wait_unsynced(0)
    status, answers, submits, receipts = db_state(app)
    assert status == "submitted" and submits == 1 and receipts == 1
    assert answers == {code: 2 for code in CODES}
