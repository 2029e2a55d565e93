"""Conversations through the fake provider: cancel, abandon, rate limit, order, and a fault in one message."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from intake import services
from intake.channels.base import MediaRef, Parsed
from intake.channels.fake import fake_incoming, fake_media_put, fake_phone_read
from intake.models import Conversation, InboundMessage, OutboundMessage
from reports.models import Report, StagedFile
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
PHONE = "+62 812 0000 0001"


@pytest.fixture
def fake(settings):
    settings.NETRAL_INTAKE_FAKE = True


@pytest.fixture
def send(fake, world, django_capture_on_commit_callbacks):
    """The pretend reporter sends a text, or a photo when ``photo`` is given."""
    def send(text: str = "", *, photo: bytes | None = None, channel: str = "whatsapp", address: str = PHONE):
        media = MediaRef(ref=fake_media_put(name="foto.jpg", data=photo), name="foto.jpg") if photo else None
        incoming = fake_incoming(channel=channel, address=address, text=text, media=media)
        with django_capture_on_commit_callbacks(execute=True):
            services.inbound_receive(channel=channel, parsed=Parsed(messages=[incoming]))
    return send


def screen(address: str = PHONE, channel: str = "whatsapp") -> list[str]:
    return [line["text"] for line in fake_phone_read(channel, address) if line["from"] == "netral"]


def _up_to_evidence(send):
    for answer in ("Halo", "1", "Kepala dinas memasang baliho calon bupati di depan kantornya.", "Budi Santoso",
                   "LEWATI", "LEWATI", "Manggar", "Balai Desa Lalang", "LEWATI", "HARI INI", "LEWATI"):
        send(answer)


def test_batal_at_any_point_discards_the_answers_and_the_staged_files(send):
    _up_to_evidence(send)
    send(photo=jpeg_bytes())
    assert StagedFile.objects.count() == 1
    send("batal")
    conversation = Conversation.objects.get()
    assert conversation.outcome == Conversation.Outcome.CANCELLED
    assert conversation.answers == {} and conversation.staged_files == [] and conversation.sender == {}
    assert not StagedFile.objects.exists()
    assert all(message.payload == {} for message in InboundMessage.objects.all())
    assert all(text == "" for text in OutboundMessage.objects.values_list("text", flat=True))
    assert "dibatalkan" in screen()[-1]
    assert not Report.objects.exists()
    assert AuditEntry.objects.filter(action="intake.conversation_cancelled").count() == 1

    send("Halo")  # a new conversation, from the start
    assert Conversation.objects.filter(outcome=Conversation.Outcome.OPEN).count() == 1
    assert "Selamat datang" in screen()[-2]


def test_bantuan_explains_and_asks_the_same_question_again(send):
    send("Halo")
    question = screen()[-1]
    send("BANTUAN")
    assert "BATAL" in screen()[-2] and screen()[-1] == question


def test_english_is_available_at_any_point(send):
    send("Halo")
    send("ENGLISH")
    assert screen()[-1].startswith("Which election")
    send("1")
    assert screen()[-1].startswith("What happened?")


def test_a_conversation_silent_for_24_hours_is_discarded_with_its_files(send, time_machine):
    time_machine.move_to("2026-12-01 09:00 +07:00", tick=False)
    _up_to_evidence(send)
    send(photo=jpeg_bytes())
    send("Halo", address="+62 812 0000 0002")  # another reporter, who goes on writing
    staged = StagedFile.objects.get()

    time_machine.move_to("2026-12-02 08:00 +07:00", tick=False)
    send("Manggar", address="+62 812 0000 0002")
    assert services.conversations_abandoned_purge() == 0  # 23 hours: not yet

    time_machine.move_to("2026-12-02 09:01 +07:00", tick=False)
    call_command("purge_conversations", verbosity=0)
    first = Conversation.objects.get(outcome=Conversation.Outcome.ABANDONED)
    assert first.answers == {} and first.staged_files == [] and first.token == ""
    assert not StagedFile.objects.filter(pk=staged.pk).exists()
    assert Conversation.objects.filter(outcome=Conversation.Outcome.OPEN).count() == 1  # the other one goes on
    assert AuditEntry.objects.filter(action="intake.conversation_abandoned").count() == 1
    assert services.conversations_abandoned_purge() == 0  # twice discards nothing twice


def test_staged_files_of_a_conversation_going_on_outlive_the_web_form_s_staging_life(send, settings, time_machine):
    settings.NETRAL_STAGING_LIFE = timedelta(hours=2)
    time_machine.move_to("2026-12-01 09:00 +07:00", tick=False)
    _up_to_evidence(send)
    send(photo=jpeg_bytes())
    time_machine.move_to("2026-12-01 10:30 +07:00", tick=False)
    send("SELESAI")
    time_machine.move_to("2026-12-01 12:00 +07:00", tick=False)
    call_command("purge_staged_files", verbosity=0)  # the web's daily purge: 3 hours after the photo
    send("TIDAK")
    send("YA")
    assert Report.objects.get().attachments.count() == 1


def test_past_the_rate_limit_one_polite_notice_then_silence(send, settings):
    settings.NETRAL_INTAKE_MESSAGES_PER_WINDOW = 3
    send("Halo")
    send("1")
    send("Terlalu pendek")  # the third: answered
    before = len(screen())
    send("Pesan keempat")
    send("Pesan kelima")
    assert len(screen()) == before + 1 and "banyak pesan" in screen()[-1]
    assert InboundMessage.objects.filter(error=services.RATE_LIMITED).count() == 2
    assert Conversation.objects.get().step == "description"  # nothing past the limit was taken as an answer


def test_waiting_messages_are_applied_in_arrival_order_whichever_task_runs_first(fake, world):
    first = fake_incoming(channel="whatsapp", address=PHONE, text="Halo")
    second = fake_incoming(channel="whatsapp", address=PHONE, text="1")
    ids = services.inbound_receive(channel="whatsapp", parsed=Parsed(messages=[first, second]))  # not run yet
    services.inbound_process(message_id=ids[1])  # the second one's task runs first
    assert InboundMessage.objects.filter(processed_at__isnull=True).count() == 0
    assert Conversation.objects.get().step == "description"  # "Halo" started it, "1" chose the election
    services.inbound_process(message_id=ids[0])  # the first one's task: nothing left to do
    assert OutboundMessage.objects.count() == 3


def test_a_file_not_yet_fetched_holds_back_what_came_after_it(fake, world):
    photo = MediaRef(ref=fake_media_put(name="foto.jpg", data=jpeg_bytes()), name="foto.jpg")
    messages = [fake_incoming(channel="whatsapp", address=PHONE, text="Halo"),
                fake_incoming(channel="whatsapp", address=PHONE, media=photo),
                fake_incoming(channel="whatsapp", address=PHONE, text="1")]
    ids = services.inbound_receive(channel="whatsapp", parsed=Parsed(messages=messages))
    services.inbound_process(message_id=ids[2])
    assert list(InboundMessage.objects.filter(processed_at__isnull=True).values_list("pk", flat=True)) == ids[1:]
    services.inbound_process(message_id=ids[1])  # fetched, then applied with what followed
    assert InboundMessage.objects.filter(processed_at__isnull=True).count() == 0
    conversation = Conversation.objects.get()
    assert len(conversation.staged_files) == 1 and conversation.step == "description"


def test_a_message_that_breaks_is_answered_with_an_apology_and_the_conversation_goes_on(send):
    send("Halo")
    broken = fake_incoming(channel="whatsapp", address=PHONE, text="1")
    ids = services.inbound_receive(channel="whatsapp", parsed=Parsed(messages=[broken]))
    InboundMessage.objects.filter(pk=ids[0]).update(payload={"kind": "text", "text": None})  # no adapter makes this
    services.inbound_process(message_id=ids[0])
    assert InboundMessage.objects.get(pk=ids[0]).error == services.FAULT
    assert "tidak dapat diproses" in screen()[-1]
    send("1")
    assert Conversation.objects.get().step == "description"
