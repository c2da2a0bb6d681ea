"""Security headers on every response: CSP, nosniff, referrer, permissions, HSTS.

The policy allows scripts, styles and fonts from our own origin only: no
inline script, no inline handler, no inline style other than the page styles
that an HTML page carries in its head, each allowed by its hash. A page that
needs the camera (the assessment form, for evidence photos) says so on its
endpoint.
"""

from flask import current_app, request

POLICY = (
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
)
CONTENT_SECURITY_POLICY = "; ".join(POLICY)
PERMISSIONS_NONE = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
PERMISSIONS_CAMERA = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
# Pages whose forms may take a photo with the phone's camera.
CAMERA_ENDPOINTS = frozenset({"assessment.form"})
HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(style_sources=()):
    """Return the policy, with the hashes of the inline styles it allows."""
    if not style_sources:
        return CONTENT_SECURITY_POLICY
    styles = " ".join(("style-src 'self'", *style_sources))
    return "; ".join(styles if d == "style-src 'self'" else d for d in POLICY)


def security_headers(endpoint, production, style_sources=()):
    """Return the headers every response gets, for the endpoint that answered."""
    headers = {
        "Content-Security-Policy": content_security_policy(style_sources),
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
        styles = _page_style_sources(response)
        for name, value in security_headers(request.endpoint, production, styles).items():
            response.headers.setdefault(name, value)
        return response


def _page_style_sources(response):
    """Return the hashes of the page styles for an HTML page; none for anything else.

    Only pages carry the styles, so scripts, files and JSON keep the shorter policy.
    """
    sources = current_app.extensions.get("csp_style_sources")
    if sources is None or response.mimetype != "text/html":
        return ()
    return sources()
