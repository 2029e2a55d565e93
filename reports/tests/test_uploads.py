"""Issue 16, items 7 and 8: what a body brings is received or named, never dropped in silence, and a
body over Django's limits gives the reporter the form back with a message, not a bare 400 page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import encode_multipart
from django.urls import reverse

from reports.models import Attachment, Message, Report, StagedFile
from reports.tests.conftest import jpeg_bytes
from reports.uploads import PartHeaderRepair

pytestmark = pytest.mark.django_db
URL = reverse("reports:submit")
BOUNDARY = "NetralTestBoundary7MA4YWxk"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def photo(color="red", name=None, size=(40, 30)):
    return SimpleUploadedFile(name or f"foto-{color}.jpg", jpeg_bytes(color=color, size=size))


def raw_body(data: dict, *, rename: dict[str, bytes]) -> bytes:
    """The multipart body a browser would send, with some file names replaced by raw bytes."""
    body = encode_multipart(BOUNDARY, data)
    for name, raw in rename.items():
        assert f'filename="{name}"'.encode() in body
        body = body.replace(f'filename="{name}"'.encode(), b'filename="' + raw + b'"')
    return body


def non_field_codes(response) -> list[str]:
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


# --- Item 7: names that are not UTF-8 -----------------------------------------------------------

def test_a_file_whose_name_is_not_utf8_is_kept_and_listed_on_the_receipt(client, report_data):
    body = raw_body({**report_data, "evidence": [photo("red", "bukti-caf.jpg"), photo("blue", "lain.jpg")]},
                    rename={"bukti-caf.jpg": "bukti-café.jpg".encode("latin-1")})
    response = client.post(URL, body, content_type=CONTENT_TYPE)
    assert response.status_code == 200, response.context["form"].errors
    kept = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert kept == ["bukti-caf\N{REPLACEMENT CHARACTER}.jpg", "lain.jpg"]
    page = response.content.decode()
    for name in kept:
        assert name in page  # the receipt lists every file kept
    assert 'id="receipt-not-received"' not in page


def test_the_receipt_lists_every_file_kept(client, report_data):
    files = [photo("red"), photo("green"), SimpleUploadedFile("layar.png", _png())]
    response = client.post(URL, {**report_data, "evidence": files})
    assert response.status_code == 200
    listed = [a.download_name for a in response.context["attachments"]]
    assert sorted(listed) == ["foto-green.jpg", "foto-red.jpg", "layar.png"]
    html = response.content.decode()
    assert all(name in html for name in listed)


def test_a_file_part_django_cannot_take_is_named_on_the_receipt(client, report_data):
    """A name that is only dots is dropped by Django's parser: the receipt says a file did not arrive."""
    body = raw_body({**report_data, "evidence": [photo("red"), photo("blue", "titik.jpg")]},
                    rename={"titik.jpg": b".."})
    response = client.post(URL, body, content_type=CONTENT_TYPE)
    assert response.status_code == 200
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["foto-red.jpg"]
    assert response.context["not_received"].startswith("1 ")
    assert 'id="receipt-not-received"' in response.content.decode()


def test_a_file_part_that_did_not_arrive_is_named_on_a_form_sent_back(client, report_data):
    body = raw_body({**report_data, "description": "", "evidence": [photo("blue", "titik.jpg")]},
                    rename={"titik.jpg": b"."})
    response = client.post(URL, body, content_type=CONTENT_TYPE)
    assert response.status_code == 400 and "not_received" in non_field_codes(response)


def test_a_part_header_split_between_two_reads_is_repaired_all_the_same():
    big = b"x" * (64 * 1024 - 150)  # the next part's header straddles the first 64 KiB read
    body = raw_body({"a": SimpleUploadedFile("a.bin", big), "b": SimpleUploadedFile("b.bin", b"yz")},
                    rename={"b.bin": b"b\xff.bin"})
    repaired = PartHeaderRepair(io.BytesIO(body), BOUNDARY.encode())
    out = b"".join(iter(lambda: repaired.read(1000), b""))
    assert out == body.replace(b"b\xff.bin", "b\N{REPLACEMENT CHARACTER}.bin".encode())
    assert repaired.files_seen == 2


# --- Item 8: bodies over Django's limits ---------------------------------------------------------

@pytest.mark.parametrize("in_memory", [True, False], ids=["files-in-memory", "files-on-disk"])
def test_more_than_twenty_files_give_the_form_back_with_what_was_typed(client, report_data, settings, in_memory):
    if not in_memory:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django spools each file to a temporary file
    files = [photo(f"#{n:02x}{n:02x}{n:02x}", f"foto-{n:02d}.jpg") for n in range(25)]
    response = client.post(URL, {**report_data, "description": "", "evidence": files})
    assert response.status_code == 400
    assert "reports/submit.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Siti Aminah" in page and "Balai Desa Lalang" in page  # nothing typed is lost
    evidence_errors = response.context["form"].errors.as_data()["evidence"]
    assert [error.code for error in evidence_errors] == ["too_many_files"]
    assert "foto-10.jpg" in response.context["form"].errors["evidence"][0]
    # The files that could be read wait for the next try.
    assert StagedFile.objects.count() == settings.NETRAL_EVIDENCE_MAX_FILES
    assert not Report.objects.exists()


def test_more_files_than_django_reads_at_all_give_the_form_with_a_message(client, report_data, settings):
    files = [SimpleUploadedFile(f"f{n}.jpg", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(URL, {**report_data, "evidence": files})
    assert response.status_code == 400
    assert "reports/submit.html" in [t.name for t in response.templates]
    assert non_field_codes(response) == ["unreadable"]
    assert not Report.objects.exists() and not StagedFile.objects.exists()


def test_a_text_body_over_two_and_a_half_megabytes_gives_the_form_with_a_message(client, report_data):
    response = client.post(URL, {**report_data, "description": "a" * (2_621_440 + 10)})
    assert response.status_code == 400
    assert "reports/submit.html" in [t.name for t in response.templates]
    assert non_field_codes(response) == ["unreadable"]
    assert not Report.objects.exists()


def test_a_thousand_fields_give_the_form_with_a_message(client, report_data):
    extra = {f"field-{n}": "x" for n in range(1001)}
    response = client.post(URL, {**report_data, **extra})
    assert response.status_code == 400
    assert "reports/submit.html" in [t.name for t in response.templates]
    assert non_field_codes(response) == ["unreadable"]
    assert not Report.objects.exists()


def test_the_form_still_requires_its_csrf_token(report_data):
    browser = Client(enforce_csrf_checks=True)
    browser.get(URL)
    assert browser.post(URL, report_data).status_code == 403
    assert not Report.objects.exists()


def test_a_message_with_too_many_files_gives_the_status_page_with_a_message(client, report_data):
    filed = client.post(URL, report_data)
    client.post(reverse("reports:track"), {"code": filed.context["code"]})
    files = [photo(f"#{n:02x}0000", f"foto-{n:02d}.jpg") for n in range(12)]
    response = client.post(reverse("reports:tracking_message"), {"body": "Tambahan bukti.", "files": files})
    assert response.status_code == 400
    assert "reports/tracking_status.html" in [t.name for t in response.templates]
    assert [e.code for e in response.context["message_form"].errors.as_data()["files"]] == ["too_many_files"]
    assert not Message.objects.exists()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(out, "PNG")
    return out.getvalue()
