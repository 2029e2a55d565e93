"""The Telegram Bot API adapter: the secret-token header, retries of an Update, getFile and sendMessage."""

import json

import pytest

from intake.models import InboundMessage
from intake.tests.conftest import TELEGRAM
from reports.models import StagedFile
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
URL = "/kanal/telegram/webhook/"
BOT = f"/bot{TELEGRAM['bot_token']}"
CHAT = 987654321


@pytest.fixture
def telegram(settings, provider):
    settings.NETRAL_TELEGRAM_BOT_TOKEN = TELEGRAM["bot_token"]
    settings.NETRAL_TELEGRAM_SECRET_TOKEN = TELEGRAM["secret_token"]
    settings.NETRAL_TELEGRAM_API_URL = provider.url
    sent = []

    def send(request):
        sent.append(request.json())
        return {"ok": True, "result": {"message_id": 2000 + len(sent), "date": 1732700000,
                                       "chat": {"id": CHAT, "type": "private"}, "text": request.json()["text"]}}

    provider.route("POST", f"{BOT}/sendMessage", send)
    provider.sent = sent
    return provider


_updates = iter(range(815000001, 815999999))


def update(content: dict, *, update_id: int | None = None, chat_type: str = "private") -> dict:
    """An Update as the Bot API documents it: a new private message from a person."""
    update_id = update_id or next(_updates)
    person = {"id": CHAT, "is_bot": False, "first_name": "Siti", "language_code": "id"}
    return {"update_id": update_id, "message": {
        "message_id": update_id % 10000, "from": person, "date": 1732700000,
        "chat": {"id": CHAT, "first_name": "Siti", "type": chat_type}, **content}}


def post(client, body: dict, *, secret: str = TELEGRAM["secret_token"]):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def tell(client, telegram, django_capture_on_commit_callbacks):
    def tell(content: dict, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            assert post(client, update(content, **kwargs)).status_code == 200
    return tell


def texts(telegram) -> list[str]:
    return [message["text"] for message in telegram.sent]


@pytest.mark.parametrize("secret", ["tebakan", ""], ids=["wrong-secret", "no-header"])
def test_an_update_without_the_webhook_s_secret_token_is_refused_and_nothing_is_stored(client, telegram, secret):
    assert post(client, update({"text": "Halo"}), secret=secret).status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_private_message_is_stored_and_answered_in_the_chat(tell, telegram, world):
    tell({"text": "Halo"})
    assert InboundMessage.objects.get().payload == {"kind": "text", "text": "Halo"}
    assert "Selamat datang" in texts(telegram)[0]
    assert {message["chat_id"] for message in telegram.sent} == {str(CHAT)}


def test_telegram_resending_an_update_makes_one_message(client, telegram, world, django_capture_on_commit_callbacks):
    body = update({"text": "Halo"})
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(2):
            assert post(client, body).status_code == 200
    assert InboundMessage.objects.count() == 1 and len(telegram.sent) == 2


def test_group_chats_and_edited_messages_are_acknowledged_but_not_read(client, telegram, world):
    assert post(client, update({"text": "Halo"}, chat_type="group")).status_code == 200
    edited = {"update_id": 815999999, "edited_message": update({"text": "x"})["message"]}
    assert post(client, edited).status_code == 200
    assert not InboundMessage.objects.exists()


def test_a_photo_is_fetched_with_get_file_and_staged_as_evidence(tell, telegram, world):
    photo = jpeg_bytes()
    telegram.route("GET", f"{BOT}/getFile?file_id=AgACAgUAAxkBAAIBZ2", {
        "ok": True, "result": {"file_id": "AgACAgUAAxkBAAIBZ2", "file_unique_id": "AQADq7", "file_size": len(photo),
                               "file_path": "photos/file_7.jpg"}})
    telegram.route("GET", f"/file{BOT}/photos/file_7.jpg", body=photo)
    tell({"text": "Halo"})
    tell({"photo": [{"file_id": "AgACAgUAAxkBAAIBZ1", "file_unique_id": "AQADq6", "file_size": 900, "width": 90,
                     "height": 68},
                    {"file_id": "AgACAgUAAxkBAAIBZ2", "file_unique_id": "AQADq7", "file_size": len(photo),
                     "width": 64, "height": 48 * 20}],
          "caption": "baliho di depan kantor"})
    assert "Berkas diterima (1 dari" in texts(telegram)[-1]
    assert StagedFile.objects.count() == 1


def test_a_voice_message_is_not_taken_and_the_reporter_is_told(tell, telegram, world):
    tell({"text": "Halo"})
    tell({"voice": {"file_id": "AwACAgUAAxkBAAIBa", "file_unique_id": "AgADx", "duration": 3,
                    "mime_type": "audio/ogg", "file_size": 5000}})
    assert "(voice) belum dapat diterima" in texts(telegram)[-2]


def test_an_oversize_document_is_refused_without_asking_telegram_for_it(settings, tell, telegram, world):
    settings.NETRAL_EVIDENCE_MAX_BYTES = 50_000
    tell({"document": {"file_name": "rekaman.mp4", "mime_type": "video/mp4", "file_id": "BQACAgUAAxkBAAIBb",
                       "file_unique_id": "AgADy", "file_size": 19_000_000}})
    assert "rekaman.mp4" in texts(telegram)[-1] and "Berkas tidak diterima" in texts(telegram)[-1]
    assert not [request for request in telegram.requests if "getFile" in request.path]
