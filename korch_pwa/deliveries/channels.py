"""The outside services a notice is sent through: an SMTP server and LINE's Messaging API.

Each channel is a small class with one ``send(address, subject, text,
retry_key)``; ``channels_from_config`` builds those configured. Both use
the standard library (smtplib, urllib.request): one request each, and no
package to keep up to date for it.
"""

import json
import smtplib
import ssl
import urllib.error
import urllib.request
import uuid
from email.message import EmailMessage
from email.utils import make_msgid


class DeliveryFailed(Exception):
    """The service refused or could not be reached; ``permanent`` means do not retry."""

    def __init__(self, reason, permanent=False, gone=()):
        super().__init__(reason)
        self.permanent = permanent
        self.gone = list(gone)  # push subscriptions the service says are gone


class EmailChannel:
    """E-mail through an SMTP server (STARTTLS and login when configured)."""

    name = "email"

    def __init__(self, host, port, sender, username="", password="", starttls=False,
                 timeout=20):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls = username, password, starttls
        self.timeout = timeout

    def send(self, address, subject, text, retry_key, link=""):
        """Send one message; its Message-ID carries ``retry_key``."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = address
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(idstring=retry_key, domain="korch-pwa")
        message.set_content(f"{text}\n\n{link}" if link else text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed(f"recipient refused: {exc.recipients}", permanent=True) \
                from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None


class LineChannel:
    """A push message through the LINE Messaging API (not LINE Notify, which is closed)."""

    name = "line"

    def __init__(self, token, url="https://api.line.me/v2/bot/message/push", timeout=20):
        self.token, self.url, self.timeout = token, url, timeout

    def send(self, address, subject, text, retry_key, link=""):
        """Push ``text`` to a LINE user id; the retry key makes a resend harmless."""
        words = f"{text}\n{link}" if link else text
        body = json.dumps({"to": address, "messages": [
            {"type": "text", "text": words[:5000]}]}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}",
            # A UUID, the same for every try of one notice: LINE answers 409 to
            # a retry of a push it already accepted.
            "X-Line-Retry-Key": str(uuid.uuid5(uuid.NAMESPACE_URL, f"korch-pwa:{retry_key}"))})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 409:
                return  # accepted the first time
            # 4xx other than 429: the request itself is wrong (blocked, unknown user).
            permanent = 400 <= exc.code < 500 and exc.code != 429
            raise DeliveryFailed(f"LINE answered {exc.code}", permanent=permanent) from None
        except OSError as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None


def channels_from_config(config):
    """Return {name: channel} of the channels the configuration sets up."""
    channels = {}
    if config.get("MAIL_SERVER"):
        channels["email"] = EmailChannel(
            config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
            config.get("MAIL_FROM") or "korch-pwa@localhost",
            config.get("MAIL_USERNAME") or "", config.get("MAIL_PASSWORD") or "",
            bool(config.get("MAIL_STARTTLS")))
    if config.get("VAPID_PRIVATE_KEY"):
        from .push import PushChannel

        channels["push"] = PushChannel(config["VAPID_PRIVATE_KEY"],
                                       config.get("VAPID_SUBJECT") or "mailto:admin@localhost")
    if config.get("LINE_CHANNEL_TOKEN"):
        channels["line"] = LineChannel(config["LINE_CHANNEL_TOKEN"],
                                       config.get("LINE_PUSH_URL")
                                       or "https://api.line.me/v2/bot/message/push")
    return channels
