"""``flask notify due``: the day's reminders, run from cron or a systemd timer."""

from datetime import date

import click
from flask.cli import AppGroup

from .. import clock
from ..extensions import db
from .reminders import remind_due

notify = AppGroup("notify", help="Notices: reminders of due dates.")


@notify.command("due")
@click.option("--date", "on", metavar="YYYY-MM-DD",
              help="The Bangkok date to remind for (default: today).")
def notify_due(on):
    """Write the reminders owed today; running it again the same day writes nothing."""
    try:
        today = date.fromisoformat(on) if on else clock.today()
    except ValueError:
        raise click.BadParameter("a date as YYYY-MM-DD", param_hint="--date") from None
    written = remind_due(today)
    db.session.commit()
    total = sum(written.values())
    details = ", ".join(f"{event} {count}" for event, count in sorted(written.items()))
    click.echo(f"{today.isoformat()}: {total} new reminders" + (f" ({details})" if details else ""))
