"""Static files named with their content's hash, so browsers and proxies keep them a year.

Every ``url_for("static", ...)`` gets ``?v=<hash of the file>``. A request
carrying the file's current hash is answered with a year-long, immutable
cache; any other (no hash, an old one) with ``no-cache``, so that a page of
the previous deploy still gets a file it can use, revalidated. The service
worker's shell list stays without hashes: its copies are matched by path.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app, request

YEAR = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def _hash(path, mtime_ns, size):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def static_version(filename):
    """Return the short hash of a file under static/ as it is now, or None if missing."""
    folder = Path(current_app.static_folder).resolve()
    path = (folder / filename).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    stat = path.stat()
    return _hash(str(path), stat.st_mtime_ns, stat.st_size)


def register_static_versions(app):
    """Version every static URL the app builds, and cache the current versions long."""

    @app.url_defaults
    def add_version(endpoint, values):
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = static_version(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_versioned(response):
        if request.endpoint == "static" and response.status_code in (200, 304):
            wanted = request.args.get("v")
            filename = (request.view_args or {}).get("filename", "")
            if wanted and wanted == static_version(filename):
                response.headers["Cache-Control"] = YEAR
        return response
