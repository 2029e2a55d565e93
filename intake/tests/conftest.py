"""The outside world of the messaging channels, for real: a provider is an HTTP server on a socket.

``provider`` is a small ``http.server`` in a thread that answers the routes a test gives it
and records every request (the adapters reach it through ``intake.channels.base.http_call``,
as they reach Meta or Telegram). Payloads are shaped as the providers document them
(WhatsApp Cloud API webhook examples, the Telegram Bot API's Update object).
"""

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

WHATSAPP = {"app_secret": "rahasia-aplikasi-meta", "verify_token": "token-verifikasi", "access_token": "EAAG-uji",
            "phone_number_id": "106540352242922"}
REPORTER_WA = "6281234567890"
TELEGRAM = {"bot_token": "123456:ABC-uji", "secret_token": "rahasia_webhook-telegram"}
SMS_SECRET = "rahasia-gerbang-sms"


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Processing runs in the test's own process when enqueued, as in the register's tests."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _no_provider_unless_asked(settings, tmp_path):
    for name in ("NETRAL_WHATSAPP_APP_SECRET", "NETRAL_WHATSAPP_VERIFY_TOKEN", "NETRAL_WHATSAPP_ACCESS_TOKEN",
                 "NETRAL_WHATSAPP_PHONE_NUMBER_ID", "NETRAL_TELEGRAM_BOT_TOKEN", "NETRAL_TELEGRAM_SECRET_TOKEN",
                 "NETRAL_SMS_SECRET", "NETRAL_SMS_SEND_URL", "NETRAL_SMS_SEND_TOKEN"):
        setattr(settings, name, "")
    settings.NETRAL_INTAKE_FAKE = False
    settings.NETRAL_INTAKE_FAKE_DIR = tmp_path / "fake-provider"
    settings.NETRAL_PUBLIC_URL = "https://netral.example.id"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Provider:
    url: str = ""
    routes: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def route(self, method: str, path: str, answer=None, *, status: int = 200, body: bytes | None = None,
              declare_length: bool = True):
        """Answer ``method path`` with JSON ``answer`` (or a callable of the Recorded request), or raw ``body``.

        Without ``declare_length`` the answer has no Content-Length: its end is the closed connection.
        """
        self.routes[(method, path)] = (status, answer, body, declare_length)

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]


@pytest.fixture
def provider():
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            recorded = Recorded(self.command, self.path, dict(self.headers), self.rfile.read(length) if length else b"")
            state.requests.append(recorded)
            status, answer, body, declare_length = state.routes.get((self.command, self.path),
                                                                    (404, {"error": "no route"}, None, True))
            if callable(answer):
                answer = answer(recorded)
            payload = body if body is not None else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream" if body is not None else "application/json")
            if declare_length:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client stopped reading at its limit
                pass

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- WhatsApp Cloud API -------------------------------------------------------------------------

@pytest.fixture
def whatsapp(settings, provider):
    """WhatsApp configured, its Graph API at the test's provider; sending answers with a new wamid each time."""
    settings.NETRAL_WHATSAPP_APP_SECRET = WHATSAPP["app_secret"]
    settings.NETRAL_WHATSAPP_VERIFY_TOKEN = WHATSAPP["verify_token"]
    settings.NETRAL_WHATSAPP_ACCESS_TOKEN = WHATSAPP["access_token"]
    settings.NETRAL_WHATSAPP_PHONE_NUMBER_ID = WHATSAPP["phone_number_id"]
    settings.NETRAL_WHATSAPP_GRAPH_URL = provider.url + "/v21.0"
    sent = []

    def send(request):
        sent.append(request.json())
        to = request.json()["to"]
        return {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjAw{len(sent):04d}"}]}

    provider.route("POST", f"/v21.0/{WHATSAPP['phone_number_id']}/messages", send)
    provider.sent = sent
    return provider


def wa_texts(provider) -> list[str]:
    return [message["text"]["body"] for message in provider.sent]


def wa_envelope(*, messages=None, statuses=None) -> dict:
    """The webhook body as Meta sends it (Cloud API, "messages" field)."""
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550783881", "phone_number_id": WHATSAPP["phone_number_id"]}}
    if messages is not None:
        value["contacts"] = [{"profile": {"name": "Pelapor"}, "wa_id": REPORTER_WA}]
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]}


_counter = iter(range(1, 10**6))


def wa_message(kind: str, content: dict, *, sender: str = REPORTER_WA, message_id: str = "") -> dict:
    number = next(_counter)
    return {"from": sender, "id": message_id or f"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUZB{number:06d}",
            "timestamp": str(1732700000 + number), "type": kind, kind: content}


def wa_text(body: str, **kwargs) -> dict:
    return wa_message("text", {"body": body}, **kwargs)


def post_whatsapp(client, body: dict, *, secret: str = WHATSAPP["app_secret"], signature: str | None = None):
    raw = json.dumps(body).encode()
    return client.post("/kanal/whatsapp/webhook/", raw, content_type="application/json",
                       headers={"X-Hub-Signature-256": signature if signature is not None else sign(secret, raw)})


@pytest.fixture
def say(client, whatsapp, django_capture_on_commit_callbacks):
    """The reporter writes one WhatsApp message (a text, or a whole message dict); the webhook must take it."""
    def say(message):
        body = wa_envelope(messages=[wa_text(message) if isinstance(message, str) else message])
        with django_capture_on_commit_callbacks(execute=True):
            assert post_whatsapp(client, body).status_code == 200
    return say


@pytest.fixture
def world(places, offices, rules):
    """Regions with their offices, and the rules (elections, acts) loaded."""
    return places
