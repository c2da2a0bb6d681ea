"""/healthz (the process answers) and /readyz (it can serve people) for load balancers."""

from flask import Blueprint, current_app, jsonify

from .. import ROOT
from ..extensions import db
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
