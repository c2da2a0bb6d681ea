"""Today's date in Thailand, in one place so that tests can pin it."""

from datetime import datetime, timedelta, timezone

from flask import current_app

BANGKOK = timezone(timedelta(hours=7))


def today():
    """Return today's date in Bangkok, or the date set as TODAY in config."""
    pinned = current_app.config.get("TODAY")
    return pinned or datetime.now(BANGKOK).date()
