"""Where evidence bytes live, behind one small interface.

``database`` (the default) keeps them in the ``evidence_objects`` table, so
one command still runs everything and every worker on every host reads the
same files. ``file:///srv/korch/evidence`` keeps them in a directory (a
mounted volume shared by the hosts) so that the database stays small. Keys
are a file's SHA-256 (and ``<sha256>.thumb``), so a key's bytes never change
once written: writing one twice is harmless, and nothing is ever updated.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from sqlalchemy import select

from ..extensions import db
from ..inserts import insert_ignore
from .models import EvidenceObject

OBJECTS = EvidenceObject.__table__


class DatabaseStore:
    """Objects in the app's own database, written in the caller's transaction."""

    uri = "database"
    kind = "database"  # the files are inside the database (and so inside its backups)

    def put(self, key, data):
        """Store ``data`` under ``key`` unless it is there already."""
        insert_ignore(db.session.connection(), OBJECTS, {"key": key, "data": data})

    def get(self, key):
        """Return the bytes under ``key``, or None."""
        return db.session.connection().execute(
            select(OBJECTS.c.data).where(OBJECTS.c.key == key)).scalar()

    def has(self, key):
        """Return True when ``key`` is stored."""
        return db.session.connection().execute(
            select(OBJECTS.c.key).where(OBJECTS.c.key == key)).first() is not None

    def delete(self, key):
        """Remove ``key`` if it is stored."""
        db.session.connection().execute(OBJECTS.delete().where(OBJECTS.c.key == key))

    def keys(self):
        """Return every stored key, sorted."""
        return list(db.session.connection().execute(
            select(OBJECTS.c.key).order_by(OBJECTS.c.key)).scalars())


class DirectoryStore:
    """Objects as files under ``root``, fanned out by the first characters of the key.

    A file is written to a temporary name, flushed to disk and renamed, so a
    reader never sees half a file and a crash leaves none. The write is not
    part of the database transaction: a transaction that rolls back leaves
    an unreferenced file, which the next upload of the same bytes reuses.
    """

    kind = "directory"  # the files are outside the database: backups copy them

    def __init__(self, root):
        self.root = Path(root)
        self.uri = self.root.as_uri()

    def _path(self, key):
        if "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"not an object key: {key!r}")
        return self.root / key[:2] / key[2:4] / key

    def put(self, key, data):
        """Store ``data`` under ``key`` unless it is there already."""
        path = self._path(key)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key):
        """Return the bytes under ``key``, or None."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def has(self, key):
        """Return True when ``key`` is stored."""
        return self._path(key).is_file()

    def delete(self, key):
        """Remove ``key`` if it is stored."""
        self._path(key).unlink(missing_ok=True)

    def keys(self):
        """Return every stored key, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.glob("*/*/*")
                      if p.is_file() and not p.name.startswith("."))


def store_for(uri):
    """Return the store a URI names: ``database`` or ``file:///absolute/directory``."""
    uri = (uri or "database").strip()
    if uri == "database":
        return DatabaseStore()
    parsed = urlparse(uri)
    if parsed.scheme == "file" and parsed.path.startswith("/") and parsed.netloc in ("",
                                                                                   "localhost"):
        return DirectoryStore(unquote(parsed.path))
    raise ValueError(f"EVIDENCE_STORE must be 'database' or file:///absolute/path, not {uri!r}")


def current_store():
    """Return the store the app is configured with (EVIDENCE_STORE)."""
    from flask import current_app

    return store_for(current_app.config.get("EVIDENCE_STORE"))
