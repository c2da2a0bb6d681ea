"""A real ``redis-server`` of the test run's own, on a free port, keeping nothing on disk.

Our own rather than the machine's 6379: a test that fills counters there
would share them with whatever else runs, and a CI machine may not run one.
"""

import shutil
import socket
import subprocess
import time

from tests.concurrency.server import free_port


class RedisServer:
    """Start ``redis-server``; ``url`` is where it answers."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is missing: scripts/setup.sh --dev installs it")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    @property
    def url(self):
        """Return the server's URL for ``limits`` and redis-py."""
        return f"redis://127.0.0.1:{self.port}/0"

    def flush(self):
        """Delete every key, so that each test starts with empty counters."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall(b"FLUSHALL\r\n")
            assert conn.recv(16).startswith(b"+OK")

    def stop(self):
        """Stop the server."""
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
