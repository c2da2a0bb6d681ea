"""Web Push (RFC 8030/8291/8292) through pywebpush: encrypted for the browser, VAPID-signed."""

import json

from .channels import DeliveryFailed


class PushChannel:
    """Push a notice to each of a person's browsers; report the subscriptions that are gone."""

    name = "push"

    def __init__(self, private_key, subject, ttl=24 * 3600, timeout=20):
        self.private_key, self.subject = private_key, subject
        self.ttl, self.timeout = ttl, timeout

    def send(self, address, subject, text, retry_key, link=""):
        """Send to every subscription in ``address``; return {"gone": [subscription ids]}.

        One browser reached is a delivery. None reached: DeliveryFailed,
        permanent when every subscription is gone (404/410 from its service).
        """
        # Imported here, not at start: pywebpush (with requests and cryptography)
        # is about 22 MB that a web worker, which never sends, need not hold.
        import requests
        from pywebpush import WebPushException, webpush

        payload = json.dumps({"title": subject, "body": text, "url": link or "/",
                              "tag": retry_key}, ensure_ascii=False)
        reached, gone, errors = 0, [], []
        for sub_id, endpoint, p256dh, auth in address:
            try:
                webpush({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
                        data=payload, vapid_private_key=self.private_key,
                        vapid_claims={"sub": self.subject}, ttl=self.ttl,
                        timeout=self.timeout)
                reached += 1
            except WebPushException as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status in (404, 410):
                    gone.append(sub_id)
                else:
                    errors.append(f"push service answered {status}")
            except (requests.RequestException, ValueError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
        if not reached:
            raise DeliveryFailed("; ".join(errors) or "every subscription is gone",
                                 permanent=not errors, gone=gone)
        return {"gone": gone}
