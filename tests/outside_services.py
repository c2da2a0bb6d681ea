"""Real or faithful stand-ins for the services notices go out through, run by the tests.

- ``SmtpServer``: a real SMTP server (aiosmtpd) on a free port, keeping what it receives.
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
