"""Language choice and the template filters for Thai dates and digits."""

from datetime import date

from flask import session
from flask_babel import get_locale, gettext
from flask_login import current_user

from .domain import thai_dates
from .domain.deadlines import bangkok_time


def select_locale():
    """Pick Thai unless the person chose English.

    The browser's language is not asked: many phones in Thailand are set to
    English while their owners read Thai, and the product is Thai first.
    """
    if getattr(current_user, "is_authenticated", False):
        return current_user.locale
    chosen = session.get("lang")
    return chosen if chosen in ("th", "en") else "th"


def current_locale():
    """Return 'th' or 'en'."""
    return str(get_locale() or "th")


def be_date(value, style="long"):
    """Template filter: a date with a Buddhist-era year (an ISO string from stored JSON too)."""
    if isinstance(value, str):
        value = date.fromisoformat(value) if value else None
    return thai_dates.format_date(value, current_locale(), style)


def be_datetime(moment):
    """Template filter: a stored UTC moment as Bangkok's date (B.E.) and time."""
    if moment is None:
        return ""
    return thai_dates.format_datetime(bangkok_time(moment), current_locale())


def render_message(message):
    """Translate a domain Message, writing its dates the reader's way."""
    values = {key: be_date(value) if isinstance(value, date) else value
              for key, value in message.values.items()}
    return gettext(message.template, **values)


def register_i18n(app):
    """Add the filters and globals the templates use."""
    app.add_template_filter(be_date, "be_date")
    app.add_template_filter(be_datetime, "be_datetime")
    app.add_template_filter(thai_dates.thai_digits, "thai_digits")
    app.add_template_global(current_locale, "current_locale")
