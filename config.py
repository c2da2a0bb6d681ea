"""Configuration read from the environment, with a SQLite default for laptops."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _flag(name, default):
    """Return a yes/no setting from the environment ("0", "false", "no" are no)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def sqlalchemy_url(url):
    """Return ``url`` for SQLAlchemy, a plain postgres URL made one for psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _database_url():
    """Return the database URL from the environment, or the laptop's SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return "sqlite:///" + str(BASE_DIR / "instance" / "korch.sqlite")
    return sqlalchemy_url(url)


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # Seconds a pooled connection may sit idle and still be used without a
    # ping first (korch_pwa/pool.py: not pool_pre_ping, which pings every time).
    DATABASE_PING_AFTER_IDLE = float(os.environ.get("DATABASE_PING_AFTER_IDLE") or 10)
    BABEL_DEFAULT_LOCALE = "th"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    LANGUAGES = ("th", "en")
    # Login throttling (korch_pwa/security/login_throttle.py). Its counters
    # must be shared by every worker on every host: empty counts them in the
    # database, production points this at Redis (redis://host:6379/0).
    RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
    # None: the defaults in login_throttle.DEFAULT_POLICY.
    LOGIN_LIMITS = None
    # How many reverse proxies append to X-Forwarded-For in front of the app;
    # 0 (the default) ignores the header, which a client can write itself.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT") or 0)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    # The session lasts its 12 hours from login, and is not signed and sent
    # again with every response: a phone saves about 300 bytes a file (the
    # scripts, the font, each sync) and the server a signature.
    SESSION_REFRESH_EACH_REQUEST = False
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None
    # Officers in the field stay logged in for a working day; committee phones
    # are shared, so the session is not remembered beyond that.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))
    # Where evidence photos and PDFs are kept: "database" (one command runs
    # everything), file:///absolute/directory (a volume every host mounts) or
    # s3://bucket/prefix (an S3-compatible object store; AWS_* settings reach it).
    EVIDENCE_STORE = os.environ.get("EVIDENCE_STORE", "database")
    # One JSON object per log line (production), with the request's id.
    LOG_JSON = _flag("LOG_JSON", False)
    # /metrics (Prometheus) answers only with "Authorization: Bearer <this>";
    # empty: /metrics is a 404.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    # Where ``flask backup create`` writes (a disk other than the database's, in production).
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(BASE_DIR / "instance" / "backups"))
    # Strict-Transport-Security only where the app is served over HTTPS.
    SECURITY_HSTS = False
    # Where links in e-mail and LINE messages point (https://korch.example.go.th).
    APP_URL = os.environ.get("APP_URL", "")
    # E-mail through SMTP for those who give an address (korch_pwa/deliveries);
    # empty MAIL_SERVER: no e-mail.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT") or 587)
    MAIL_STARTTLS = _flag("MAIL_STARTTLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "")
    # LINE Messaging API (an official account's channel): empty token, no LINE.
    LINE_CHANNEL_TOKEN = os.environ.get("LINE_CHANNEL_TOKEN", "")
    LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "")
    LINE_ACCOUNT_NAME = os.environ.get("LINE_ACCOUNT_NAME", "")
    LINE_PUSH_URL = os.environ.get("LINE_PUSH_URL", "https://api.line.me/v2/bot/message/push")
    # Web Push (VAPID, RFC 8292): `flask notify vapid-keys` makes a pair.
    # Empty private key: no Web Push.
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "")
    # A pause in typing after which the phone queues the form's draft for
    # sending by itself (a submit is only ever sent on a tap); 0 turns it off.
    AUTO_QUEUE_MS = 4000


class DevelopmentConfig(Config):
    """Laptop demo: SQLite unless DATABASE_URL says otherwise."""

    DEBUG = False


class TestingConfig(Config):
    """Settings for pytest; the database URL is set by the fixtures."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    # The browser tests time their taps; the test of the pause turns it on.
    AUTO_QUEUE_MS = 0
    # Tests log in many times a minute; the throttle's own tests turn it on.
    RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", False)
    SECRET_KEY = "test"
    # scrypt's cost is the point in production and only slows the suite here.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    """Gunicorn behind a proxy on PostgreSQL."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SECURITY_HSTS = True
    LOG_JSON = _flag("LOG_JSON", True)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
