"""Security headers on every response: CSP, nosniff, referrer, permissions, HSTS.

The policy allows scripts, styles and fonts from our own origin only: no
inline script, no inline handler, no inline style. A page that needs the
camera (the assessment form, for evidence photos) says so on its endpoint.
"""

from flask import request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
])
PERMISSIONS_NONE = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
PERMISSIONS_CAMERA = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
# Pages whose forms may take a photo with the phone's camera.
CAMERA_ENDPOINTS = frozenset({"assessment.form"})
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(endpoint, production):
    """Return the headers every response gets, for the endpoint that answered."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_CAMERA if endpoint in CAMERA_ENDPOINTS else PERMISSIONS_NONE,
        "X-Frame-Options": "DENY",
    }
    if production:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def register_security_headers(app):
    """Add the headers to every response, errors and static files included."""
    production = bool(app.config.get("SECURITY_HSTS"))

    @app.after_request
    def add_headers(response):
        for name, value in security_headers(request.endpoint, production).items():
            response.headers.setdefault(name, value)
        return response
