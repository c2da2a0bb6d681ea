"""Backups that restore: one file holding a consistent snapshot of the database and the
evidence files, with a manifest of checksums.

A backup is an uncompressed tar (the dump and the photos are compressed
already) of:

- ``database.sqlite`` (SQLite's online backup API) or ``database.dump``
  (``pg_dump`` custom format);
- ``files/<key>``: the evidence files when they live in a directory store
  (with the database store they are inside the dump);
- ``manifest.json``: format, time, dialect, schema revision, every member's
  size and SHA-256, and every table's row count in the snapshot;
- ``manifest.sha256``: the SHA-256 of ``manifest.json``.

On PostgreSQL the dump, the row counts and the list of evidence files are
read in ONE snapshot (``pg_export_snapshot`` handed to ``pg_dump
--snapshot``), so they agree even while people keep syncing. Evidence files
never change once written (they are named by their hash), so copying those
the snapshot names after it was taken is consistent too.

Plain functions over URLs, paths and a store: the CLI (``flask backup``) and
the tests call them.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, inspect, make_url, text

FORMAT = 1
MANIFEST = "manifest.json"
CHECKSUM = "manifest.sha256"
SQLITE_MEMBER = "database.sqlite"
DUMP_MEMBER = "database.dump"
FILES = "files/"


class BackupError(Exception):
    """A backup that cannot be made, trusted or restored; the message says why."""


@dataclass
class Verdict:
    """What ``verify`` found: the manifest, and every problem (none: the backup is sound)."""

    manifest: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        """Return True when nothing is wrong."""
        return not self.problems


def _digest(path):
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def libpq_url(url):
    """Return a SQLAlchemy PostgreSQL URL as pg_dump and pg_restore read it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url):
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(path)


def _row_counts(connection, tables):
    return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
            for name in sorted(tables)}


def _revision(connection, tables):
    if "alembic_version" not in tables:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _evidence_keys(connection, tables):
    if "evidence_files" not in tables:
        return []
    keys = []
    for sha, thumb in connection.execute(text(
            "SELECT sha256, has_thumbnail FROM evidence_files ORDER BY sha256")):
        keys += [sha, sha + ".thumb"] if thumb else [sha]
    return keys


def _snapshot_sqlite(url, workdir):
    """Copy the database with SQLite's online backup API; return (path, facts)."""
    source = sqlite3.connect(_sqlite_path(url))
    target_path = workdir / SQLITE_MEMBER
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)  # a consistent copy while others keep writing
    finally:
        source.close()
        target.close()
    engine = create_engine(f"sqlite:///{target_path}")
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            facts = (_row_counts(connection, tables), _revision(connection, tables),
                     _evidence_keys(connection, tables))
    finally:
        engine.dispose()
    return target_path, facts


def _snapshot_postgresql(url, workdir):
    """pg_dump in the snapshot in which the counts and file list are read; return (path, facts)."""
    dump = workdir / DUMP_MEMBER
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar()
            tables = inspect(connection).get_table_names()
            facts = (_row_counts(connection, tables), _revision(connection, tables),
                     _evidence_keys(connection, tables))
            # The snapshot lives as long as this transaction: dump while it is open.
            done = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={dump}", libpq_url(url)],
                capture_output=True, text=True, check=False)
            connection.rollback()
    finally:
        engine.dispose()
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    return dump, facts


def create(url, store, out_path, now):
    """Write a backup of the database at ``url`` (and ``store``'s files) to ``out_path``.

    ``store`` is the evidence store (korch_pwa.evidence.storage); ``now`` an
    aware datetime. Returns the manifest.
    """
    dialect = make_url(url).get_backend_name()
    if dialect not in ("sqlite", "postgresql"):
        raise BackupError(f"cannot back up a {dialect} database")
    out_path = Path(out_path)
    with tempfile.TemporaryDirectory(dir=out_path.parent) as tmp:
        workdir = Path(tmp)
        snapshot = _snapshot_sqlite if dialect == "sqlite" else _snapshot_postgresql
        database, (counts, revision, keys) = snapshot(url, workdir)
        members = {database.name: database}
        separate = store.kind != "database"
        for key in keys if separate else ():
            data = store.get(key)
            if data is None:
                raise BackupError(f"evidence file {key} is missing from {store.uri}")
            path = workdir / "files" / key
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            members[FILES + key] = path
        manifest = {
            "format": FORMAT, "created_at": now.isoformat(), "dialect": dialect,
            "revision": revision, "evidence_store": store.kind,
            "tables": counts,
            "members": {name: {"size": path.stat().st_size, "sha256": _digest(path)}
                        for name, path in sorted(members.items())},
        }
        text_manifest = json.dumps(manifest, indent=1, sort_keys=True).encode()
        partial = out_path.with_name(out_path.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, text_manifest)
            _add_bytes(tar, CHECKSUM, hashlib.sha256(text_manifest).hexdigest().encode() + b"\n")
            for name, path in sorted(members.items()):
                tar.add(path, arcname=name)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, out_path)  # a backup file is whole, or is not there
    return manifest


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _read_manifest(tar, problems):
    try:
        raw = tar.extractfile(MANIFEST).read()
        expected = tar.extractfile(CHECKSUM).read().decode().strip()
    except (KeyError, AttributeError):
        problems.append("no manifest: not a korch-pwa backup")
        return {}
    if hashlib.sha256(raw).hexdigest() != expected:
        problems.append("manifest.json does not match manifest.sha256")
        return {}
    manifest = json.loads(raw)
    if manifest.get("format") != FORMAT:
        problems.append(f"backup format {manifest.get('format')} is not {FORMAT}")
    return manifest


def _check_members(tar, manifest, workdir, problems):
    """Extract every member into ``workdir``, checking its size and SHA-256."""
    listed = manifest.get("members", {})
    present = {m.name for m in tar.getmembers() if m.isfile()} - {MANIFEST, CHECKSUM}
    for name in sorted(present - set(listed)):
        problems.append(f"{name}: not in the manifest")
    for name, expected in sorted(listed.items()):
        if name not in present:
            problems.append(f"{name}: missing")
            continue
        target = workdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(name) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        if target.stat().st_size != expected["size"] or _digest(target) != expected["sha256"]:
            problems.append(f"{name}: checksum does not match")


def _check_sqlite(path, manifest, problems):
    connection = sqlite3.connect(path)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            problems.append(f"{SQLITE_MEMBER}: integrity check says {verdict}")
            return
        for table, count in manifest.get("tables", {}).items():
            found = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if found != count:
                problems.append(f"{table}: {found} rows, the manifest says {count}")
    finally:
        connection.close()


def _check_dump(path, problems):
    listing = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True,
                             text=True, check=False)
    if listing.returncode != 0:
        problems.append(f"{DUMP_MEMBER}: pg_restore cannot read it ({listing.stderr.strip()[:200]})")


def _verified(path, workdir):
    problems = []
    try:
        tar = tarfile.open(path, "r")
    except (OSError, tarfile.TarError) as exc:
        return Verdict(problems=[f"cannot read {path}: {exc}"])
    with tar:
        manifest = _read_manifest(tar, problems)
        if problems:
            return Verdict(manifest, problems)
        _check_members(tar, manifest, workdir, problems)
    if not problems:
        if manifest["dialect"] == "sqlite":
            _check_sqlite(workdir / SQLITE_MEMBER, manifest, problems)
        else:
            _check_dump(workdir / DUMP_MEMBER, problems)
    return Verdict(manifest, problems)


def verify(path):
    """Return a Verdict on a backup file: manifest, checksums, and the database inside."""
    with tempfile.TemporaryDirectory() as tmp:
        return _verified(path, Path(tmp))


def _is_empty(url):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return not inspect(connection).get_table_names()
    finally:
        engine.dispose()


def restore(path, url, store):
    """Restore a verified backup into the EMPTY database at ``url`` and into ``store``.

    Refuses a backup with any problem, a database that has tables, and a
    database of another kind than the backup's. Returns the manifest.
    """
    dialect = make_url(url).get_backend_name()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        verdict = _verified(path, workdir)
        if not verdict.ok:
            raise BackupError("the backup is damaged: " + "; ".join(verdict.problems[:5]))
        manifest = verdict.manifest
        if manifest["dialect"] != dialect:
            raise BackupError(f"a {manifest['dialect']} backup cannot go into {dialect}")
        if dialect == "sqlite":
            target = _sqlite_path(url)
            if target.exists() and not _is_empty(url):
                raise BackupError(f"{target} is not empty: restore into a new database")
            partial = target.with_name(target.name + ".restoring")
            shutil.copyfile(workdir / SQLITE_MEMBER, partial)
            os.replace(partial, target)
        else:
            if not _is_empty(url):
                raise BackupError("the database is not empty: restore into a new database")
            done = subprocess.run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", f"--dbname={libpq_url(url)}",
                 str(workdir / DUMP_MEMBER)], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
        for name in manifest["members"]:
            if name.startswith(FILES):
                store.put(name[len(FILES):], (workdir / name).read_bytes())
    return manifest
