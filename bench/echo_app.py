"""A bare WSGI JSON echo: the baseline the sync endpoint is compared with."""

import json


def app(environ, start_response):
    """Parse the JSON body and send it back."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = json.loads(environ["wsgi.input"].read(size) or b"{}")
    data = json.dumps({"results": body.get("items", [])}).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(data)))])
    return [data]


def flask_echo():
    """Return a minimal Flask app with the same echo: the framework's own cost."""
    from flask import Flask, jsonify, request

    flask_app = Flask(__name__)

    @flask_app.post("/api/v1/sync")
    def echo():
        """Send the items back."""
        return jsonify(results=(request.get_json() or {}).get("items", []))

    return flask_app


flask_app = flask_echo()
