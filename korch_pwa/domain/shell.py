"""The app shell a service worker precaches, and its version."""

import hashlib

# Paths under static/ that every page needs; the worker stores them on install.
# No stylesheet (pages carry their styles) and no web font (phones use their own).
SHELL_STATIC = (
    "js/lib/idb.js",
    "js/outbox.js",
    "js/drafts.js",
    "js/app.js",
    # Not loaded by pages until someone attaches a file; kept so that it works offline.
    "js/evidence.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/maskable-512.png",
)


def shell_version(contents):
    """Return a short version from the bytes of the shell files, in order.

    Any change to any file (or to the list) gives a new version, so a deploy
    makes browsers install the new worker and drop the old caches.
    """
    digest = hashlib.sha256()
    for name, data in contents:
        digest.update(name.encode())
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:12]
