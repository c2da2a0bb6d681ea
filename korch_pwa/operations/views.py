"""/healthz (the process answers) and /readyz (it can serve people) for load balancers."""

import hmac

from flask import Blueprint, Response, abort, current_app, jsonify, request

from .. import ROOT
from ..extensions import db
from . import metrics as metric
from .readiness import database_problems, migration_head, store_problem

bp = Blueprint("operations", __name__)


def _no_store(response, status=200):
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def healthz():
    """Answer without touching anything: a dead process is restarted, a busy one is not."""
    return _no_store(jsonify(status="ok"))


@bp.route("/readyz")
def readyz():
    """Check the database, its migrations and the login counters' store; 503 if any fails."""
    from ..auth.throttle import shared_store

    checks = database_problems(db.engine, migration_head(str(ROOT / "migrations")))
    checks["rate_limit_store"] = store_problem(shared_store(current_app))
    problems = {name: reason for name, reason in checks.items() if reason}
    body = {"status": "ready" if not problems else "not ready",
            "checks": {name: reason or "ok" for name, reason in checks.items()}}
    return _no_store(jsonify(body), 503 if problems else 200)


@bp.route("/metrics")
def metrics():
    """Prometheus text for a scraper holding METRICS_TOKEN; a 404 for everyone else."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        abort(404)
    response = Response(metric.exposition(), mimetype=metric.CONTENT_TYPE)
    return _no_store(response)
