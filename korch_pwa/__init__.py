"""korch-pwa: self-assessment and reporting for ศอช.ต. committees."""

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the app; ``config`` (a dict) overrides the environment's config."""
    from config import CONFIGS

    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    app.config.from_object(CONFIGS[os.environ.get("KORCH_ENV", "development")])
    if config:
        app.config.update(config)
    if os.environ.get("KORCH_ENV") == "production" and app.config["SECRET_KEY"].startswith("dev-"):
        # Every worker must sign sessions with the same real key, or logins break.
        raise RuntimeError("set SECRET_KEY in the environment for production")
    if os.environ.get("KORCH_ENV") == "production" and app.config[
            "RATELIMIT_STORAGE_URI"].startswith("memory://"):
        # Each worker would count on its own: the login limit times the workers.
        raise RuntimeError("RATELIMIT_STORAGE_URI=memory:// is per process; use redis:// "
                           "or leave it empty to count in the database")
    from .evidence.storage import store_for

    store_for(app.config["EVIDENCE_STORE"])  # a wrong setting stops the start, not an upload
    trust_proxies(app)
    Path(app.instance_path).mkdir(exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    return app


def trust_proxies(app):
    """Read the client's address from X-Forwarded-For, through exactly PROXY_COUNT proxies.

    Without a proxy in front the header is whatever the client wrote, and
    trusting it would let a guesser pick a new address for every try.
    """
    from werkzeug.middleware.proxy_fix import ProxyFix

    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app):
    """Bind the extension objects to the app."""
    from . import models  # noqa: F401  (every table known to Alembic)
    from .access import unauthorized
    from .auth.views import load_user
    from .extensions import babel, csrf, db, login_manager, migrate
    from .i18n import register_i18n, select_locale
    from .pool import ping_when_idle
    from .security.cookie_session import SignedCookieSessions
    from .sqlite import register_sqlite_pragmas

    app.session_interface = SignedCookieSessions()
    register_sqlite_pragmas()
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_when_idle(engine, app.config["DATABASE_PING_AFTER_IDLE"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    register_i18n(app)


def register_blueprints(app):
    """Attach one blueprint per area of the product."""
    from .accounts.account_views import bp as account_bp
    from .accounts.audit_views import bp as audit_bp
    from .accounts.people_views import bp as people_bp
    from .accounts.import_views import bp as officer_import_bp
    from .accounts.register_views import bp as member_accounts_bp
    from .assessment.views import bp as assessment_bp
    from .auth.views import bp as auth_bp
    from .chain.calendar_views import bp as calendar_bp
    from .chain.dispatch_views import bp as dispatch_bp
    from .chain.views import bp as chain_bp
    from .committees.views import bp as register_bp
    from .deliveries.push_api import bp as push_api_bp
    from .deliveries.views import bp as deliveries_bp
    from .evidence.api import bp as evidence_api_bp
    from .evidence.views import bp as evidence_bp
    from .files.views import bp as files_bp
    from .framework_versions.views import bp as frameworks_bp
    from .notifications.views import bp as inbox_bp
    from .operations.views import bp as operations_bp
    from .org.views import bp as org_bp
    from .pwa.views import bp as pwa_bp
    from .reports.views import bp as reports_bp
    from .results.next_steps_views import bp as next_steps_bp
    from .results.paper_views import bp as paper_bp
    from .results.views import bp as results_export_bp
    from .review.views import bp as review_bp
    from .rounds.views import bp as rounds_bp
    from .sync_api.views import bp as api_bp

    for bp in (auth_bp, org_bp, assessment_bp, review_bp, rounds_bp, reports_bp,
               register_bp, files_bp, evidence_bp, pwa_bp, api_bp, evidence_api_bp,
               operations_bp, people_bp, audit_bp, account_bp, member_accounts_bp,
               officer_import_bp, results_export_bp, paper_bp, next_steps_bp,
               frameworks_bp, inbox_bp, chain_bp, calendar_bp, dispatch_bp,
               deliveries_bp, push_api_bp):
        app.register_blueprint(bp)


def register_hooks(app):
    """Error pages and the CLI."""
    from .cli import register_cli
    from .compress import register_compression
    from .errors import register_error_handlers
    from .operations.request_log import register_request_log
    from .pwa.static_versions import register_static_versions
    from .pwa.styles import register_page_styles
    from .security.headers import register_security_headers

    from .domain import limits

    register_request_log(app)
    register_error_handlers(app)
    # The page hands the same limits to its scripts that the server checks.
    app.add_template_global(limits, "limits")
    register_page_styles(app)
    register_static_versions(app)
    register_security_headers(app)
    register_cli(app)
    register_compression(app)
