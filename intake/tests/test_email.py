"""E-mail to the reporting address: real RFC 822 messages through ``mail_receive``, as the IMAP reader feeds it."""

import hashlib
from email.message import EmailMessage

import pytest
from django.core import mail as outbox
from django.utils import translation
from django.utils.translation import gettext

from audit.models import AuditEntry
from intake.mail import DUPLICATE, FILED, IGNORED, REFUSED, TEMPLATE_SENT, mail_receive
from intake.models import Conversation, InboundMessage, OutboundMessage
from reports.models import Report
from reports.selectors import report_by_code
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

SENDER = "warga.manggar@example.id"
TEMPLATE_BODY = """Selamat siang Bawaslu,

Pemilihan: 1
Nama terlapor: Budi Santoso
Jabatan: Kepala Dinas
Instansi: Dinas Kesehatan
Wilayah: Manggar
Tempat kejadian: Balai Desa Lalang, Jl. Merdeka 1
Tanggal: 10/11/2024
Uraian: Kepala dinas memasang baliho calon bupati
di depan kantornya dan mengajak pegawai hadir kampanye.

Terima kasih
"""


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NETRAL_MAIL_ADDRESS = "lapor@beltim.bawaslu.example.id"


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    def receive(*, raw):
        """What the IMAP reader does with a message: ``mail_receive``, and the reply after commit."""
        with django_capture_on_commit_callbacks(execute=True):
            return mail_receive(raw=raw)
    return receive


def message(body="", *, html=None, files=(), message_id="<a1@mail.example.id>", sender=SENDER, **headers) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Warga <{sender}>"
    msg["To"] = "lapor@beltim.bawaslu.example.id"
    msg["Subject"] = "Laporan netralitas ASN"
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    if body:
        msg.set_content(body)
    if html is not None:
        if body:
            msg.add_alternative(html, subtype="html")
        else:
            msg.set_content(html, subtype="html")
    for name, data, maintype, subtype in files:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def indonesian(text: str) -> str:
    """A reply's sentence as the reporter reads it (whatever the state of the translations)."""
    with translation.override("id"):
        return gettext(text)


def _code_in(text: str) -> str:
    label = indonesian("Report number: %(number)s\nTracking code: %(code)s").splitlines()[1].split("%")[0]
    return next(line for line in text.splitlines() if line.startswith(label)).split(":", 1)[1].strip()


def test_a_templated_email_with_a_photo_becomes_an_anonymous_report_and_the_code_goes_back_once(receive, world):
    photo = jpeg_bytes(gps=True)
    raw = message(TEMPLATE_BODY, files=[("baliho.jpg", photo, "image", "jpeg")])

    assert receive(raw=raw) == FILED

    report = Report.objects.get()
    assert report.channel == Report.Channel.EMAIL and report.anonymous and report.reporter is None
    assert report.region == world["manggar"] and report.place.startswith("Balai Desa Lalang")
    assert report.reported_persons.get().name == "Budi Santoso"
    assert "mengajak pegawai hadir kampanye" in report.description and "Terima kasih" in report.description
    assert report.attachments.get().blob.sha256 == hashlib.sha256(photo).hexdigest()
    [reply] = outbox.outbox
    assert reply.to == [SENDER] and reply.extra_headers["In-Reply-To"] == "<a1@mail.example.id>"
    assert report.number in reply.body
    assert indonesian("You reported without a name. Your e-mail address is not part of the report; Netral keeps it "
                      "only encrypted, to answer you by e-mail, and your mail provider knows it.") in reply.body
    assert report_by_code(_code_in(reply.body)) == report
    conversation = Conversation.objects.get()
    assert conversation.sender == {"address": SENDER} and conversation.report == report
    stored = OutboundMessage.objects.get()
    assert _code_in(reply.body) not in stored.text and stored.status == OutboundMessage.Status.SENT

    assert receive(raw=raw) == DUPLICATE  # fetched again: the same Message-ID does nothing
    assert Report.objects.count() == 1 and len(outbox.outbox) == 1


def test_an_html_only_email_is_read_as_text_without_its_script(receive, world):
    html = ("<html><head><style>p{}</style><script>alert('x')</script></head><body>"
            + "".join(f"<p>{line}</p>" for line in TEMPLATE_BODY.splitlines()) + "</body></html>")
    assert receive(raw=message(html=html)) == FILED
    description = Report.objects.get().description
    assert "alert" not in description and "<" not in description and "baliho calon bupati" in description


def test_an_email_without_the_template_is_answered_with_it_and_nothing_is_kept(receive, world):
    raw = message("Ada kepala desa ikut kampanye kemarin.", files=[("foto.jpg", jpeg_bytes(), "image", "jpeg")])
    assert receive(raw=raw) == TEMPLATE_SENT
    [reply] = outbox.outbox
    assert "Nama terlapor:" in reply.body and "Uraian:" in reply.body and "/lapor/" in reply.body
    assert not Report.objects.exists() and not Conversation.objects.exists()
    row = InboundMessage.objects.get()
    assert row.sender is None and row.payload == {"kind": "email"} and row.processed_at is not None
    assert AuditEntry.objects.filter(action="intake.email_answered").count() == 1


def test_an_incomplete_template_is_answered_with_what_is_missing(receive, world):
    body = TEMPLATE_BODY.replace("Wilayah: Manggar", "Wilayah: Atlantis").replace("Nama terlapor: Budi Santoso",
                                                                                 "Nama terlapor:")
    assert receive(raw=message(body)) == TEMPLATE_SENT
    text = outbox.outbox[0].body
    assert "Nama terlapor" in text and "Atlantis" in text
    assert not Report.objects.exists()


@pytest.mark.parametrize("case", ["no_body", "too_many", "executable", "oversize"])
def test_refusals_are_polite_and_keep_nothing(receive, world, settings, case):
    settings.NETRAL_EVIDENCE_MAX_FILES = 2
    photo = ("foto.jpg", jpeg_bytes(), "image", "jpeg")
    raw = {
        "no_body": message(files=[photo]),
        "too_many": message(TEMPLATE_BODY, files=[photo, photo, photo]),
        "executable": message(TEMPLATE_BODY, files=[("bukti.exe", b"MZ\x90\x00" + b"\x00" * 200,
                                                     "application", "octet-stream")]),
        "oversize": message(TEMPLATE_BODY, files=[("besar.jpg", jpeg_bytes(size=(900, 900)), "image", "jpeg")]),
    }[case]
    if case == "oversize":
        settings.NETRAL_EVIDENCE_MAX_BYTES = 2000
    assert receive(raw=raw) == REFUSED
    [reply] = outbox.outbox
    assert reply.to == [SENDER] and "/lapor/" in reply.body
    expected = {"no_body": indonesian("Your e-mail has no text. Please write what happened in the message itself."),
                "too_many": " 3 ", "executable": "bukti.exe", "oversize": "besar.jpg"}[case]
    assert expected in reply.body
    assert not Report.objects.exists() and not Conversation.objects.exists()
    assert InboundMessage.objects.get().error == {"executable": "bad_file", "oversize": "bad_file"}.get(case, case)


def test_bounces_and_auto_replies_are_never_answered(receive, world):
    assert receive(raw=message(TEMPLATE_BODY, Auto_Submitted="auto-replied")) == IGNORED
    assert receive(raw=message("Undelivered", message_id="<b@x>", sender="mailer-daemon@example.id")) == IGNORED
    assert outbox.outbox == [] and not Report.objects.exists()


def test_a_message_without_a_message_id_is_known_by_its_content(receive, world):
    raw = message("Halo", message_id="")
    assert receive(raw=raw) == TEMPLATE_SENT
    assert receive(raw=raw) == DUPLICATE
    assert InboundMessage.objects.get().provider_id.startswith("sha256:")


def test_a_named_reporter_gives_a_name_and_contact(receive, world):
    body = TEMPLATE_BODY + "Nama pelapor: Siti Aminah\nKontak pelapor: 081234567890\n"
    assert receive(raw=message(body)) == FILED
    report = Report.objects.get()
    assert not report.anonymous and report.reporter["name"] == "Siti Aminah"
    assert "Siti Aminah" not in report.description  # the description ends where the next label begins
