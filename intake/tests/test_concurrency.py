"""Several workers at once on one sender's messages: each applied once, in arrival order (both databases)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from intake import services
from intake.channels.base import Parsed
from intake.channels.fake import fake_incoming, fake_phone_read
from intake.models import Conversation, InboundMessage, OutboundMessage

PHONE = "+62 812 0000 0003"


@pytest.mark.django_db(transaction=True)
def test_workers_racing_on_one_sender_apply_each_message_once_and_in_order(settings, places, offices, rules):
    settings.NETRAL_INTAKE_FAKE = True
    # Queued in the database, run by nobody: the test plays four workers itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    texts = ["Halo", "1", "Kepala dinas memasang baliho calon bupati di depan kantornya.", "Budi Santoso"]
    ids = services.inbound_receive(channel="whatsapp", parsed=Parsed(messages=[
        fake_incoming(channel="whatsapp", address=PHONE, text=text) for text in texts]))

    def work(message_id):
        try:
            services.inbound_process(message_id=message_id)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, reversed(ids)))

    assert InboundMessage.objects.filter(processed_at__isnull=True).count() == 0
    conversation = Conversation.objects.get()
    assert conversation.step == "person_position"
    assert OutboundMessage.objects.count() == 5  # welcome, then one question per answer
    replies = [line["text"] for line in fake_phone_read("whatsapp", PHONE) if line["from"] == "netral"]
    assert [reply.split()[0] for reply in replies] == ["Selamat", "Laporan", "Apa", "Siapa", "Apa"]
