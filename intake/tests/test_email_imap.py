"""The IMAP reader against an in-process server speaking enough IMAP4rev1 over TLS on a socket.

The server is not our component (a real one is Dovecot or the office's mail host): it serves
the messages it is given, answers UID SEARCH UNSEEN, UID FETCH (size, whole message, headers),
UID STORE, UID COPY and EXPUNGE, and records the flags, as RFC 3501 describes them.
"""

import datetime as dt
import io
import ipaddress
import re
import socketserver
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core import mail as outbox
from django.core.management import call_command

from intake.models import InboundMessage
from intake.tests.test_email import TEMPLATE_BODY, message
from reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


def _certificate(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "imap.pem", folder / "imap.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Mailbox:
    def __init__(self):
        self.messages = {}  # uid -> [raw, flags]
        self.folders = {"INBOX": [], "Selesai": []}
        self.logins = []

    def add(self, raw: bytes) -> int:
        uid = len(self.messages) + 1
        self.messages[uid] = [raw, set()]
        return uid


def _serve(box: Mailbox, cert_path, key_path):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)

    class Handler(socketserver.StreamRequestHandler):
        def w(self, data: bytes):
            self.wfile.write(data)
            self.wfile.flush()

        def handle(self):
            self.w(b"* OK IMAP4rev1 ready\r\n")
            while line := self.rfile.readline():
                tag, command, *rest = line.decode().rstrip("\r\n").split(" ", 2)
                command, args = command.upper(), (rest[0] if rest else "")
                if command == "UID":
                    command, _, args = args.partition(" ")
                    command = "UID " + command.upper()
                if command == "CAPABILITY":
                    self.w(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n")
                elif command == "LOGIN":
                    box.logins.append(args)
                elif command == "SELECT":
                    self.w(f"* {len(box.messages)} EXISTS\r\n".encode())
                elif command == "UID SEARCH":
                    unseen = [str(uid) for uid, (_, flags) in box.messages.items()
                              if "\\Seen" not in flags and "\\Deleted" not in flags]
                    self.w(("* SEARCH " + " ".join(unseen)).rstrip().encode() + b"\r\n")
                elif command == "UID FETCH":
                    uid, what = args.split(" ", 1)
                    raw = box.messages[int(uid)][0]
                    if "RFC822.SIZE" in what:
                        self.w(f"* {uid} FETCH (UID {uid} RFC822.SIZE {len(raw)})\r\n".encode())
                    else:
                        data = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n" if "HEADER" in what else raw
                        section = "BODY[HEADER]" if "HEADER" in what else "BODY[]"
                        self.w(f"* {uid} FETCH (UID {uid} {section} {{{len(data)}}}\r\n".encode() + data + b")\r\n")
                elif command == "UID STORE":
                    uid, _, flags = args.split(" ", 2)
                    box.messages[int(uid)][1].update(re.findall(r"\\\w+", flags))
                    self.w(f"* {uid} FETCH (UID {uid} FLAGS ({' '.join(box.messages[int(uid)][1])}))\r\n".encode())
                elif command == "UID COPY":
                    uid, folder = args.split(" ", 1)
                    box.folders[folder.strip('"')].append(int(uid))
                elif command == "EXPUNGE":
                    for uid, (_, flags) in list(box.messages.items()):
                        if "\\Deleted" in flags:
                            box.folders["INBOX"].append(-uid)  # gone from the inbox
                elif command == "LOGOUT":
                    self.w(b"* BYE\r\n" + f"{tag} OK LOGOUT completed\r\n".encode())
                    return
                else:
                    self.w(f"{tag} BAD unknown\r\n".encode())
                    continue
                self.w(f"{tag} OK {command} completed\r\n".encode())

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

        def get_request(self):
            sock, address = super().get_request()
            return context.wrap_socket(sock, server_side=True), address

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def imap(settings, tmp_path):
    box = Mailbox()
    cert_path, key_path = _certificate(tmp_path)
    server = _serve(box, cert_path, key_path)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NETRAL_MAIL_ADDRESS = "lapor@beltim.bawaslu.example.id"
    settings.NETRAL_MAIL_IMAP_HOST, settings.NETRAL_MAIL_IMAP_PORT = "127.0.0.1", server.server_address[1]
    settings.NETRAL_MAIL_IMAP_USER, settings.NETRAL_MAIL_IMAP_PASSWORD = "lapor", "rahasia"
    settings.NETRAL_MAIL_IMAP_CAFILE = str(cert_path)  # the server's own certificate: TLS is checked, not skipped
    yield box
    server.shutdown()
    server.server_close()


def test_the_reader_files_each_unseen_message_once_and_flags_it(imap, world, settings):
    settings.NETRAL_MAIL_MAX_BYTES = 200_000
    filed = imap.add(message(TEMPLATE_BODY, message_id="<satu@example.id>"))
    again = imap.add(message(TEMPLATE_BODY, message_id="<satu@example.id>"))  # delivered twice
    large = imap.add(message(TEMPLATE_BODY + "x" * 250_000, message_id="<besar@example.id>"))

    call_command("fetch_report_mail", stdout=io.StringIO())

    assert Report.objects.count() == 1 and Report.objects.get().channel == Report.Channel.EMAIL
    assert all("\\Seen" in imap.messages[uid][1] for uid in (filed, again, large))
    assert set(InboundMessage.objects.values_list("provider_id", "error")) == {
        ("<satu@example.id>", ""), ("<besar@example.id>", "too_large")}
    assert sorted(reply.to[0] for reply in outbox.outbox) == ["warga.manggar@example.id"] * 2  # receipt, refusal
    assert imap.logins == ['lapor "rahasia"']

    imap.add(message("Halo", message_id="<dua@example.id>"))
    call_command("fetch_report_mail", stdout=io.StringIO())
    assert InboundMessage.objects.count() == 3 and len(outbox.outbox) == 3  # only the new one was read


def test_with_a_done_folder_each_message_is_moved(imap, world, settings):
    settings.NETRAL_MAIL_IMAP_DONE_FOLDER = "Selesai"
    uid = imap.add(message("Halo", message_id="<tiga@example.id>"))
    call_command("fetch_report_mail", stdout=io.StringIO())
    assert imap.folders["Selesai"] == [uid] and "\\Deleted" in imap.messages[uid][1]


def test_a_certificate_that_is_not_trusted_stops_the_reader(imap, world, settings):
    from django.core.management import CommandError

    settings.NETRAL_MAIL_IMAP_CAFILE = ""
    imap.add(message("Halo", message_id="<empat@example.id>"))
    with pytest.raises(CommandError, match="IMAP"):
        call_command("fetch_report_mail")
    assert not InboundMessage.objects.exists()
