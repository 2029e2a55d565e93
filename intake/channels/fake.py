"""A local fake provider: ``make run`` can show a conversation, and tests can drive whole ones.

It stands in for the provider of every channel that has none configured, when
NETRAL_INTAKE_FAKE is on (the default with NETRAL_DEBUG). Nothing leaves the machine: the
reporter's "phone" is a file of lines under NETRAL_INTAKE_FAKE_DIR (what the reporter sent
and what Netral answered, as the phone would show it), and the files the reporter "sends"
are local files there, fetched by reference. Messages come in through the fake page
(intake/views.py), never through a webhook. Outgoing messages are recorded in the database
as for every channel (OutboundMessage).
"""

import hashlib
import json
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from intake.channels.base import Adapter, BadPayload, Fetched, Incoming, MediaRef, ProviderError, TooLarge

REF = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    return Path(settings.NETRAL_INTAKE_FAKE_DIR)


def _phone_file(channel: str, address: str) -> Path:
    name = hashlib.sha256(f"{channel}:{address}".encode()).hexdigest()[:24]
    return _folder() / "phones" / f"{channel}-{name}.jsonl"


def _append(channel: str, address: str, line: dict) -> None:
    path = _phone_file(channel, address)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as phone:
        phone.write(json.dumps({**line, "at": timezone.now().isoformat()}, ensure_ascii=False) + "\n")


def fake_phone_read(channel: str, address: str) -> list[dict]:
    """The fake phone's screen: every line sent and received, oldest first."""
    path = _phone_file(channel, address)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fake_media_put(*, name: str, data: bytes) -> str:
    """Keep a file the fake reporter sends; its reference for ``FakeAdapter.fetch_media``."""
    ref = secrets.token_hex(16)
    folder = _folder() / "media"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ref).write_bytes(data)
    return ref


def fake_incoming(*, channel: str, address: str, text: str = "", media: MediaRef | None = None,
                  location=None) -> Incoming:
    """What the fake reporter sends, as an adapter would have parsed it (and written on the phone)."""
    kind = "media" if media else "location" if location else "text"
    _append(channel, address, {"from": "reporter", "text": text, "file": media.name if media else "",
                               "location": bool(location)})
    return Incoming(provider_id=f"fake-{secrets.token_hex(12)}", sender=address, kind=kind, text=text, media=media,
                    location=location)


class FakeAdapter(Adapter):
    def __init__(self, channel: str):
        self.channel = channel
        self.carries_media = channel != "sms"

    def verify(self, request) -> bool:
        return False  # nothing comes in through a webhook

    def parse(self, body: bytes):
        raise BadPayload("the fake provider has no webhook")

    def fetch_media(self, media: MediaRef, *, max_bytes: int) -> Fetched:
        if not REF.match(media.ref):
            raise ProviderError("fake provider: no such file")
        path = _folder() / "media" / media.ref
        try:
            size = path.stat().st_size
        except OSError:
            raise ProviderError("fake provider: no such file") from None
        if size > max_bytes:
            raise TooLarge(f"fake file of {size} bytes")
        return Fetched(name=media.name, data=path.read_bytes())

    def send_text(self, *, to: str, text: str) -> str:
        _append(self.channel, to, {"from": "netral", "text": text})
        return f"fake-{secrets.token_hex(12)}"
