"""``flask notify due``: the day's reminders, run from cron or a systemd timer."""

from collections import Counter
from datetime import date

import click
from flask.cli import AppGroup

from .. import clock
from ..extensions import db
from ..sqlite import writer
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
    with writer():
        # A session left over from an earlier read would hold a BEGIN without the lock.
        db.session.remove()
        written = remind_due(today)
        db.session.commit()
    total = sum(written.values())
    details = ", ".join(f"{event} {count}" for event, count in sorted(written.items()))
    click.echo(f"{today.isoformat()}: {total} new reminders" + (f" ({details})" if details else ""))


@notify.command("vapid-keys")
def vapid_keys():
    """Print a new VAPID key pair for Web Push, as the environment takes them."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid02, b64urlencode

    vapid = Vapid02()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    click.echo(f"VAPID_PUBLIC_KEY={b64urlencode(public)}")
    click.echo(f"VAPID_PRIVATE_KEY={b64urlencode(private)}")


@notify.command("send")
def notify_send():
    """Send the notices owed by e-mail and LINE; each goes out once per channel."""
    from flask import current_app

    from ..deliveries.channels import channels_from_config
    from ..deliveries.services import deliver_pending

    channels = channels_from_config(current_app.config)
    with writer():
        db.session.remove()
        done = deliver_pending(channels)
    by_state = Counter()
    for (_channel, state), count in done.items():
        by_state[state] += count
    click.echo("channels: " + (", ".join(sorted(channels)) or "none configured") + "; "
               + ", ".join(f"{state} {by_state[state]}" for state in ("sent", "failed",
                                                                        "gave_up")))
