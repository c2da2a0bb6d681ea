"""Where evidence bytes live, behind one small interface.

``database`` (the default) keeps them in the ``evidence_objects`` table, so
one command still runs everything and every worker on every host reads the
same files. ``file:///srv/korch/evidence`` keeps them in a directory (a
mounted volume shared by the hosts) so that the database stays small.
``s3://bucket/prefix`` keeps them in an S3-compatible object store (AWS S3,
MinIO, Ceph, a cloud provider's), reached with the standard AWS settings
(``AWS_ENDPOINT_URL_S3``, ``AWS_ACCESS_KEY_ID``, ...), for hosts that share
no disk. Keys
are a file's SHA-256 (and ``<sha256>.thumb``), so a key's bytes never change
once written: writing one twice is harmless, and nothing is ever updated.
"""

import os
import re
import tempfile
import threading
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


_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")  # S3's rule for bucket names

_clients = {}  # (process id, endpoint) -> boto3 client, made on first use
_clients_lock = threading.Lock()


def _s3_client():
    """Return this process's S3 client: a pool of connections, never shared across a fork."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    key = (os.getpid(), endpoint)
    with _clients_lock:
        if key not in _clients:
            import boto3  # only hosts that use an object store pay for importing it
            from botocore.config import Config

            _clients[key] = boto3.client("s3", config=Config(
                retries={"max_attempts": 5, "mode": "standard"},
                connect_timeout=5, read_timeout=30))
        return _clients[key]


def _not_found(error):
    """Return True when a botocore ClientError says the object is not there."""
    return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")


class ObjectStore:
    """Objects in an S3-compatible bucket, under a prefix.

    Each key is written once and never changed, so S3's consistency is all
    that is needed: a reader either finds the whole object or none. A write
    is not part of the database transaction, as with a directory.
    """

    kind = "object store"  # the files are outside the database: backups copy them

    def __init__(self, bucket, prefix=""):
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.uri = f"s3://{bucket}/{self.prefix}"

    def _key(self, key):
        if "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"not an object key: {key!r}")
        return self.prefix + key

    def put(self, key, data):
        """Store ``data`` under ``key`` unless it is there already."""
        if not self.has(key):
            # boto3 sends a checksum of the body, so a damaged upload is refused.
            _s3_client().put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def get(self, key):
        """Return the bytes under ``key``, or None."""
        from botocore.exceptions import ClientError

        try:
            answer = _s3_client().get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _not_found(exc):
                return None
            raise
        return answer["Body"].read()

    def has(self, key):
        """Return True when ``key`` is stored."""
        from botocore.exceptions import ClientError

        try:
            _s3_client().head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _not_found(exc):
                return False
            raise
        return True

    def delete(self, key):
        """Remove ``key`` if it is stored (S3 answers the same either way)."""
        _s3_client().delete_object(Bucket=self.bucket, Key=self._key(key))

    def keys(self):
        """Return every stored key, sorted."""
        pages = _s3_client().get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        found = [item["Key"][len(self.prefix):]
                 for page in pages for item in page.get("Contents", ())]
        return sorted(k for k in found if k and "/" not in k and not k.startswith("."))


def store_for(uri):
    """Return the store a URI names: ``database``, ``file:///absolute/directory``
    or ``s3://bucket/prefix``."""
    uri = (uri or "database").strip()
    if uri == "database":
        return DatabaseStore()
    parsed = urlparse(uri)
    if parsed.scheme == "file" and parsed.path.startswith("/") and parsed.netloc in ("",
                                                                                   "localhost"):
        return DirectoryStore(unquote(parsed.path))
    if parsed.scheme == "s3" and _BUCKET.fullmatch(parsed.netloc) and not (parsed.query
                                                                          or parsed.fragment):
        return ObjectStore(parsed.netloc, unquote(parsed.path))
    raise ValueError("EVIDENCE_STORE must be 'database', file:///absolute/path or "
                     f"s3://bucket/prefix, not {uri!r}")


def current_store():
    """Return the store the app is configured with (EVIDENCE_STORE)."""
    from flask import current_app

    return store_for(current_app.config.get("EVIDENCE_STORE"))
