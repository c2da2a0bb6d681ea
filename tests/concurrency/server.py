"""A real multi-process server (gunicorn) over the test database, and clients for it.

Races that one process cannot show (SQLite's file locks, two workers creating
the same row) need several processes; the test client and the threaded
werkzeug server of the e2e tests never show them.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """``gunicorn -w N wsgi:app`` on the test database, in testing mode."""

    def __init__(self, database_url, workers=4, env=None, wait=True):
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=database_url, KORCH_ENV="testing", **(env or {}))
        cmd = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{self.port}",
               "--workers", str(workers), "--log-level", "warning", "--chdir", str(ROOT),
               # Loaded before the port opens, so the first requests find every
               # worker ready; a long timeout, because a loaded CI machine is slow.
               "--preload", "--timeout", "120",
               "wsgi:app"]
        # A session of its own, so that stop() can end master and workers at once.
        self.proc = subprocess.Popen(cmd, env=env, start_new_session=True)
        if wait:
            self.ready()

    def ready(self):
        """Wait until the server listens (servers started with wait=False boot together)."""
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        """Stop the master and its workers now.

        Killed rather than asked: a graceful stop costs about 1.7 s a server
        (gunicorn's arbiter ticks once a second), dozens of times a run, and
        by then no test has a request in flight.
        """
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(20)


class Client:
    """One person's session against the server (a new connection per request)."""

    def __init__(self, port):
        self.port = port
        self.cookie = ""

    def request(self, method, path, body=None, form=None, headers=None):
        """Send a request; return (status, parsed JSON, text or bytes)."""
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif isinstance(body, bytes):
            headers.setdefault("Content-Type", "application/octet-stream")
        elif body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            try:
                parsed = json.loads(data)
            except ValueError:
                try:
                    parsed = data.decode("utf-8")
                except UnicodeDecodeError:
                    parsed = data  # a file: its bytes
            return response.status, parsed
        finally:
            conn.close()

    def login(self, username, password):
        """Log in (CSRF is off in testing mode); fail loudly otherwise."""
        status, _ = self.request("POST", "/login", form={"username": username, "password": password})
        assert status == 302, f"login of {username} answered {status}"
        return self

    def sync(self, items):
        """POST one outbox batch; return (status, body)."""
        return self.request("POST", "/api/v1/sync", body={"items": items})
