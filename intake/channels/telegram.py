"""Telegram Bot API: an Update per webhook, files by getFile, replies by sendMessage.

The webhook is registered with ``setWebhook`` and a ``secret_token``, which Telegram sends
back in ``X-Telegram-Bot-Api-Secret-Token`` on every call (docs/channels.md). An Update's
``update_id`` is the provider id (Telegram resends the same update until it is answered
with 200). Only private chats are read: a bot added to a group reads nothing there.
"""

import logging
from urllib.parse import quote

from django.conf import settings

from intake.channels.base import (
    Adapter,
    BadPayload,
    Fetched,
    Incoming,
    Location,
    MediaRef,
    Parsed,
    ProviderError,
    TooLarge,
    clean_text,
    http_call,
    load_json,
    secret_matches,
)

logger = logging.getLogger(__name__)


class TelegramAdapter(Adapter):
    channel = "telegram"
    carries_media = True

    def __init__(self, *, bot_token: str, secret_token: str, api_url: str):
        self.bot_token, self.secret_token, self.api_url = bot_token, secret_token, api_url

    @classmethod
    def from_settings(cls):
        if not (settings.NETRAL_TELEGRAM_BOT_TOKEN and settings.NETRAL_TELEGRAM_SECRET_TOKEN):
            return None
        return cls(bot_token=settings.NETRAL_TELEGRAM_BOT_TOKEN, secret_token=settings.NETRAL_TELEGRAM_SECRET_TOKEN,
                   api_url=settings.NETRAL_TELEGRAM_API_URL)

    def verify(self, request) -> bool:
        return secret_matches(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), self.secret_token)

    def parse(self, body: bytes) -> Parsed:
        update = load_json(body)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise BadPayload("not a Telegram Update")
        message = update.get("message")
        # Edited messages, channel posts, inline queries...: not a reporter writing to the bot.
        if not isinstance(message, dict):
            return Parsed()
        try:
            if message["chat"]["type"] != "private":
                return Parsed()
            return Parsed(messages=[_message(str(update["update_id"]), message)])
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            logger.warning("Telegram: a message of an unexpected shape was skipped")
            return Parsed()

    def _method(self, name: str) -> str:
        return f"{self.api_url}/bot{self.bot_token}/{name}"

    def fetch_media(self, media: MediaRef, *, max_bytes: int) -> Fetched:
        if media.size and media.size > max_bytes:
            raise TooLarge(f"Telegram file of {media.size} bytes")
        answer = http_call("GET", self._method(f"getFile?file_id={quote(media.ref, safe='')}"),
                           redact=self.bot_token).json()
        try:
            path, declared = answer["result"]["file_path"], int(answer["result"].get("file_size") or 0)
        except (KeyError, TypeError, ValueError):
            raise ProviderError("Telegram: getFile gave no file_path") from None
        if declared > max_bytes:
            raise TooLarge(f"Telegram file of {declared} bytes")
        data = http_call("GET", f"{self.api_url}/file/bot{self.bot_token}/{quote(path)}", max_bytes=max_bytes,
                         redact=self.bot_token).body
        return Fetched(name=media.name or path.rsplit("/", 1)[-1], data=data)

    def send_text(self, *, to: str, text: str) -> str:
        answer = http_call("POST", self._method("sendMessage"), json_body={"chat_id": to, "text": text},
                           redact=self.bot_token).json()
        try:
            if not answer["ok"]:
                raise ProviderError("Telegram: sendMessage was refused")
            return str(answer["result"]["message_id"])
        except (KeyError, TypeError):
            raise ProviderError("Telegram: the sendMessage answer has no message_id") from None


def _message(provider_id: str, message: dict) -> Incoming:
    common = {"provider_id": provider_id, "sender": str(message["chat"]["id"])}
    caption = clean_text(message.get("caption", ""))
    if "text" in message:
        return Incoming(kind="text", text=clean_text(message["text"]), **common)
    if message.get("photo"):
        largest = max(message["photo"], key=lambda size: (size.get("width", 0) * size.get("height", 0),
                                                          size.get("file_size", 0)))
        return Incoming(kind="media", text=caption, detail="photo", media=MediaRef(
            ref=str(largest["file_id"]), content_type="image/jpeg", name="foto-telegram.jpg",
            size=largest.get("file_size")), **common)
    for kind in ("document", "video"):
        if isinstance(message.get(kind), dict):
            body = message[kind]
            return Incoming(kind="media", text=caption, detail=kind, media=MediaRef(
                ref=str(body["file_id"]), content_type=str(body.get("mime_type", "")),
                name=clean_text(body.get("file_name", ""))[:150] or f"{kind}-telegram", size=body.get("file_size")),
                **common)
    if isinstance(message.get("venue"), dict):
        venue = message["venue"]
        return Incoming(kind="location", location=Location(
            latitude=float(venue["location"]["latitude"]), longitude=float(venue["location"]["longitude"]),
            name=clean_text(venue.get("title", ""))[:200], address=clean_text(venue.get("address", ""))[:300],
        ), **common)
    if isinstance(message.get("location"), dict):
        place = message["location"]
        return Incoming(kind="location", location=Location(latitude=float(place["latitude"]),
                                                           longitude=float(place["longitude"])), **common)
    kinds = ("voice", "audio", "sticker", "animation", "video_note", "contact", "poll", "dice")
    return Incoming(kind="unsupported", detail=next((kind for kind in kinds if kind in message), "other"), **common)
