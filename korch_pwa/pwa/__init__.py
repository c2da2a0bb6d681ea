"""The installable app: service worker, manifest and offline page."""
