"""Real or faithful stand-ins for the services notices go out through, run by the tests.

- ``SmtpServer``: a real SMTP server (aiosmtpd) on a free port, keeping what it receives.
- ``PushService``: a local Web Push service that verifies VAPID and decrypts
  the payload with the subscribing browser's own key (see its docstring).
- ``LineApi``: a local fake of LINE's Messaging API push endpoint. It checks what
  LINE checks (the bearer token, JSON with ``to`` and 1-5 text messages of at most
  5,000 characters, a UUID-shaped ``X-Line-Retry-Key`` answered 409 when seen
  again) and keeps each accepted push.
"""

import json
import threading
import uuid
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from tests.concurrency.server import free_port


class _Keep:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "from": envelope.mail_from,
                                  "subject": str(message["Subject"]),
                                  "message_id": str(message["Message-ID"]),
                                  "body": message.get_content()})
        return "250 OK"


class SmtpServer:
    """An SMTP server on 127.0.0.1; ``messages`` is what it received."""

    def __init__(self):
        self.port = free_port()
        self._handler = _Keep()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    @property
    def messages(self):
        with self._handler.lock:
            return list(self._handler.messages)

    def clear(self):
        with self._handler.lock:
            self._handler.messages.clear()

    def stop(self):
        self._controller.stop()


class LineApi:
    """A fake of ``POST /v2/bot/message/push``; ``pushes`` holds the accepted ones."""

    TOKEN = "test-channel-access-token"

    def __init__(self):
        self.pushes, self.refused, self.keys = [], [], set()
        self.fail_next = 0  # answer this many pushes with a 500 first
        self.lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_POST(self):  # noqa: N802 - http.server's name
                status, body = api._handle(self)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v2/bot/message/push"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _handle(self, request):
        if request.path != "/v2/bot/message/push":
            return 404, {"message": "Not found"}
        if request.headers.get("Authorization") != f"Bearer {self.TOKEN}":
            return 401, {"message": "Authentication failed"}
        length = int(request.headers.get("Content-Length") or 0)
        try:
            body = json.loads(request.rfile.read(length))
            key = str(uuid.UUID(request.headers.get("X-Line-Retry-Key", "")))
        except ValueError:
            return 400, {"message": "The request body or retry key is invalid"}
        messages = body.get("messages")
        if not isinstance(body.get("to"), str) or not isinstance(messages, list) \
                or not 1 <= len(messages) <= 5 or any(
                    m.get("type") != "text" or not 0 < len(m.get("text", "")) <= 5000
                    for m in messages):
            with self.lock:
                self.refused.append(body)
            return 400, {"message": "The request body has 1 error(s)"}
        with self.lock:
            if self.fail_next:
                self.fail_next -= 1
                return 500, {"message": "Internal error"}
            if key in self.keys:
                return 409, {"message": "The retry key is already accepted"}
            self.keys.add(key)
            self.pushes.append(body)
        return 200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _b64url(data):
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text):
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A local push service (RFC 8030) that checks and opens what it is sent, as a browser's would.

    ``browser()`` makes a subscription as a browser does (its own P-256 key
    pair and auth secret). A POST to it must carry a VAPID ``Authorization``
    (RFC 8292: an ES256 JWT for this origin, not expired, with a subject,
    and the signer's public key) and an ``aes128gcm`` body (RFC 8291), which
    the service decrypts with the browser's private key: ``received`` holds
    the decrypted JSON payloads. Paths under ``/gone/`` answer 410, as for a
    browser that unsubscribed.
    """

    def __init__(self):
        self.received, self.refused, self._browsers = [], [], {}
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_POST(self):  # noqa: N802 - http.server's name
                status = service._handle(self)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def browser(self, gone=False):
        """Return (endpoint, p256dh, auth) of a new browser's subscription."""
        import os as _os

        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        auth = _os.urandom(16)
        name = uuid.uuid4().hex
        endpoint = f"{self.origin}/{'gone' if gone else 'push'}/{name}"
        with self.lock:
            self._browsers[name] = (key, auth)
        public = key.public_key().public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
        return endpoint, _b64url(public), _b64url(auth)

    def _vapid_problem(self, header):
        """Return why a VAPID Authorization header is wrong, or None."""
        import time

        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        if not header.startswith("vapid "):
            return "not a vapid Authorization"
        parts = dict(p.strip().split("=", 1) for p in header[6:].split(","))
        token, signer = parts.get("t", ""), parts.get("k", "")
        try:
            head, claims, signature = token.split(".")
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(),
                                                                  _unb64url(signer))
            raw = _unb64url(signature)
            public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                               int.from_bytes(raw[32:], "big")),
                          f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except (ValueError, InvalidSignature):
            return "bad VAPID signature"
        payload = json.loads(_unb64url(claims))
        if json.loads(_unb64url(head)).get("alg") != "ES256":
            return "not ES256"
        if payload.get("aud") != self.origin:
            return "wrong audience"
        if not payload.get("exp") or payload["exp"] < time.time() \
                or payload["exp"] > time.time() + 24 * 3600:
            return "expired or too long"
        if not str(payload.get("sub", "")).startswith(("mailto:", "https:")):
            return "no subject"
        return None

    def _handle(self, request):
        import http_ece

        kind, _slash, name = request.path.strip("/").partition("/")
        with self.lock:
            browser = self._browsers.get(name)
        if browser is None:
            return 404
        if kind == "gone":
            return 410
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        problem = self._vapid_problem(request.headers.get("Authorization", ""))
        if problem is None and request.headers.get("Content-Encoding") != "aes128gcm":
            problem = "not aes128gcm"
        if problem is None and not request.headers.get("TTL", "").isdigit():
            problem = "no TTL"
        if problem is None:
            key, auth = browser
            try:
                payload = json.loads(http_ece.decrypt(body, private_key=key, auth_secret=auth,
                                                      version="aes128gcm"))
            except Exception as exc:  # noqa: BLE001 - any failure to open is a refusal
                problem = f"cannot decrypt: {exc}"
        with self.lock:
            if problem is not None:
                self.refused.append(problem)
                return 400
            self.received.append({"endpoint": name, "payload": payload})
        return 201

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
