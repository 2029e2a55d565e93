"""The public form against hostile input, round two (issue 16): limits, wording, one message per problem."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reports.models import Report, ReportLink
from storage.prepare import prepare_upload

pytestmark = pytest.mark.django_db
URL = reverse("reports:submit")


def decompression_bomb(width=30_000, height=30_000) -> bytes:
    """A PNG of a few bytes whose header announces 900 million pixels."""
    out = io.BytesIO()
    Image.new("1", (8, 8)).save(out, "PNG")
    data = bytearray(out.getvalue())
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def test_a_link_longer_than_its_column_is_refused_with_a_message_not_a_server_error(client, report_data):
    limit = ReportLink._meta.get_field("url").max_length
    link = "https://example.org/" + "a" * limit
    response = client.post(URL, {**report_data, "links": link})
    assert response.status_code == 400
    assert str(limit) in " ".join(response.context["form"].errors["links"])
    assert not Report.objects.exists()


def test_a_link_as_long_as_its_column_is_stored(client, report_data):
    limit = ReportLink._meta.get_field("url").max_length
    link = "https://example.org/" + "a" * (limit - 20)
    response = client.post(URL, {**report_data, "links": link})
    assert response.status_code == 200, response.context["form"].errors
    assert ReportLink.objects.get().url == link


def test_a_decompression_bomb_is_too_large_not_damaged():
    with pytest.raises(Exception) as refused:
        prepare_upload(SimpleUploadedFile("bom.png", decompression_bomb()), max_bytes=20 * 1024 * 1024)
    assert refused.value.code == "too_large"
    assert refused.value.messages == ["Gambar “bom.png” terlalu besar."]


def test_a_name_that_is_too_long_gets_one_message(client, report_data):
    response = client.post(URL, {**report_data, "reporter_name": "Siti " * 40})
    errors = response.context["form"].errors["reporter_name"]
    assert len(errors) == 1 and "150" in errors[0]


def test_two_refused_files_of_the_same_name_give_one_message(client, report_data):
    files = [SimpleUploadedFile("image.jpg", b"<html>satu</html>"), SimpleUploadedFile("image.jpg", b"<html>dua</html>")]
    response = client.post(URL, {**report_data, "evidence": files})
    errors = response.context["form"].errors["evidence"]
    assert len(errors) == 1 and "image.jpg" in errors[0]
