"""Configuration from the environment."""

import importlib

import pytest

import config
from korch_pwa import create_app


def test_database_url_normalised_for_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:5432/db")
    assert config._database_url() == "postgresql+psycopg://u@h:5432/db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert config._database_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("DATABASE_URL")
    assert config._database_url().startswith("sqlite:///")


def test_production_refuses_the_dev_secret(monkeypatch):
    monkeypatch.setenv("KORCH_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    importlib.reload(config)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "real"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("KORCH_ENV", "testing")
    importlib.reload(config)


def test_production_refuses_per_process_login_counters(monkeypatch):
    """memory:// counts per worker: four workers would allow four times the guesses."""
    monkeypatch.setenv("KORCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "real")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    importlib.reload(config)
    try:
        with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
            create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
        importlib.reload(config)
        assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config[
            "RATELIMIT_STORAGE_URI"].startswith("redis://")
    finally:
        monkeypatch.setenv("KORCH_ENV", "testing")
        monkeypatch.delenv("RATELIMIT_STORAGE_URI")
        monkeypatch.delenv("SECRET_KEY")
        importlib.reload(config)
