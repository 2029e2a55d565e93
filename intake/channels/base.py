"""The one interface every messaging channel implements, and the one HTTP client they call.

An adapter turns a provider's webhook into normalized messages and speaks to the provider's
API. The order is fixed by the webhook view: ``verify`` (the signature, over the raw body)
before ``parse`` reads a byte of it. Providers are the outside world; every call to them goes
through ``http_call`` (urllib, no extra dependency), so that tests can point an adapter at a
real HTTP server of their own.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings


class ProviderError(Exception):
    """The provider could not be reached, or answered with an error."""


class TooLarge(ProviderError):
    """A download was larger than the evidence limit; it was not read past the limit."""


class BadPayload(ValueError):
    """A signed webhook whose body is not what the provider documents."""


@dataclass(frozen=True)
class MediaRef:
    """A file the provider holds for us: fetched by ``ref`` with ``Adapter.fetch_media``."""

    ref: str
    content_type: str = ""
    name: str = ""
    size: int | None = None


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    name: str = ""
    address: str = ""


@dataclass(frozen=True)
class Incoming:
    """One message from a reporter. ``kind``: text, media, location, or unsupported (a sticker, a voice note)."""

    provider_id: str
    sender: str  # the provider's address of the reporter (phone number, chat id)
    kind: str
    text: str = ""
    media: MediaRef | None = None
    location: Location | None = None
    detail: str = ""  # the provider's name for an unsupported kind ("audio", "sticker")

    def as_payload(self) -> dict:
        """What is stored of the message (encrypted): no sender, no provider metadata."""
        payload: dict = {"kind": self.kind, "text": self.text}
        if self.media:
            payload["media"] = {"ref": self.media.ref, "content_type": self.media.content_type,
                                "name": self.media.name, "size": self.media.size}
        if self.location:
            payload["location"] = {"latitude": self.location.latitude, "longitude": self.location.longitude,
                                   "name": self.location.name, "address": self.location.address}
        if self.detail:
            payload["detail"] = self.detail
        return payload


@dataclass(frozen=True)
class StatusUpdate:
    """What the provider says became of a message we sent."""

    provider_id: str
    status: str  # sent, delivered, read, failed
    at: datetime
    error: str = ""


@dataclass
class Parsed:
    messages: list[Incoming] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)


@dataclass(frozen=True)
class Fetched:
    name: str
    data: bytes


class Adapter:
    """A channel's provider. Subclasses set ``channel`` and ``carries_media`` and implement the rest."""

    channel: str = ""
    carries_media: bool = True

    def handshake(self, request):
        """The answer to a provider's set-up GET (WhatsApp's hub.challenge), or None: GET not allowed."""
        return None

    def verify(self, request) -> bool:
        """Whether the request is signed by the provider. Reads the raw body only, parses nothing."""
        raise NotImplementedError

    def parse(self, body: bytes) -> Parsed:
        """The messages and delivery statuses of a verified webhook body, or BadPayload."""
        raise NotImplementedError

    def fetch_media(self, media: MediaRef, *, max_bytes: int) -> Fetched:
        """The file's bytes, or TooLarge past ``max_bytes`` (not read further), or ProviderError."""
        raise NotImplementedError

    def send_text(self, *, to: str, text: str) -> str:
        """Send a text message; the provider's id of it, or ProviderError."""
        raise NotImplementedError


# Control characters other than tab and line breaks: PostgreSQL refuses a NUL, and none belongs in a report.
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])
MAX_TEXT = 10_000


def clean_text(value) -> str:
    """A provider's text as we keep it: a string, without control characters, at most MAX_TEXT long."""
    return str(value or "").translate(_CONTROL)[:MAX_TEXT]


def epoch(value) -> datetime:
    """A provider's Unix time (seconds, as a number or a string), or now if it has none."""
    from django.utils import timezone

    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def hmac_sha256_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(header: str, *, secret: str, body: bytes, prefix: str = "sha256=") -> bool:
    """A ``sha256=<hex>`` header against HMAC-SHA256 of the raw body, in constant time."""
    if not secret or not header:
        return False
    return hmac.compare_digest(header.strip().encode(), (prefix + hmac_sha256_hex(secret, body)).encode())


def secret_matches(given: str, expected: str) -> bool:
    """A shared secret sent as is (Telegram's header), compared in constant time; never an empty one."""
    return bool(expected) and hmac.compare_digest((given or "").encode(), expected.encode())


def load_json(body: bytes):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadPayload("the body is not JSON") from error


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes

    def json(self):
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, ValueError) as error:
            raise ProviderError("the provider's answer is not JSON") from error


CHUNK = 64 * 1024


def http_call(method: str, url: str, *, headers: dict | None = None, json_body=None, body: bytes | None = None,
              max_bytes: int = 1024 * 1024, redact: str = "") -> HttpResponse:
    """One request to a provider: the answer's body, read up to ``max_bytes`` (TooLarge past it).

    An HTTP error status, a refused connection or a timeout (NETRAL_INTAKE_HTTP_TIMEOUT) is a
    ProviderError that names the URL without its query and without ``redact`` (a token in
    the path, as Telegram's), so that no secret reaches a log or an error column.
    """
    headers = dict(headers or {})
    if json_body is not None:
        body = json.dumps(json_body, ensure_ascii=False).encode()
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    where = url.split("?", 1)[0]
    if redact:
        where = where.replace(redact, "***")
    try:
        with urllib.request.urlopen(request, timeout=settings.NETRAL_INTAKE_HTTP_TIMEOUT) as answer:  # noqa: S310
            declared = answer.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise TooLarge(f"{where}: {declared} bytes")
            data = bytearray()
            while chunk := answer.read(CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    raise TooLarge(f"{where}: more than {max_bytes} bytes")
            return HttpResponse(status=answer.status, body=bytes(data))
    except urllib.error.HTTPError as error:
        raise ProviderError(f"{where}: HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise ProviderError(f"{where}: {getattr(error, 'reason', error)}") from None
