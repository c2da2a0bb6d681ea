"""gunicorn settings for production: gunicorn -c deploy/gunicorn.conf.py wsgi:app

4 gthread workers of 4 threads each held 300 syncs/s with p99 154 ms on
PostgreSQL on a 2-core host (bench/soak.py, issue 9); raise WEB_CONCURRENCY
with the cores (about 2 per core). Metrics: set PROMETHEUS_MULTIPROC_DIR to a
directory only this server uses; it is emptied at start.
"""

import gc
import importlib
import os
import shutil
from pathlib import Path

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
timeout = 60
graceful_timeout = 30
# Longer than any client or proxy keeps an idle connection (Caddy: 60 s, set in
# deploy/Caddyfile), so the other side always closes first: a server closing an
# idle connection just as a request arrives on it drops that request (measured
# with bench/deadline_day.py at 5 s: connection resets under load).
keepalive = 75
preload_app = True
accesslog = None  # the app writes one JSON line per request, with its request id
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Forget the counters of a previous run of this server."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def when_ready(server):
    """Load in the master, before it forks, what every worker comes to need.

    The PDF renderer (fpdf2 with fontTools and HarfBuzz, about 32 MB) is
    imported by a worker's first PDF, not at start (a worker that only serves
    syncs never holds it; tests/operations/test_worker_imports.py). On a
    deadline day every worker renders reports: imported here, the workers
    share one copy of it instead of each holding its own. ``gc.freeze`` keeps
    the collector in the workers from touching (and so copying) the objects
    they inherit.
    """
    for name in ("fpdf", "fontTools.ttLib", "uharfbuzz"):
        importlib.import_module(name)
    gc.freeze()


def child_exit(server, worker):
    """A worker that ended no longer counts in the live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
