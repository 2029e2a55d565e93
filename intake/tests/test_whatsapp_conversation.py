"""A whole WhatsApp conversation to a report, through the real webhook and a real provider server."""

import hashlib

import pytest
from PIL import Image

from intake.models import Conversation, InboundMessage, OutboundMessage
from intake.tests.conftest import REPORTER_WA, wa_message, wa_texts
from reports.models import Report, StagedFile
from reports.selectors import report_by_code
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def _code_in(text: str) -> str:
    line = next(line for line in text.splitlines() if line.startswith(("Kode pelacakan:", "Tracking code:")))
    return line.split(":", 1)[1].strip()


def test_a_whatsapp_conversation_becomes_a_report_with_its_hashed_evidence_and_the_code_goes_back(
        say, whatsapp, world):
    photo = jpeg_bytes(gps=True)
    whatsapp.route("GET", "/v21.0/1186123", {"messaging_product": "whatsapp", "url": whatsapp.url + "/media/1186123",
                                             "mime_type": "image/jpeg", "sha256": "x", "file_size": str(len(photo)),
                                             "id": "1186123"})
    whatsapp.route("GET", "/media/1186123", body=photo)

    say("Halo")
    assert "Selamat datang" in wa_texts(whatsapp)[0]
    assert "pemilihan yang mana" in wa_texts(whatsapp)[-1]
    say("1")  # the nearest election first: Pilkada 2024
    say("Kepala dinas memasang baliho calon bupati di depan kantornya.")
    say("Budi Santoso")
    say("Kepala Dinas")
    say("Dinas Kesehatan")
    say("Manggar")
    say(wa_message("location", {"latitude": -2.8663, "longitude": 108.2808, "name": "Balai Desa Lalang",
                                "address": "Jl. Merdeka 1, Manggar"}))
    say("10/11/2024")
    say("HARI INI")
    say("1")
    assert "Kirim bukti" in wa_texts(whatsapp)[-1]
    say(wa_message("image", {"caption": "baliho", "mime_type": "image/jpeg",
                             "sha256": "dGhpcyBpcyBub3QgY2hlY2tlZA==", "id": "1186123"}))
    assert "Berkas diterima (1 dari" in wa_texts(whatsapp)[-1]
    say("SELESAI")
    assert "terenkripsi" in wa_texts(whatsapp)[-1]  # the number: known to the provider, kept encrypted
    say("TIDAK")
    assert "Ringkasan" in wa_texts(whatsapp)[-1] and "Budi Santoso" in wa_texts(whatsapp)[-1]
    say("YA")

    report = Report.objects.get()
    assert report.channel == Report.Channel.WHATSAPP
    assert report.anonymous and report.reporter is None
    assert report.region == world["manggar"] and "Balai Desa Lalang" in report.place
    assert report.reported_persons.get().name == "Budi Santoso"
    assert report.violations.count() == 1
    attachment = report.attachments.get()
    assert attachment.blob.sha256 == hashlib.sha256(photo).hexdigest()  # the original, as the reporter sent it
    with attachment.blob.public_file.open("rb") as public, Image.open(public) as image:
        assert not image.getexif()  # GPS and camera stripped, as on the web
    receipt = wa_texts(whatsapp)[-2]
    assert report.number in receipt
    assert report_by_code(_code_in(receipt)) == report  # the code that went back opens the report
    assert "1 berkas" in wa_texts(whatsapp)[-1]

    conversation = Conversation.objects.get()
    assert conversation.outcome == Conversation.Outcome.COMPLETED and conversation.report == report
    assert conversation.answers == {} and conversation.token == ""
    assert not StagedFile.objects.exists()
    stored = [row.text for row in OutboundMessage.objects.order_by("id")]
    assert not any(_code_in(receipt) in text for text in stored)  # the code is sent, never stored
    assert all(row.status == OutboundMessage.Status.SENT for row in OutboundMessage.objects.all())
    assert InboundMessage.objects.filter(processed_at__isnull=True).count() == 0
    assert not InboundMessage.objects.exclude(sender=None).exists()  # the number stays only with the conversation
    assert all(message["to"] == REPORTER_WA for message in whatsapp.sent)


def test_the_next_message_after_a_report_starts_a_new_conversation(say, whatsapp, world):
    say("Halo")
    Conversation.objects.update(outcome=Conversation.Outcome.COMPLETED)
    say("Halo lagi")
    assert Conversation.objects.filter(outcome=Conversation.Outcome.OPEN).count() == 1
    assert Conversation.objects.count() == 2
