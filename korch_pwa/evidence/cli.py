"""``flask evidence``: move files between stores and check them."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .content import is_sha256, sha256_hex
from .storage import current_store, store_for

evidence = AppGroup("evidence", help="Evidence files (photos and PDFs) and their store.")


def _checked(key, data):
    """Return True when ``data`` is what ``key`` promises (a file's bytes match its hash)."""
    return data is not None and (not is_sha256(key) or sha256_hex(data) == key)


@evidence.command("move")
@click.option("--to", "target_uri", required=True,
              help="Where to: database, file:///absolute/directory or s3://bucket/prefix.")
@click.option("--keep/--delete", default=False,
              help="Keep the files in the current store too (default: delete each "
                   "once its copy is checked).")
def move(target_uri, keep):
    """Copy every file from EVIDENCE_STORE to another store, checking each copy.

    Then set EVIDENCE_STORE to the new store and restart. Safe to run again
    after an interruption: files already copied are checked and skipped.
    """
    source, target = current_store(), store_for(target_uri)
    if source.uri == target.uri:
        raise click.UsageError(f"EVIDENCE_STORE is already {target_uri}")
    moved = 0
    for key in source.keys():
        data = source.get(key)
        if not _checked(key, data):
            raise click.ClickException(f"{key}: the stored bytes do not match; nothing "
                                       "more is moved")
        target.put(key, data)
        db.session.commit()  # the database store writes in the session's transaction
        if not _checked(key, target.get(key)):
            raise click.ClickException(f"{key}: the copy does not match; the original "
                                       "is kept")
        if not keep:
            source.delete(key)
            db.session.commit()
        moved += 1
    click.echo(f"moved {moved} objects from {source.uri} to {target.uri}"
               f"{' (kept in both)' if keep else ''}; now set EVIDENCE_STORE={target.uri}")


@evidence.command("verify")
def verify():
    """Check that every file named in the database is in the store, bytes intact."""
    from .models import EvidenceFile

    store = current_store()
    bad = 0
    for sha256, has_thumbnail in db.session.execute(
            db.select(EvidenceFile.sha256, EvidenceFile.has_thumbnail)):
        if not _checked(sha256, store.get(sha256)):
            click.echo(f"missing or damaged: {sha256}")
            bad += 1
        if has_thumbnail and store.get(sha256 + ".thumb") is None:
            click.echo(f"thumbnail missing: {sha256}")
            bad += 1
    click.echo(f"{bad} problems in {current_app.config['EVIDENCE_STORE']}")
    if bad:
        raise SystemExit(1)
