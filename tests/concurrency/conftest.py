"""The gunicorn server every race test sends its requests to."""

import pytest

from korch_pwa.extensions import db

from .server import Gunicorn


@pytest.fixture
def server(app, world, database_url):
    """gunicorn -w 4 over the database holding ``world``."""
    with app.app_context():
        db.engine.dispose()  # no connection of ours holds a lock while it starts
    running = Gunicorn(database_url, workers=4)
    yield running
    running.stop()
