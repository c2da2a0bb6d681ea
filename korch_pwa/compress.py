"""Compress text responses for phones on slow links (gzip, or Brotli when asked).

A small after_request hook rather than a proxy setting, so that the laptop
demo and gunicorn without a proxy send the same bytes as production.
"""

import gzip
from functools import lru_cache

from flask import request

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


@lru_cache(maxsize=64)
def _compressed_static(path, etag, encoding, data):
    """Compress a static file once per version (keyed by its ETag)."""
    return compress(data, encoding)


def compress_response(response):
    """Compress a text response when the client accepts it."""
    accept = request.headers.get("Accept-Encoding", "").lower()
    encoding = _encoding(accept)
    mimetype = response.mimetype or ""
    if (encoding is None or response.status_code < 200 or response.status_code in (204, 304)
            or "Content-Encoding" in response.headers or request.method == "HEAD"
            or not mimetype.startswith(TEXT_TYPES)):
        return response
    static = response.direct_passthrough
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
