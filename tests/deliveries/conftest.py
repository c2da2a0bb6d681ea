"""The SMTP server and the LINE API the delivery tests send to."""

import pytest

from tests.outside_services import LineApi, PushService, SmtpServer


@pytest.fixture(scope="session")
def _smtp_server():
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _line_api():
    api = LineApi()
    yield api
    api.stop()


@pytest.fixture
def smtp(app, _smtp_server):
    """A real SMTP server, emptied, that the app sends to."""
    _smtp_server.clear()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_smtp_server.port,
                      MAIL_FROM="korch-pwa@example.go.th", APP_URL="https://korch.example")
    return _smtp_server


@pytest.fixture
def line(app, _line_api):
    """The LINE Messaging API fake, emptied, that the app pushes to."""
    with _line_api.lock:
        _line_api.pushes.clear()
        _line_api.refused.clear()
        _line_api.keys.clear()
        _line_api.fail_next = 0
    app.config.update(LINE_CHANNEL_TOKEN=LineApi.TOKEN, LINE_PUSH_URL=_line_api.url,
                      LINE_CHANNEL_SECRET="test-channel-secret", LINE_ACCOUNT_NAME="@korchpwa",
                      APP_URL="https://korch.example")
    return _line_api


@pytest.fixture(scope="session")
def _push_service():
    service = PushService()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def _vapid_keys():
    """A VAPID key pair, made as `flask notify vapid-keys` makes one."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid02, b64urlencode

    vapid = Vapid02()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    return b64urlencode(public), b64urlencode(private)


@pytest.fixture
def push(app, _push_service, _vapid_keys):
    """The local push service, emptied, and the app's VAPID keys set."""
    with _push_service.lock:
        _push_service.received.clear()
        _push_service.refused.clear()
    public, private = _vapid_keys
    app.config.update(VAPID_PUBLIC_KEY=public, VAPID_PRIVATE_KEY=private,
                      VAPID_SUBJECT="mailto:it@cdd.example.go.th",
                      APP_URL="https://korch.example")
    return _push_service
