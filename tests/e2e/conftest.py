"""A live server on 127.0.0.1 and phones (persistent Chromium profiles) for e2e tests."""

import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, make_app
from korch_pwa.extensions import db

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage"]
WAIT = 15000  # ms; every wait is for a condition, this is only the ceiling


def pytest_collection_modifyitems(items):
    """Mark every test here as e2e, so ``-m "not e2e"`` skips the browser."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright's own fixtures use Debian's Chromium too."""
    return {"executable_path": CHROMIUM, "args": ARGS}


READY = "html[data-offline-ready='1']"


def wait_js(page, script, arg=None):
    """Wait until an (async) script in ``page`` returns something truthy.

    Not ``wait_for_function``: it compiles its predicate with eval, which the
    app's Content-Security-Policy forbids, and it takes a pending promise for
    a truthy value. ``evaluate`` runs through the debugger, outside the CSP.
    """
    deadline = time.monotonic() + WAIT / 1000
    while True:
        value = page.evaluate(script, arg)
        if value or time.monotonic() > deadline:
            assert value, f"still false after {WAIT} ms: {script}"
            return value
        time.sleep(0.05)


class Faults:
    """WSGI middleware that can break the next sync on purpose, and counts requests (test-only)."""

    def __init__(self, app):
        self.app = app
        self.plan = []
        self.posts = Counter()
        self.gets = Counter()  # what the phones downloaded, by path
        self.puts = []  # (path, query) of every PUT that reached the server, in order
        self.lock = threading.Lock()

    def fail_next(self, path, how):
        """Arm one fault: "fail" answers 500 unseen; "lose" applies, then drops the answer."""
        with self.lock:
            self.plan.append((path, how))

    def _take(self, path):
        """Return and disarm the fault planned for ``path``."""
        with self.lock:
            for index, (planned, how) in enumerate(self.plan):
                if planned == path:
                    del self.plan[index]
                    return how
        return None

    def __call__(self, environ, start_response):
        """Pass the request on, unless a fault is armed for it."""
        path = environ["PATH_INFO"]
        if environ["REQUEST_METHOD"] == "GET":
            with self.lock:
                self.gets[path] += 1
        if environ["REQUEST_METHOD"] == "PUT":
            with self.lock:
                self.puts.append((path, environ.get("QUERY_STRING", "")))
        if environ["REQUEST_METHOD"] != "POST":
            return self.app(environ, start_response)
        with self.lock:
            self.posts[path] += 1
        how = self._take(path)
        if how == "lose":
            result = self.app(environ, lambda *args, **kwargs: None)
            b"".join(result)
            getattr(result, "close", lambda: None)()
        if how in ("fail", "lose"):
            start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "application/json")])
            return [b'{"code": 500}']
        return self.app(environ, start_response)


class LiveServer:
    """The app with CSRF on, served by werkzeug in a thread on a random port."""

    def __init__(self, database_url):
        options = {"pool_pre_ping": True}
        if database_url.startswith("sqlite"):
            # Threads of one server share the file: wait for a lock, do not fail.
            options["connect_args"] = {"timeout": 30}
        self.app = make_app(database_url, WTF_CSRF_ENABLED=True,
                            SQLALCHEMY_ENGINE_OPTIONS=options)
        self.faults = Faults(self.app.wsgi_app)
        self.app.wsgi_app = self.faults
        self.port = 0
        self.server = self.thread = None

    def start(self):
        """Serve in the background (again on the same port after ``down``)."""
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def down(self):
        """Stop answering, like a village hall without signal.

        Playwright's offline mode does not reach a service worker that the
        browser starts by itself (Background Sync at start-up), so for a
        browser restart "no signal" is made on the server's side too.
        """
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def stop(self):
        """Stop serving and close the database connections."""
        self.down()
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def live(app, world, database_url):
    """A live server over the test database holding ``world``."""
    server = LiveServer(database_url).start()
    yield server
    server.stop()


class Phone:
    """One person's browser with its own storage that survives a restart."""

    def __init__(self, playwright, live, data_dir):
        self.playwright, self.live, self.data_dir = playwright, live, data_dir
        self.context = self.page = None
        self.csp_violations = []

    def open(self, offline=False):
        """Start the browser on the same profile (storage, worker, caches)."""
        self.context = self.playwright.chromium.launch_persistent_context(
            str(self.data_dir), executable_path=CHROMIUM, args=ARGS, headless=True,
            base_url=self.live.url, offline=offline, locale="th-TH")
        self.context.set_default_timeout(WAIT)
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        # Script errors are printed so that a failing run says why.
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: print("pageerror:", e))
        return self

    def _console(self, message):
        """Print script errors; keep what the Content-Security-Policy refused."""
        if message.type == "error":
            print("console:", message.text)
            if "Content Security Policy" in message.text:
                self.csp_violations.append(message.text)

    def restart(self, offline=False):
        """Close the browser and start it again with the same storage."""
        self.context.close()
        return self.open(offline)

    def close(self):
        """Close the browser."""
        if self.context:
            self.context.close()
            self.context = None

    def offline(self, flag=True):
        """Cut or give back the network (the worker's too)."""
        self.context.set_offline(flag)

    def login(self, username, then=None):
        """Log in through the page, as a person does."""
        page = self.page
        for attempt in (1, 2):
            page.goto(then and f"/login?next={then}" or "/login")
            page.fill("#username", username)
            page.fill("#password", PASSWORD)
            with page.expect_response(lambda r: r.request.method == "POST"
                                      and "/login" in r.url) as answer:
                page.click("main form button.primary")
            page.wait_for_load_state()
            landed = urlsplit(page.url).path
            if answer.value.status != 400 and landed != "/login":
                return
            # Seen in full runs under load (never alone): the login form's CSRF
            # token refused, or (previous release only) a login answered 302 whose
            # next page was sent back to /login. Say why, and log in again as a
            # person would.
            cookies = [c["name"] for c in self.context.cookies()]
            print(f"login attempt {attempt} ended at {landed} (status "
                  f"{answer.value.status}, cookies {cookies}):", page.inner_text("main")[:300])
        raise AssertionError(f"could not log in as {username}")

    def visit(self, path):
        """Open a page and wait until the worker keeps it for offline use."""
        self.page.goto(path)
        self.page.wait_for_selector(READY, state="attached")

    def unsynced(self):
        """Return the always-visible count of unsynced items."""
        return int(self.page.get_attribute("#outbox-count", "data-count"))

    def until(self, script, arg=None):
        """Wait until an (async) script in the phone's page returns something truthy."""
        return wait_js(self.page, script, arg)

    def wait_queued(self, count):
        """Wait until this phone's outbox holds ``count`` items."""
        self.until(f"() => Outbox.items().then(i => i.length === {count})")

    def wait_unsynced(self, count):
        """Wait until the header shows ``count`` unsynced items."""
        self.page.wait_for_selector(f'#outbox-count[data-count="{count}"]', state="attached")


@pytest.fixture
def phones(playwright, live, tmp_path):
    """Make phones; close them all at the end."""
    made = []

    def make(name="phone"):
        phone = Phone(playwright, live, tmp_path / name).open()
        made.append(phone)
        return phone

    yield make
    for phone in made:
        phone.close()
    # The suite runs under the app's CSP: nothing of ours may be refused by it.
    assert [v for phone in made for v in phone.csp_violations] == []
