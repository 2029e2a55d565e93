"""The generic SMS gateway: signed both ways, no files, and a one-time link to add them on the web."""

import json
import re

import pytest
from django.urls import reverse

from intake.models import Conversation, InboundMessage, OutboundMessage
from intake.tests.conftest import SMS_SECRET, sign
from reports.models import Report
from reports.views import TRACKED

pytestmark = pytest.mark.django_db
URL = "/kanal/sms/webhook/"
PHONE = "+6281398765432"


@pytest.fixture
def gateway(settings, provider):
    settings.NETRAL_SMS_SECRET = SMS_SECRET
    settings.NETRAL_SMS_SEND_URL = provider.url + "/kirim"
    settings.NETRAL_SMS_SEND_TOKEN = "token-kirim"
    sent = []

    def send(request):
        sent.append(request)
        return {"id": f"gw-out-{len(sent)}"}

    provider.route("POST", "/kirim", send)
    provider.sent = sent
    return provider


def texts(gateway) -> list[str]:
    return [request.json()["text"] for request in gateway.sent]


_ids = iter(range(1, 10**6))


def post(client, body: dict, *, secret: str = SMS_SECRET):
    raw = json.dumps(body).encode()
    return client.post(URL, raw, content_type="application/json", headers={"X-Netral-Signature": sign(secret, raw)})


@pytest.fixture
def text(client, gateway, django_capture_on_commit_callbacks):
    def text(body: str):
        message = {"id": f"gw-in-{next(_ids)}", "from": PHONE, "text": body, "timestamp": 1732700000}
        with django_capture_on_commit_callbacks(execute=True):
            assert post(client, {"messages": [message]}).status_code == 200
    return text


def test_an_sms_signed_with_another_secret_is_refused_and_nothing_is_stored(client, gateway):
    message = {"id": "gw-in-1", "from": PHONE, "text": "Halo"}
    assert post(client, {"messages": [message]}, secret="tebakan").status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_replayed_sms_is_one_message(client, gateway, world, django_capture_on_commit_callbacks):
    body = {"id": "gw-in-77", "from": PHONE, "text": "Halo"}  # a bare message object is accepted too
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body).status_code == 200
        assert post(client, body).status_code == 200
    assert InboundMessage.objects.count() == 1


def test_replies_go_to_the_gateway_signed_with_the_shared_secret(text, gateway, world):
    text("Halo")
    request = gateway.sent[0]
    assert request.headers["X-Netral-Signature"] == sign(SMS_SECRET, request.body)
    assert request.headers["Authorization"] == "Bearer token-kirim"
    assert request.json()["to"] == PHONE
    assert "tidak dapat dikirim lewat SMS" in texts(gateway)[1]  # said at once: files come later, on the web


def test_a_delivery_report_of_the_gateway_is_recorded(client, text, gateway, world):
    text("Halo")
    assert post(client, {"statuses": [{"id": "gw-out-1", "status": "delivered", "timestamp": 1732700100}]}).status_code == 200
    assert OutboundMessage.objects.get(provider_id="gw-out-1").status == OutboundMessage.Status.DELIVERED


def test_an_sms_conversation_ends_with_a_one_time_link_that_opens_the_report_once(client, text, gateway, world):
    for answer in ("Halo", "1", "Camat membagikan uang kepada warga agar memilih calon nomor dua.", "Ahmad Yani",
                   "Camat", "LEWATI", "Manggar", "Kantor Camat Manggar", "KEMARIN", "HARI INI"):
        text(answer)
    assert "terenkripsi" in texts(gateway)[-1]  # no list of acts, no evidence question by SMS
    for answer in ("YA", "Siti Aminah", "siti@example.org", "YA"):
        text(answer)
    report = Report.objects.get()
    assert report.channel == Report.Channel.SMS
    assert report.reporter == {"name": "Siti Aminah", "address": "", "nik": "", "phone": "", "email": "siti@example.org"}
    link = re.search(r"https://netral\.example\.id(/kanal/tautan/[\w-]+/)", texts(gateway)[-1])[1]
    assert link not in "".join(OutboundMessage.objects.values_list("text", flat=True))  # sent, never stored

    browser = client
    assert browser.get(link).status_code == 200  # a link preview reads it and spends nothing
    opened = browser.post(link)
    assert opened["Location"] == reverse("reports:tracking_status")
    assert browser.session[TRACKED] == report.pk
    assert browser.get(reverse("reports:tracking_status")).status_code == 200
    assert browser.post(link).status_code == 404  # once
    assert Conversation.objects.get().upload_link_used_at is not None
