"""Marshmallow schemas of the Web Push subscription API."""

from marshmallow import EXCLUDE, Schema, fields, validate

from ..domain.limits import PUSH_ENDPOINT_MAX
from ..sync_api.fields import Text

# The browsers' push services (Chrome and Android: FCM; Firefox: Mozilla;
# Edge: WNS; Safari: Apple). The server POSTs to whatever endpoint is stored,
# so only theirs are taken: never an address inside the server's network.
PUSH_ENDPOINT = (r"^https://([a-z0-9-]+\.)*(fcm\.googleapis\.com|push\.services\.mozilla\.com"
                 r"|notify\.windows\.com|push\.apple\.com)/[!-~]*$")


class PushKeysSchema(Schema):
    """The browser's keys, base64url without padding (RFC 8291)."""

    class Meta:
        unknown = EXCLUDE

    # An uncompressed P-256 point: 65 bytes, the first 0x04 ("B...").
    p256dh = Text(required=True, validate=validate.Regexp(r"^B[A-Za-z0-9_-]{86}$"))
    auth = Text(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{22}$"))


class PushSubscriptionSchema(Schema):
    """What ``PushSubscription.toJSON()`` gives in the browser."""

    class Meta:
        unknown = EXCLUDE

    endpoint = Text(required=True, validate=[validate.Length(max=PUSH_ENDPOINT_MAX),
                                             validate.Regexp(PUSH_ENDPOINT)])
    keys = fields.Nested(PushKeysSchema, required=True)


class PushEndpointSchema(Schema):
    """The subscription to forget, by its endpoint."""

    class Meta:
        unknown = EXCLUDE

    endpoint = Text(required=True, validate=validate.Length(min=1, max=PUSH_ENDPOINT_MAX))


class PushKeySchema(Schema):
    """The server's VAPID public key, for ``pushManager.subscribe``."""

    public_key = fields.String(required=True, metadata={
        "description": "base64url, an uncompressed P-256 point; empty when push is off"})


class PushStoredSchema(Schema):
    """How many subscriptions the request stored or removed."""

    count = fields.Integer(required=True)
