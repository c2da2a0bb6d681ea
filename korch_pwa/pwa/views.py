"""Serve the service worker from the root, the manifest and the offline page."""

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import gettext as _

from ..domain.limits import EVIDENCE_CHUNK_MAX
from ..domain.shell import SHELL_STATIC, shell_version
from .styles import PAGE_STYLES

bp = Blueprint("pwa", __name__)

NO_CACHE = "no-cache, no-store, must-revalidate"


def _static_path(name):
    """Return the path of a file under static/."""
    return Path(current_app.static_folder) / name


def _worker_source():
    """Return the worker's JavaScript with its version and shell list filled in."""
    source = _static_path("js/sw.js").read_bytes()
    # The styles are in every page, the offline page too: a new style is a new worker,
    # which stores that page again.
    names = SHELL_STATIC + tuple(PAGE_STYLES.values())
    files = [(name, _static_path(name).read_bytes()) for name in names]
    version = shell_version(files + [("js/sw.js", source)])
    # By path, without the content hash pages add: the worker matches its copies by path.
    shell = [f"{current_app.static_url_path}/{name}" for name in SHELL_STATIC]
    shell += [url_for(".offline"), url_for(".manifest")]
    return (source.decode()
            .replace("__VERSION__", version)
            .replace("__SHELL__", json.dumps(shell))
            .replace("__OFFLINE__", url_for(".offline"))
            .replace("__CHUNK__", str(EVIDENCE_CHUNK_MAX)))


@bp.route("/sw.js")
def service_worker():
    """Serve the worker from the root so that its scope is the whole site."""
    response = Response(_worker_source(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = NO_CACHE
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    """Describe the app for "add to home screen"."""
    icons = [
        {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192",
         "type": "image/png"},
        {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512",
         "type": "image/png"},
        {"src": url_for("static", filename="icons/maskable-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "maskable"},
    ]
    body = {"name": _("ระบบประเมิน ศอช.ต."), "short_name": _("ศอช.ต."),
            "description": _("ประเมินการจัดระดับการพัฒนา ศอช.ต. ใช้ได้แม้ไม่มีสัญญาณ"),
            "lang": "th", "start_url": url_for("org.home"), "scope": "/",
            "display": "standalone", "background_color": "#f6f7f4",
            "theme_color": "#14532d", "icons": icons}
    response = Response(json.dumps(body, ensure_ascii=False),
                        mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline():
    """The page shown for a page that was never opened while online.

    It shows nobody's data, so the worker may cache it for everyone.
    """
    return render_template("pwa/offline.html")
