"""The pages: the fake provider's phone (make run), unknown webhooks, a spent or made-up link."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.models import Conversation, InboundMessage
from reports.models import StagedFile
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
FAKE = "/kanal/uji/"


def test_the_test_phone_is_not_there_unless_the_fake_provider_is_on(client):
    assert client.get(FAKE).status_code == 404


def test_the_test_phone_is_for_report_staff_outside_a_development_server(client, settings, staff_beltim,
                                                                          pemda_beltim):
    settings.NETRAL_INTAKE_FAKE, settings.DEBUG = True, False
    assert client.get(FAKE).status_code == 404
    client.force_login(pemda_beltim)
    assert client.get(FAKE).status_code == 404
    client.force_login(staff_beltim)
    assert client.get(FAKE).status_code == 200


def test_the_test_phone_plays_a_reporter_through_the_whole_processing(client, settings, world,
                                                                      django_capture_on_commit_callbacks):
    settings.NETRAL_INTAKE_FAKE, settings.DEBUG = True, True
    page = client.get(FAKE)
    assert page.status_code == 200 and "WhatsApp" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(FAKE, {"channel": "whatsapp", "address": "+62 812 0000 0009", "text": "Halo"})
    assert sent.status_code == 302
    screen = client.get(FAKE, headers={"HX-Request": "true"}).content.decode()
    assert "Selamat datang" in screen and "Halo" in screen
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FAKE, {"channel": "whatsapp", "address": "+62 812 0000 0009",
                           "file": SimpleUploadedFile("baliho.jpg", jpeg_bytes(), content_type="image/jpeg")})
    assert StagedFile.objects.count() == 1
    assert Conversation.objects.get().channel == "whatsapp"
    assert InboundMessage.objects.count() == 2


def test_the_test_phone_serves_only_channels_without_a_real_provider(client, settings):
    settings.NETRAL_INTAKE_FAKE, settings.DEBUG = True, True
    settings.NETRAL_SMS_SECRET, settings.NETRAL_SMS_SEND_URL = "rahasia", "https://gateway.example.id/kirim"
    answer = client.post(FAKE, {"channel": "sms", "address": "+62 812", "text": "Halo"})
    assert answer.status_code == 400
    assert not InboundMessage.objects.exists()


def test_a_webhook_of_an_unknown_channel_is_not_found(client):
    assert client.post("/kanal/faks/webhook/", b"{}", content_type="application/json").status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_made_up_upload_link_opens_nothing(client, method, world):
    answer = getattr(client, method)("/kanal/tautan/bukan-tautan-yang-benar/")
    assert answer.status_code == 404
    assert "tracked_report" not in client.session
