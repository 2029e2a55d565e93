"""A generic SMS HTTP gateway: the contract is ours, so that any gateway (or a small bridge to it) fits.

In: the gateway POSTs JSON to the webhook, signed ``X-Netral-Signature: sha256=<HMAC-SHA256
of the raw body with NETRAL_SMS_SECRET>``::

    {"messages": [{"id": "gw-1", "from": "+6281234567890", "text": "Halo", "timestamp": 1732700000}],
     "statuses": [{"id": "gw-out-9", "status": "delivered", "timestamp": 1732700005}]}

(either list may be missing; one bare message object is accepted too).

Out: Netral POSTs ``{"to": "+62...", "text": "..."}`` to NETRAL_SMS_SEND_URL, signed the same
way (and with ``Authorization: Bearer NETRAL_SMS_SEND_TOKEN`` if set); the gateway answers
``{"id": "<its message id>"}``. An SMS carries no file: the conversation skips the evidence
question and ends with a one-time link to add files on the web.
"""

import json
import logging

from django.conf import settings

from intake.channels.base import (
    Adapter,
    BadPayload,
    Incoming,
    Parsed,
    ProviderError,
    StatusUpdate,
    clean_text,
    epoch,
    hmac_sha256_hex,
    http_call,
    load_json,
    signature_matches,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Netral-Signature"
STATUSES = {"sent", "delivered", "failed"}


class SmsGatewayAdapter(Adapter):
    channel = "sms"
    carries_media = False

    def __init__(self, *, secret: str, send_url: str, send_token: str = ""):
        self.secret, self.send_url, self.send_token = secret, send_url, send_token

    @classmethod
    def from_settings(cls):
        if not (settings.NETRAL_SMS_SECRET and settings.NETRAL_SMS_SEND_URL):
            return None
        return cls(secret=settings.NETRAL_SMS_SECRET, send_url=settings.NETRAL_SMS_SEND_URL,
                   send_token=settings.NETRAL_SMS_SEND_TOKEN)

    def verify(self, request) -> bool:
        return signature_matches(request.headers.get(SIGNATURE_HEADER, ""), secret=self.secret, body=request.body)

    def parse(self, body: bytes) -> Parsed:
        data = load_json(body)
        if not isinstance(data, dict):
            raise BadPayload("not a JSON object")
        messages = data.get("messages", [data] if "from" in data else [])
        statuses = data.get("statuses") or []
        if not isinstance(messages, list) or not isinstance(statuses, list):
            raise BadPayload("messages and statuses must be lists")
        parsed = Parsed()
        for message in messages:
            try:
                parsed.messages.append(Incoming(provider_id=str(message["id"]), sender=str(message["from"]),
                                                kind="text", text=clean_text(message.get("text", ""))))
            except (KeyError, TypeError):
                logger.warning("SMS gateway: a message of an unexpected shape was skipped")
        for status in statuses:
            try:
                if status["status"] in STATUSES:
                    parsed.statuses.append(StatusUpdate(provider_id=str(status["id"]), status=status["status"],
                                                        at=epoch(status.get("timestamp")),
                                                        error=clean_text(status.get("error", ""))[:500]))
            except (KeyError, TypeError):
                logger.warning("SMS gateway: a status of an unexpected shape was skipped")
        return parsed

    def send_text(self, *, to: str, text: str) -> str:
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: "sha256=" + hmac_sha256_hex(self.secret, body)}
        if self.send_token:
            headers["Authorization"] = f"Bearer {self.send_token}"
        answer = http_call("POST", self.send_url, headers=headers, body=body).json()
        try:
            return str(answer["id"])
        except (KeyError, TypeError):
            raise ProviderError("SMS gateway: the answer has no id") from None
