"""The OpenAPI description, built by apispec from the views' docstrings."""

import re
from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.yaml_utils import load_operations_from_docstring
from flask import current_app

from . import schemas


def openapi_path(rule):
    """Return a Flask rule as an OpenAPI path: ``/a/<int:b>`` -> ``/a/{b}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def build_spec():
    """Return an APISpec with the schemas and every API path."""
    spec = APISpec(title="korch-pwa sync API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Offline clients send their outbox here. Every "
                                        "operation needs the session cookie that "
                                        "POST /login sets."},
                   security=[{"session": []}])
    spec.components.security_scheme("session", {
        "type": "apiKey", "in": "cookie", "name": current_app.config["SESSION_COOKIE_NAME"],
        "description": "The signed session cookie of a logged-in person"})
    # Parts every operation shares, written once and referred to by name.
    spec.components.header("NoStore", {"description": "Always no-store", "required": True,
                                       "schema": {"type": "string", "enum": ["no-store"]}})
    error = {"application/json": {"schema": "ErrorSchema"}}
    spec.components.response("NotLoggedIn", {
        "description": "Not logged in (no session, or one that has ended)", "content": error})
    spec.components.response("ServerFailed", {
        "description": "The server failed (e.g. its database); send the request again later",
        "content": error})
    for name, schema in schemas.ITEM_COMPONENTS.items():
        spec.components.schema(name, schema=schema)
    for rule in current_app.url_map.iter_rules():
        view = current_app.view_functions[rule.endpoint]
        if rule.rule.startswith("/api/") and "---" in (view.__doc__ or ""):
            spec.path(path=openapi_path(rule.rule),
                      operations=load_operations_from_docstring(view.__doc__))
    return spec


@lru_cache(maxsize=1)
def _cached():
    """Build the description once per process; it never changes at run time."""
    return build_spec().to_dict()


def spec_dict():
    """Return the OpenAPI description as a dict."""
    return _cached()
