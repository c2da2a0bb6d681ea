"""``flask backup``: create, verify and restore backups (see operations/backup.py)."""

from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..evidence.storage import current_store
from ..extensions import db
from . import backup as backups
from .retention import to_keep

backup = AppGroup("backup", help="Backups of the database and the evidence files.")
STAMP = "%Y%m%d-%H%M%S"  # in the file name, UTC: korch-20261126-020000.tar


@backup.command("create")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Directory to write to (default: BACKUP_DIR).")
def create(out_dir):
    """Write a consistent backup file; print its path and what it holds."""
    now = datetime.now(timezone.utc)
    folder = Path(out_dir or current_app.config["BACKUP_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"korch-{now:{STAMP}}.tar"
    try:
        manifest = backups.create(db.engine.url.render_as_string(hide_password=False),
                                  current_store(), path, now)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(manifest["tables"].values())
    files = sum(1 for m in manifest["members"] if m.startswith(backups.FILES))
    click.echo(f"{path}: {len(manifest['tables'])} tables, {rows} rows, {files} evidence "
               f"files outside the database, schema {manifest['revision']}")


@backup.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def verify(path):
    """Check a backup file: its manifest, every checksum and the database inside."""
    verdict = backups.verify(path)
    for problem in verdict.problems:
        click.echo(f"problem: {problem}")
    if not verdict.ok:
        raise SystemExit(1)
    manifest = verdict.manifest
    click.echo(f"{path}: sound; {manifest['dialect']} taken {manifest['created_at']}, "
               f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables")


@backup.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def restore(path):
    """Restore a backup into this app's database, which must be empty."""
    db.engine.dispose()  # the restore opens its own connections
    store = current_store()
    try:
        manifest = backups.restore(path, db.engine.url.render_as_string(hide_password=False),
                                   store)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()  # the files put into a database store
    click.echo(f"restored {sum(manifest['tables'].values())} rows of "
               f"{len(manifest['tables'])} tables taken {manifest['created_at']}")
    if manifest["evidence_store"] != store.kind:
        click.echo(f"note: the evidence files were kept in the {manifest['evidence_store']} "
                   f"store; run flask evidence move, or set EVIDENCE_STORE to match")


def _stamped(folder):
    """Return {time taken: path} of the backup files in ``folder``, by their names."""
    found = {}
    for path in Path(folder).glob("korch-*.tar"):
        try:
            stamp = datetime.strptime(path.stem[len("korch-"):], STAMP)
        except ValueError:
            continue  # not one of ours: never deleted
        found[stamp] = path
    return found


@backup.command("prune")
@click.option("--dir", "folder", type=click.Path(file_okay=False),
              help="Directory of backups (default: BACKUP_DIR).")
@click.option("--daily", default=14, show_default=True, help="Days to keep the newest of.")
@click.option("--weekly", default=8, show_default=True, help="Weeks to keep the newest of.")
@click.option("--monthly", default=12, show_default=True, help="Months to keep the newest of.")
def prune(folder, daily, weekly, monthly):
    """Delete the backups the rotation does not keep (newest per day, week, month)."""
    found = _stamped(folder or current_app.config["BACKUP_DIR"])
    kept = to_keep(found, daily, weekly, monthly)
    for stamp in sorted(set(found) - kept):
        found[stamp].unlink()
        click.echo(f"deleted {found[stamp].name}")
    click.echo(f"kept {len(kept)} backups")
