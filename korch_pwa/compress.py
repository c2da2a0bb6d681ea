"""Fewer bytes to phones on slow links: minified scripts and styles, gzip or Brotli.

A small after_request hook rather than a proxy setting or a build step, so
that the laptop demo and gunicorn without a proxy send the same bytes as
production, and the files in static/ stay the readable, commented source.
"""

import gzip
from functools import lru_cache

from flask import current_app, request

MIN_SIZE = 512
MAX_SIZE = 2 * 1024 * 1024
TEXT_TYPES = ("text/", "application/json", "application/javascript",
              "application/manifest+json", "image/svg+xml")


def _encoding(accept):
    """Return the best encoding the client accepts that we produce, or None."""
    if "br" in accept:
        return "br"
    if "gzip" in accept:
        return "gzip"
    return None


def compress(data, encoding):
    """Return ``data`` compressed with ``encoding``."""
    if encoding == "br":
        import brotli

        return brotli.compress(data, quality=5)
    return gzip.compress(data, compresslevel=6, mtime=0)


MINIFIERS = {"application/javascript": "js", "text/javascript": "js", "text/css": "css"}


@lru_cache(maxsize=64)
def _minified_static(path, etag, kind, data):
    """Minify a static script or stylesheet once per version (keyed by its ETag)."""
    if kind == "js":
        import rjsmin

        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8")
    import rcssmin

    return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")


def minify_static(response):
    """Send a static script or stylesheet without its comments and indentation.

    Comments in static/js say why the code is as it is; a phone need not pay
    for them (about a third of the scripts' compressed size).
    """
    kind = MINIFIERS.get(response.mimetype or "")
    if (kind is None or not response.direct_passthrough or response.status_code != 200
            or request.method == "HEAD"):
        return response
    etag, _weak = response.get_etag()
    if not etag:
        return response
    response.direct_passthrough = False
    response.set_data(_minified_static(request.path, etag, kind, response.get_data()))
    # Other bytes than the file's: still the same version, so the validator stays (weakly).
    response.set_etag(etag, weak=True)
    return response


@lru_cache(maxsize=64)
def _compressed_static(path, etag, encoding, data):
    """Compress a static file once per version (keyed by its ETag)."""
    return compress(data, encoding)


def compress_response(response):
    """Minify a static script or stylesheet, then compress when the client accepts it."""
    static = response.direct_passthrough  # a file from static/, before minifying reads it
    if current_app.config.get("MINIFY_STATIC", True):
        response = minify_static(response)
    accept = request.headers.get("Accept-Encoding", "").lower()
    encoding = _encoding(accept)
    mimetype = response.mimetype or ""
    if (encoding is None or response.status_code < 200 or response.status_code in (204, 304)
            or "Content-Encoding" in response.headers or request.method == "HEAD"
            or not mimetype.startswith(TEXT_TYPES)):
        return response
    if (response.is_streamed and not static) or (response.content_length or 0) > MAX_SIZE:
        # A generator meant to stream, or a big export: send it as it is.
        return response
    response.direct_passthrough = False
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    etag, weak = response.get_etag()
    if static and etag:
        body = _compressed_static(request.path, etag, encoding, data)
    else:
        body = compress(data, encoding)
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    if etag:
        # Another representation of the same resource: a weak validator still
        # lets the browser revalidate (If-None-Match compares weakly).
        response.set_etag(etag, weak=True)
    return response


def register_compression(app):
    """Compress every eligible response of the app."""
    app.after_request(compress_response)
