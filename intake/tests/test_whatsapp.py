"""The WhatsApp Cloud API adapter: set-up handshake, signatures, retries, media, delivery statuses."""

import pytest

from intake.models import InboundMessage, OutboundMessage
from intake.tests.conftest import (
    WHATSAPP,
    post_whatsapp,
    sign,
    wa_envelope,
    wa_message,
    wa_text,
    wa_texts,
)
from reports.models import StagedFile
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
URL = "/kanal/whatsapp/webhook/"


def test_the_set_up_handshake_answers_the_challenge_to_the_right_token_only(client, whatsapp):
    good = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": WHATSAPP["verify_token"],
                            "hub.challenge": "1158201444"})
    assert good.status_code == 200 and good.content == b"1158201444"
    wrong = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "tebakan", "hub.challenge": "1"})
    assert wrong.status_code == 403


def test_the_webhook_is_not_there_while_whatsapp_is_not_configured(client, settings):
    assert client.post(URL, b"{}", content_type="application/json").status_code == 404


@pytest.mark.parametrize("signature", [
    pytest.param(None, id="signed-with-another-secret"),
    pytest.param("", id="unsigned"),
    pytest.param("sha256=" + "0" * 64, id="made-up"),
])
def test_a_webhook_without_the_app_secret_s_signature_is_refused_and_nothing_is_stored(
        client, whatsapp, signature, django_capture_on_commit_callbacks):
    body = wa_envelope(messages=[wa_text("Halo")])
    with django_capture_on_commit_callbacks(execute=True):
        answer = post_whatsapp(client, body, secret="bukan-rahasianya", signature=signature)
    assert answer.status_code == 403
    assert not InboundMessage.objects.exists()
    assert whatsapp.requests == []


def test_a_signed_message_is_stored_without_the_number_and_answered(say, whatsapp, world):
    say("Halo")
    message = InboundMessage.objects.get()
    assert message.payload == {"kind": "text", "text": "Halo"}  # nothing else of the payload
    assert "6281234567890" not in message.sender_key and len(message.sender_key) == 64
    assert message.processed_at is not None and message.sender is None
    assert len(whatsapp.sent) == 2  # the welcome, then the first question
    sent = whatsapp.calls("POST", f"/v21.0/{WHATSAPP['phone_number_id']}/messages")[0]
    assert sent.headers["Authorization"] == f"Bearer {WHATSAPP['access_token']}"


def test_a_provider_retry_or_a_replay_makes_one_message_and_one_answer(client, whatsapp, world,
                                                                       django_capture_on_commit_callbacks):
    body = wa_envelope(messages=[wa_text("Halo")])
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(3):
            assert post_whatsapp(client, body).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert len(whatsapp.sent) == 2


def test_a_body_that_is_not_a_whatsapp_webhook_is_a_400(client, whatsapp):
    raw = b'{"object": "page", "entry": []}'
    answer = client.post(URL, raw, content_type="application/json",
                         headers={"X-Hub-Signature-256": sign(WHATSAPP["app_secret"], raw)})
    assert answer.status_code == 400


def test_a_voice_note_is_not_a_file_netral_takes_and_the_reporter_is_told(say, whatsapp, world):
    say("Halo")
    say(wa_message("audio", {"mime_type": "audio/ogg; codecs=opus", "sha256": "x", "id": "2001", "voice": True}))
    assert "(audio) belum dapat diterima" in wa_texts(whatsapp)[-2]
    assert whatsapp.calls("GET", "/v21.0/2001") == []


def test_a_file_of_an_unknown_type_is_refused_with_the_web_form_s_reason(say, whatsapp, world):
    whatsapp.route("GET", "/v21.0/3001", {"url": whatsapp.url + "/media/3001", "mime_type": "image/jpeg",
                                          "sha256": "x", "file_size": "20", "id": "3001"})
    whatsapp.route("GET", "/media/3001", body=b"MZ\x90\x00 this is a program, not a photo")
    say(wa_message("document", {"filename": "bukti.jpg", "mime_type": "image/jpeg", "sha256": "x", "id": "3001"}))
    assert "“bukti.jpg” bukan foto" in wa_texts(whatsapp)[-1]
    assert not StagedFile.objects.exists()


def test_an_oversize_file_is_refused_before_it_is_downloaded(settings, say, whatsapp, world):
    settings.NETRAL_EVIDENCE_MAX_BYTES = 50_000
    whatsapp.route("GET", "/v21.0/4001", {"url": whatsapp.url + "/media/4001", "mime_type": "video/mp4",
                                          "sha256": "x", "file_size": "73400320", "id": "4001"})
    say(wa_message("video", {"mime_type": "video/mp4", "sha256": "x", "id": "4001"}))
    assert "Berkas tidak diterima" in wa_texts(whatsapp)[-1] and "48" in wa_texts(whatsapp)[-1]  # 48.8 KB
    assert whatsapp.calls("GET", "/media/4001") == []
    assert not StagedFile.objects.exists()


def test_a_file_larger_than_its_declared_size_is_not_read_past_the_limit(settings, say, whatsapp, world):
    settings.NETRAL_EVIDENCE_MAX_BYTES = 50_000
    whatsapp.route("GET", "/v21.0/4002", {"url": whatsapp.url + "/media/4002", "mime_type": "image/jpeg",
                                          "sha256": "x", "file_size": "1000", "id": "4002"})
    whatsapp.route("GET", "/media/4002", body=jpeg_bytes(size=(2000, 2000), color="blue") + b"\0" * 60_000,
                   declare_length=False)
    say(wa_message("image", {"mime_type": "image/jpeg", "sha256": "x", "id": "4002"}))
    assert "foto-whatsapp.jpg" in wa_texts(whatsapp)[-1] and "Berkas tidak diterima" in wa_texts(whatsapp)[-1]
    assert not StagedFile.objects.exists()


def test_delivery_statuses_move_forward_only(client, say, whatsapp, world, django_capture_on_commit_callbacks):
    say("Halo")
    outbound = OutboundMessage.objects.order_by("id").first()
    assert outbound.status == OutboundMessage.Status.SENT and outbound.provider_id.startswith("wamid.")

    def status(name, timestamp):
        return {"id": outbound.provider_id, "status": name, "timestamp": str(timestamp), "recipient_id": "6281234567890",
                "conversation": {"id": "c1", "origin": {"type": "service"}},
                "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"}}

    for name, timestamp in (("read", 1732700100), ("delivered", 1732700050)):
        with django_capture_on_commit_callbacks(execute=True):
            assert post_whatsapp(client, wa_envelope(statuses=[status(name, timestamp)])).status_code == 200
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.READ  # "delivered" arrived late and changed nothing
    assert outbound.status_at.timestamp() == 1732700100
    assert InboundMessage.objects.count() == 1  # statuses are no messages


def test_a_reply_the_provider_refuses_is_recorded_as_failed(say, whatsapp, world):
    whatsapp.route("POST", f"/v21.0/{WHATSAPP['phone_number_id']}/messages", {"error": {"code": 131047}}, status=400)
    say("Halo")
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {OutboundMessage.Status.FAILED}
    assert "HTTP 400" in OutboundMessage.objects.first().error
