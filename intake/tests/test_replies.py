"""After the report: staff read the conversation, and replies and notices go back on the same channel."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from intake.models import Conversation, InboundMessage, OutboundMessage
from intake.tests.conftest import REPORTER_WA, post_whatsapp, wa_envelope, wa_texts
from reports import states
from reports.models import Report
from reports.services import report_change_status, report_reply

pytestmark = pytest.mark.django_db

CONTACT = "0812 9999 1234"


def converse(say, *, identified: bool = False) -> Report:
    """A whole WhatsApp conversation, from the first message to the report."""
    for text in ("Halo", "1", "Kepala dinas memasang baliho calon bupati di depan kantornya.", "Budi Santoso",
                 "Kepala Dinas", "Dinas Kesehatan", "Manggar", "Balai Desa Lalang", "10/11/2024", "HARI INI", "1",
                 "SELESAI"):
        say(text)
    if identified:
        say("YA")
        say("Siti Aminah")
        say(CONTACT)
    else:
        say("TIDAK")
    say("YA")
    return Report.objects.get()


@pytest.fixture
def chat_report(say, world):
    return converse(say)


@pytest.fixture
def as_staff(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def test_the_report_page_shows_the_channel_and_the_conversation_to_handling_staff(
        chat_report, as_staff, staff_beltim):
    page = as_staff(staff_beltim).get(reverse("reports:detail", args=[chat_report.pk])).content.decode()
    assert 'id="report-channel"' in page and "WhatsApp" in page
    assert 'id="conversation"' in page
    assert "Kepala dinas memasang baliho" in page  # the reporter's words, decrypted
    assert "Apakah Anda ingin menyebutkan nama Anda?" in page  # Netral's question
    assert REPORTER_WA not in page  # the number: not without the identity door, never for an anonymous report
    full = as_staff(staff_beltim).get(reverse("intake:transcript", args=[chat_report.pk]))
    assert full.status_code == 200 and "Balai Desa Lalang" in full.content.decode()


def test_another_regency_s_staff_see_neither_the_report_nor_its_transcript(chat_report, as_staff, staff_bangka):
    client = as_staff(staff_bangka)
    assert client.get(reverse("reports:detail", args=[chat_report.pk])).status_code == 404
    assert client.get(reverse("intake:transcript", args=[chat_report.pk])).status_code == 404


def test_a_long_conversation_shows_its_latest_messages_and_links_the_rest(chat_report, as_staff, staff_beltim):
    page = as_staff(staff_beltim).get(reverse("reports:detail", args=[chat_report.pk])).content.decode()
    total = InboundMessage.objects.count() + OutboundMessage.objects.count()
    assert total > 12
    assert "<details>" in page and reverse("intake:transcript", args=[chat_report.pk]) in page
    assert "Halo" not in page.split('id="conversation"', 1)[1].split("</section>", 1)[0]  # the first line: paged


def test_the_identity_answers_and_the_number_need_the_identity_door_and_are_audited(
        say, world, as_staff, staff_beltim, offices):
    offices["beltim"].identity_reveal_needs_approval = False
    offices["beltim"].save()
    report = converse(say, identified=True)
    assert report.reporter["name"] == "Siti Aminah"
    client = as_staff(staff_beltim)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    transcript = page.split('id="conversation"', 1)[1]
    assert CONTACT not in transcript and REPORTER_WA not in page
    assert "shown only after opening the identity" in transcript or "setelah identitas dibuka" in transcript
    full = client.get(reverse("intake:transcript", args=[report.pk])).content.decode()
    assert "Siti Aminah" not in full and CONTACT not in full

    opened = client.post(reverse("reports:reveal_identity", args=[report.pk])).content.decode()
    assert 'id="conversation-sender"' in opened and REPORTER_WA in opened
    assert CONTACT in opened.split('id="conversation"', 1)[1]
    assert AuditEntry.objects.filter(action="report.identity_viewed", actor=staff_beltim).count() == 1
    assert AuditEntry.objects.filter(action="intake.sender_viewed", actor=staff_beltim).count() == 1


def test_a_staff_reply_goes_out_on_whatsapp_and_its_delivery_is_recorded(
        chat_report, whatsapp, staff_beltim, client, django_capture_on_commit_callbacks):
    before = len(whatsapp.sent)
    with django_capture_on_commit_callbacks(execute=True):
        report_reply(report=chat_report, actor=staff_beltim, body="Mohon kirim foto baliho dari dekat.")
    assert len(whatsapp.sent) == before + 1
    sent = wa_texts(whatsapp)[-1]
    assert "Mohon kirim foto baliho dari dekat." in sent and whatsapp.sent[-1]["to"] == REPORTER_WA
    row = OutboundMessage.objects.get(kind=OutboundMessage.Kind.REPLY)
    assert row.status == OutboundMessage.Status.SENT and row.provider_id.startswith("wamid.")

    statuses = [{"id": row.provider_id, "status": "delivered", "timestamp": "1732700500",
                 "recipient_id": REPORTER_WA}]
    assert post_whatsapp(client, wa_envelope(statuses=statuses)).status_code == 200
    row.refresh_from_db()
    assert row.status == OutboundMessage.Status.DELIVERED


def test_outside_whatsapp_s_window_a_reply_becomes_a_notice_without_content_or_code(
        chat_report, whatsapp, staff_beltim, django_capture_on_commit_callbacks):
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        report_reply(report=chat_report, actor=staff_beltim, body="Isi rahasia balasan petugas.")
    sent = wa_texts(whatsapp)[-1]
    assert "Isi rahasia" not in sent and "kabar baru" in sent
    assert chat_report.number not in sent
    assert OutboundMessage.objects.filter(kind=OutboundMessage.Kind.NOTICE).count() == 1


def test_a_status_change_sends_the_short_notice(chat_report, whatsapp, staff_beltim,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_change_status(report=chat_report, actor=staff_beltim, to_status=states.Status.IN_REVIEW)
    assert "kabar baru" in wa_texts(whatsapp)[-1]
    assert OutboundMessage.objects.filter(kind=OutboundMessage.Kind.NOTICE, status="sent").count() == 1


def test_berhenti_stops_replies_and_notices(chat_report, say, whatsapp, staff_beltim,
                                            django_capture_on_commit_callbacks):
    say("BERHENTI")
    assert "tidak akan menerima" in wa_texts(whatsapp)[-1]
    assert Conversation.objects.get(report=chat_report).notices_stopped_at is not None
    assert not Conversation.objects.filter(outcome=Conversation.Outcome.OPEN).exists()  # no new conversation
    assert AuditEntry.objects.filter(action="intake.notices_stopped").count() == 1
    before = len(whatsapp.sent)
    with django_capture_on_commit_callbacks(execute=True):
        report_reply(report=chat_report, actor=staff_beltim, body="Apakah Anda masih di sana?")
        report_change_status(report=chat_report, actor=staff_beltim, to_status=states.Status.IN_REVIEW)
    assert len(whatsapp.sent) == before
    assert not OutboundMessage.objects.filter(kind__in=["reply", "notice"]).exists()


def test_a_web_report_gets_no_channel_message(world, whatsapp, staff_beltim, django_capture_on_commit_callbacks):
    from reports.tests.test_staff import file_report
    from rules.models import Election

    report = file_report(world["manggar"], Election.objects.get(pk="pilkada-2024"))
    with django_capture_on_commit_callbacks(execute=True):
        report_reply(report=report, actor=staff_beltim, body="Terima kasih.")
    assert whatsapp.sent == [] and not OutboundMessage.objects.exists()
