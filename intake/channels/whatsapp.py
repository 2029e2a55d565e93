"""WhatsApp Business Platform, Cloud API (Meta): webhooks in, Graph API out.

- Set-up: Meta's GET with ``hub.mode=subscribe``, ``hub.verify_token`` (ours) and
  ``hub.challenge``, answered with the challenge.
- Webhooks: POST, signed ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the
  app secret>``; ``entry[].changes[].value`` holds ``messages`` (text, image, document,
  video, location...) and ``statuses`` (sent, delivered, read, failed of what we sent).
- Media: ``GET /<media id>`` gives a short-lived URL, fetched with the same access token.
- Sending: ``POST /<phone number id>/messages`` with a text body.
"""

import logging
import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden

from intake.channels.base import (
    Adapter,
    BadPayload,
    Fetched,
    Incoming,
    Location,
    MediaRef,
    Parsed,
    ProviderError,
    StatusUpdate,
    TooLarge,
    clean_text,
    epoch,
    http_call,
    load_json,
    secret_matches,
    signature_matches,
)

logger = logging.getLogger(__name__)

MEDIA_KINDS = ("image", "document", "video")
MEDIA_NAMES = {"image": "foto-whatsapp", "video": "video-whatsapp", "document": "dokumen-whatsapp"}
STATUSES = {"sent", "delivered", "read", "failed"}


class WhatsAppAdapter(Adapter):
    channel = "whatsapp"
    carries_media = True

    def __init__(self, *, app_secret: str, verify_token: str, access_token: str, phone_number_id: str,
                 graph_url: str):
        self.app_secret, self.verify_token = app_secret, verify_token
        self.access_token, self.phone_number_id, self.graph_url = access_token, phone_number_id, graph_url

    @classmethod
    def from_settings(cls):
        """The adapter if the installation configured WhatsApp (every secret set), else None."""
        values = {"app_secret": settings.NETRAL_WHATSAPP_APP_SECRET,
                  "verify_token": settings.NETRAL_WHATSAPP_VERIFY_TOKEN,
                  "access_token": settings.NETRAL_WHATSAPP_ACCESS_TOKEN,
                  "phone_number_id": settings.NETRAL_WHATSAPP_PHONE_NUMBER_ID}
        if not all(values.values()):
            return None
        return cls(**values, graph_url=settings.NETRAL_WHATSAPP_GRAPH_URL)

    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    def handshake(self, request):
        if (request.GET.get("hub.mode") == "subscribe"
                and secret_matches(request.GET.get("hub.verify_token", ""), self.verify_token)):
            return HttpResponse(request.GET.get("hub.challenge", "")[:200], content_type="text/plain")
        return HttpResponseForbidden()

    def verify(self, request) -> bool:
        return signature_matches(request.headers.get("X-Hub-Signature-256", ""), secret=self.app_secret,
                                 body=request.body)

    def parse(self, body: bytes) -> Parsed:
        data = load_json(body)
        if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
            raise BadPayload("not a WhatsApp Business Account webhook")
        parsed = Parsed()
        try:
            changes = [change for entry in data.get("entry") or [] for change in entry.get("changes") or []]
        except (AttributeError, TypeError) as error:
            raise BadPayload("entry/changes are not lists of objects") from error
        for change in changes:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value") or {}
            for message in value.get("messages") or []:
                try:
                    parsed.messages.append(_message(message))
                except (KeyError, TypeError, ValueError, AttributeError):
                    logger.warning("WhatsApp: a message of an unexpected shape was skipped")
            for status in value.get("statuses") or []:
                try:
                    if status["status"] in STATUSES:
                        errors = status.get("errors") or [{}]
                        parsed.statuses.append(StatusUpdate(
                            provider_id=str(status["id"]), status=status["status"], at=epoch(status.get("timestamp")),
                            error=clean_text(errors[0].get("title", ""))[:500]))
                except (KeyError, TypeError, AttributeError, IndexError):
                    logger.warning("WhatsApp: a status of an unexpected shape was skipped")
        return parsed

    def fetch_media(self, media: MediaRef, *, max_bytes: int) -> Fetched:
        info = http_call("GET", f"{self.graph_url}/{quote(media.ref, safe='')}", headers=self._auth()).json()
        try:
            url, declared = info["url"], int(info.get("file_size") or 0)
        except (KeyError, TypeError, ValueError):
            raise ProviderError("WhatsApp: the media answer has no URL") from None
        if declared > max_bytes:
            raise TooLarge(f"WhatsApp media of {declared} bytes")
        data = http_call("GET", url, headers=self._auth(), max_bytes=max_bytes).body
        return Fetched(name=media.name, data=data)

    def send_text(self, *, to: str, text: str) -> str:
        answer = http_call("POST", f"{self.graph_url}/{quote(self.phone_number_id, safe='')}/messages",
                           headers=self._auth(), json_body={
                               "messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
                               "type": "text", "text": {"preview_url": False, "body": text}}).json()
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise ProviderError("WhatsApp: the send answer has no message id") from None


def _message(message: dict) -> Incoming:
    kind, common = message["type"], {"provider_id": str(message["id"]), "sender": str(message["from"])}
    if kind == "text":
        return Incoming(kind="text", text=clean_text(message["text"]["body"]), **common)
    if kind in MEDIA_KINDS:
        body = message[kind]
        content_type = str(body.get("mime_type", ""))
        media = MediaRef(ref=str(body["id"]), content_type=content_type,
                         name=clean_text(body.get("filename", ""))[:150] or _name_for(kind, content_type))
        return Incoming(kind="media", text=clean_text(body.get("caption", "")), media=media, detail=kind, **common)
    if kind == "location":
        place = message["location"]
        return Incoming(kind="location", location=Location(
            latitude=float(place["latitude"]), longitude=float(place["longitude"]),
            name=clean_text(place.get("name", ""))[:200], address=clean_text(place.get("address", ""))[:300],
        ), **common)
    # Audio and voice notes, stickers, contacts, reactions, buttons, "unknown"...
    return Incoming(kind="unsupported", detail=clean_text(kind)[:40], **common)


def _name_for(kind: str, content_type: str) -> str:
    """A file name for media sent without one (photos, videos): the reporter reads it in our replies."""
    extension = mimetypes.guess_extension(content_type.split(";", 1)[0].strip()) or ""
    return MEDIA_NAMES.get(kind, "berkas-whatsapp") + extension
