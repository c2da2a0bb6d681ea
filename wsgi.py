"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from korch_pwa import create_app

app = create_app()
