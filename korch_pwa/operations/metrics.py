"""Prometheus metrics: requests and latency by endpoint, sync items by result, errors.

Under gunicorn every worker is a process with its own counters: with
``PROMETHEUS_MULTIPROC_DIR`` set (to an empty directory, before the app is
imported), prometheus_client keeps each process's values in files there and
``exposition`` adds them up, so whichever worker answers /metrics tells the
whole server's story. Without it (the laptop, the tests) the counters live in
the one process.
"""

import os

from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter,
                               Histogram, generate_latest, multiprocess)

REQUESTS = Counter("korch_http_requests_total", "HTTP requests answered",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("korch_http_request_duration_seconds", "Time to answer a request",
                    ["endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
SYNC_ITEMS = Counter("korch_sync_items_total", "Outbox items answered by POST /api/v1/sync",
                     ["type", "result"])
ERRORS = Counter("korch_errors_total", "Requests answered with a 5xx status", ["endpoint"])
CONTENT_TYPE = CONTENT_TYPE_LATEST


def endpoint_of(rule):
    """Return the label for a request's URL rule: its pattern, never the path itself.

    ``/review/<assessment_id>``, not one label per assessment; a path that
    matched no rule (a 404) is "unmatched".
    """
    return rule.rule if rule is not None else "unmatched"


def observe_request(endpoint, method, status, seconds):
    """Count one answered request and its time."""
    REQUESTS.labels(endpoint, method, str(status)).inc()
    LATENCY.labels(endpoint).observe(seconds)
    if status >= 500:
        ERRORS.labels(endpoint).inc()


def count_sync_items(items, results, known_types):
    """Count each item of a batch by its type and how it was answered.

    A type the server does not know is "invalid": labels come from the
    server's own words only, so a client cannot make new series.
    """
    for item, result in zip(items, results):
        kind = item.get("type") if isinstance(item, dict) else None
        outcome = result.get("status", "error")
        if outcome == "error":  # the server's own code: refused, invalid, not_found...
            outcome = (result.get("error") or {}).get("code", "error")
        SYNC_ITEMS.labels(kind if kind in known_types else "invalid", outcome).inc()


def exposition():
    """Return the metrics text, summed over every worker process in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
