"""E-mail to an office's reporting address: reading a message, the office's template, the mailbox.

An e-mail is not a conversation: one message either follows the template the office
publishes (Indonesian labels, ``Nama terlapor:``, ``Uraian:`` ...) and becomes a report, or
is answered with the template. This module is the outside world's side of it, with no
database: ``read_message`` turns RFC 822 bytes into a ``Mail`` (the plain-text body
preferred, HTML turned into text by the standard library's parser, the attachments as bytes),
``read_template`` finds the labelled fields, ``ImapMailbox`` reads a mailbox over TLS with
the standard library's imaplib, and ``MailAdapter`` sends the replies with Django's mail
backend. What a message does is ``intake.mail.mail_receive``.
"""

import email
import email.policy
import hashlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from email.utils import getaddresses, make_msgid
from html.parser import HTMLParser

from django.conf import settings
from django.core.mail import EmailMessage

from intake.channels.base import Adapter, ProviderError, clean_text

logger = logging.getLogger(__name__)

ADDRESS = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z0-9-]{2,}$")

# The office's template: label (as written, case and spacing free) -> field. Several labels may
# name one field. The labels are Indonesian, as the office publishes them; they are not translated.
LABELS = {
    "pemilihan": "election",
    "nama terlapor": "person_name",
    "jabatan": "person_position",
    "jabatan terlapor": "person_position",
    "instansi": "person_unit",
    "instansi terlapor": "person_unit",
    "wilayah": "region",
    "kabupaten/kota": "region",
    "kecamatan": "region",
    "tempat kejadian": "place",
    "tanggal": "occurred_on",
    "tanggal kejadian": "occurred_on",
    "tanggal diketahui": "known_on",
    "uraian": "description",
    "uraian kejadian": "description",
    "nama pelapor": "reporter_name",
    "kontak pelapor": "reporter_contact",
}
REQUIRED = ("person_name", "region", "place", "occurred_on", "description")
TEMPLATE = """Pemilihan:
Nama terlapor:
Jabatan:
Instansi:
Wilayah:
Tempat kejadian:
Tanggal:
Tanggal diketahui:
Uraian:
Nama pelapor:
Kontak pelapor:"""
_LABEL_LINE = re.compile(r"^\s*[*>]*\s*(" + "|".join(sorted(map(re.escape, LABELS), key=len, reverse=True))
                         + r")\s*[*]*\s*:\s*(.*)$", re.IGNORECASE)
_QUOTED = re.compile(r"^\s*>")
# Where a reply's quoted history begins: the fields of the template Netral sent are not the reporter's.
_HISTORY = re.compile(r"^\s*(On .+ wrote:|Pada .+ menulis:|-----\s*Original Message|-----\s*Pesan Asli)", re.I)


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass
class Mail:
    message_id: str  # the Message-ID, or a hash of the message if it has none (at most 200 characters)
    sender: str  # the address replies go to: Reply-To, else From (lower case), "" if none is usable
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    automatic: bool = False  # a bounce, an auto-reply, a list: never answered (no mail loops)


class _TextOfHtml(HTMLParser):
    """The text of an HTML body: no script, style or head; a line break for each block."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote"}
    HIDDEN = {"script", "style", "head", "title", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Text of an HTML body (tags dropped, entities decoded, nothing run or fetched)."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _sender(message) -> str:
    for header in ("Reply-To", "From"):
        for _name, address in getaddresses([str(value) for value in message.get_all(header, [])]):
            if ADDRESS.match(address or ""):
                return address.lower()
    return ""


def _automatic(message) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    origin = str(message.get("From", "")).lower()
    return (auto != "no" or precedence in {"bulk", "junk", "list", "auto_reply"} or message.get("List-Id") is not None
            or "mailer-daemon@" in origin or "postmaster@" in origin or message.get_content_type() == "multipart/report")


def message_id_of(raw: bytes, header: str) -> str:
    value = " ".join(str(header or "").split())
    if not value or len(value) > 200:
        return "sha256:" + hashlib.sha256(value.encode() if value else raw).hexdigest()
    return value


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown or broken charset
        content = part.get_payload(decode=True).decode("utf-8", "replace")
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def read_message(raw: bytes) -> Mail:
    """A whole RFC 822 message as Netral reads it."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    attachments = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True) or b""
        attachments.append(Attachment(name=clean_text(part.get_filename() or "lampiran")[:200],
                                      content_type=part.get_content_type(), data=data))
    return Mail(message_id=message_id_of(raw, message.get("Message-ID", "")), sender=_sender(message),
                subject=clean_text(message.get("Subject", ""))[:200], body=clean_text(_body(message)).strip(),
                attachments=attachments, automatic=_automatic(message))


def read_headers(raw: bytes) -> Mail:
    """The headers only (a message too large to fetch whole): who to answer, and its id."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return Mail(message_id=message_id_of(raw, message.get("Message-ID", "")), sender=_sender(message),
                subject=clean_text(message.get("Subject", ""))[:200], body="", automatic=_automatic(message))


def read_template(body: str) -> dict[str, str]:
    """The template's fields in a body: {field: value}; a value runs on to the next label.

    Only the reporter's own text counts: the quoted history of a reply (``>`` lines, "On ...
    wrote:") is left out, so that the empty template Netral sent is not read back.
    """
    fields: dict[str, str] = {}
    current = None
    for line in body.splitlines():
        if _HISTORY.match(line):
            break
        if _QUOTED.match(line):
            current = None
            continue
        if match := _LABEL_LINE.match(line):
            current = LABELS[" ".join(match[1].lower().split())]
            if not fields.get(current):
                fields[current] = match[2].strip()
            else:
                current = None  # a label given twice: the first one holds
        elif current is not None:
            fields[current] = (fields[current] + "\n" + line.rstrip()).strip()
    return {name: value.strip() for name, value in fields.items()}


# --- Sending ------------------------------------------------------------------------------------

class MailAdapter(Adapter):
    """Replies by e-mail through Django's mail backend. Nothing comes in by webhook: it verifies nothing."""

    channel = "email"
    carries_media = True

    def __init__(self, *, address: str):
        self.address = address

    @classmethod
    def from_settings(cls):
        return cls(address=settings.NETRAL_MAIL_ADDRESS) if settings.NETRAL_MAIL_ADDRESS else None

    def verify(self, request) -> bool:
        return False

    def send_text(self, *, to: str, text: str) -> str:
        return self.send_mail(to=to, subject="Netral", text=text)

    def send_mail(self, *, to: str, subject: str, text: str, in_reply_to: str = "") -> str:
        """Send one message; its Message-ID, or ProviderError if the mail server refuses it."""
        message_id = make_msgid(domain=self.address.rsplit("@", 1)[-1])
        headers = {"Message-ID": message_id, "Auto-Submitted": "auto-replied"}
        if in_reply_to and not in_reply_to.startswith("sha256:"):
            headers.update({"In-Reply-To": in_reply_to, "References": in_reply_to})
        message = EmailMessage(subject=subject, body=text, from_email=self.address, to=[to], headers=headers)
        try:
            message.send()
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
            raise ProviderError(f"e-mail: {error.__class__.__name__}") from None
        return message_id


# --- The mailbox ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fetched:
    uid: bytes
    raw: bytes
    whole: bool  # False: only the headers, the message is larger than the limit


class ImapMailbox:
    """An IMAP mailbox over TLS (imaplib.IMAP4_SSL): the unseen messages, then each one flagged or moved."""

    def __init__(self, *, host: str, port: int, user: str, password: str, folder: str = "INBOX",
                 done_folder: str = "", cafile: str = "", max_bytes: int):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.folder, self.done_folder, self.cafile, self.max_bytes = folder, done_folder, cafile, max_bytes
        self.imap = None

    @classmethod
    def from_settings(cls):
        if not settings.NETRAL_MAIL_IMAP_HOST:
            return None
        return cls(host=settings.NETRAL_MAIL_IMAP_HOST, port=settings.NETRAL_MAIL_IMAP_PORT,
                   user=settings.NETRAL_MAIL_IMAP_USER, password=settings.NETRAL_MAIL_IMAP_PASSWORD,
                   folder=settings.NETRAL_MAIL_IMAP_FOLDER, done_folder=settings.NETRAL_MAIL_IMAP_DONE_FOLDER,
                   cafile=settings.NETRAL_MAIL_IMAP_CAFILE, max_bytes=settings.NETRAL_MAIL_MAX_BYTES)

    def __enter__(self):
        context = ssl.create_default_context(cafile=self.cafile or None)
        try:
            self.imap = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context,
                                          timeout=settings.NETRAL_INTAKE_HTTP_TIMEOUT)
            self.imap.login(self.user, self.password)
            self._ok(self.imap.select(_quote(self.folder)), "SELECT")
        except (imaplib.IMAP4.error, OSError) as error:
            self._close()
            raise ProviderError(f"IMAP {self.host}: {error}") from None
        return self

    def __exit__(self, *exc_info):
        self._close()

    def _close(self):
        if self.imap is not None:
            try:
                self.imap.logout()
            except (imaplib.IMAP4.error, OSError):
                pass
            self.imap = None

    @staticmethod
    def _ok(answer, what):
        status, data = answer
        if status != "OK":
            raise imaplib.IMAP4.error(f"{what}: {data!r}")
        return data

    def unseen(self) -> list[bytes]:
        data = self._ok(self.imap.uid("SEARCH", None, "UNSEEN"), "SEARCH")
        return (data[0] or b"").split()

    def fetch(self, uid: bytes) -> Fetched:
        """The message (or only its headers, if it is larger than ``max_bytes``); nothing is marked seen."""
        data = self._ok(self.imap.uid("FETCH", uid, "(RFC822.SIZE)"), "FETCH")
        size = re.search(rb"RFC822\.SIZE (\d+)", b" ".join(part if isinstance(part, bytes) else part[0]
                                                               for part in data if part))
        whole = not (size and int(size[1]) > self.max_bytes)
        data = self._ok(self.imap.uid("FETCH", uid, "(BODY.PEEK[])" if whole else "(BODY.PEEK[HEADER])"), "FETCH")
        raw = next((part[1] for part in data if isinstance(part, tuple)), b"")
        return Fetched(uid=uid, raw=raw, whole=whole)

    def done(self, uid: bytes) -> None:
        """Flag the message seen, and move it to the done folder if there is one."""
        self._ok(self.imap.uid("STORE", uid, "+FLAGS", r"(\Seen)"), "STORE")
        if self.done_folder:
            self._ok(self.imap.uid("COPY", uid, _quote(self.done_folder)), "COPY")
            self._ok(self.imap.uid("STORE", uid, "+FLAGS", r"(\Deleted)"), "STORE")
            self._ok(self.imap.expunge(), "EXPUNGE")


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
