"""The stylesheets, written into each page's head instead of linked.

A linked stylesheet blocks the first paint of a page until one more round
trip on a weak signal has brought it; the styles are small (about 1.5 KB
compressed with the page), so the page carries them. The policy allows no
inline style but these: each one is allowed by its SHA-256, worked out once
per version of its file, so a page cached by the service worker stays valid
with the headers it was stored with.
"""

import base64
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app
from markupsafe import Markup

# name -> file under static/; office.css only on officers' pages.
PAGE_STYLES = {"app": "css/app.css", "office": "css/office.css"}


@lru_cache(maxsize=16)
def _minified(path, mtime_ns, size):
    """Return (the minified styles, their CSP source) for one version of a file."""
    import rcssmin

    text = rcssmin.cssmin(Path(path).read_text(encoding="utf-8"))
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return text, f"'sha256-{digest}'"


def _style(name):
    """Return (styles, CSP source) of one of PAGE_STYLES as the file now is."""
    path = Path(current_app.static_folder) / PAGE_STYLES[name]
    stat = path.stat()
    return _minified(str(path), stat.st_mtime_ns, stat.st_size)


def page_style(name):
    """Return the text of a <style> element; the template writes the element itself."""
    return Markup(_style(name)[0])


def style_sources():
    """Return the CSP sources that allow every page style."""
    return tuple(_style(name)[1] for name in PAGE_STYLES)


def register_page_styles(app):
    """Let templates write the styles, and the CSP of pages allow them."""
    app.add_template_global(page_style, "page_style")
    app.extensions["csp_style_sources"] = style_sources
