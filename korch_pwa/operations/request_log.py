"""A request id for every request, one structured log line per request, and metrics.

The id comes from the client or the proxy (``X-Request-ID``, when it looks
like one) or is made here; it goes back in the response's ``X-Request-ID``
and on error pages and bodies, so a person or a phone can quote it, and it is
on every log line of the request. With ``LOG_JSON`` (production) each line is
one JSON object, for a log collector.
"""

import json
import logging
import re
import sys
import time
import uuid

from flask import g, has_request_context, request

from . import metrics

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
log = logging.getLogger("korch.requests")


def request_id_from(header):
    """Return the client's request id if it is a sensible one, else a new one."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id():
    """Return this request's id, or None outside a request."""
    return getattr(g, "request_id", None) if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and the extras."""

    FIELDS = ("method", "path", "endpoint", "status", "duration_ms", "user_id")

    def format(self, record):
        line = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage(),
                "request_id": getattr(record, "request_id", None) or current_request_id()}
        line.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class _Stderr(logging.StreamHandler):
    """A handler writing to whatever ``sys.stderr`` is when a line is written."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass  # always the current stderr: a test's capture, gunicorn's error log


def _json_logging(app):
    """Send the app's and the request log's lines to stderr as JSON."""
    handler = _Stderr()
    handler.setFormatter(JsonFormatter())
    for logger in (log, app.logger):
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def register_request_log(app):
    """Give every request an id, a log line and its metrics."""
    if app.config.get("LOG_JSON"):
        _json_logging(app)

    @app.before_request
    def start():
        g.request_id = request_id_from(request.headers.get("X-Request-ID"))
        g.request_started = time.perf_counter()

    @app.after_request
    def finish(response):
        started = getattr(g, "request_started", None)
        if started is None:  # the request failed before ``start`` ran
            return response
        seconds = time.perf_counter() - started
        endpoint = metrics.endpoint_of(request.url_rule)
        response.headers["X-Request-ID"] = g.request_id
        metrics.observe_request(endpoint, request.method, response.status_code, seconds)
        if log.isEnabledFor(logging.INFO):  # off unless LOG_JSON: no line built for nothing
            log.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "request_id": g.request_id, "method": request.method, "path": request.path,
                "endpoint": endpoint, "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": getattr(g.get("_login_user"), "id", None)})
        return response
