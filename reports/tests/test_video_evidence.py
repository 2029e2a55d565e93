"""Issue 16, item 1: a video is checked as a video, and every file leaves under the extension of
its detected type, so an MP4 sent as ``bukti_video.bat`` never reaches a staff desktop as a .bat."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from netral.files import download_name
from reports.models import Attachment, EvidenceBlob, Report
from reports.tests.conftest import jpeg_bytes, mp4_bytes
from storage.prepare import prepare_upload

URL = reverse("reports:submit")
LIMIT = 20 * 1024 * 1024


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="video/mp4")


def test_a_real_video_is_accepted_and_kept_byte_for_byte():
    video = mp4_bytes()
    prepared = prepare_upload(upload("rekaman.mp4", video), max_bytes=LIMIT)
    assert prepared.content_type == "video/mp4" and prepared.extension == "mp4"
    assert prepared.original == prepared.public == video


@pytest.mark.parametrize("data", [
    pytest.param(mp4_bytes()[:32] + bytes(range(256)) * 8, id="ftyp-then-garbage"),
    pytest.param(mp4_bytes() + b"MZ\x90\x00<script>alert(1)</script>" * 20, id="video-with-bytes-appended"),
    pytest.param(mp4_bytes()[:-10], id="truncated"),
    pytest.param(mp4_bytes(handler=b"soun"), id="no-video-track"),
    pytest.param(mp4_bytes()[:32] + b"\x00\x00\x00\x08free" * 250_000, id="flood-of-empty-boxes"),
])
def test_a_file_that_only_starts_like_an_mp4_is_refused_with_a_message(data):
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        prepare_upload(upload("bukti_video.mp4", data), max_bytes=LIMIT)
    assert refused.value.error_list[0].code == "bad_video"
    assert "bukti_video.mp4" in refused.value.messages[0]
    assert time.monotonic() - started < 2  # refused before the parser spends its time on it


@pytest.mark.django_db
def test_a_fake_video_sent_with_the_form_is_refused_and_nothing_is_stored(client, report_data, settings):
    fake = upload("rekaman.hta", mp4_bytes()[:32] + b"<script>new ActiveXObject('WScript.Shell')</script>" * 20)
    response = client.post(URL, {**report_data, "evidence": [fake]})
    assert response.status_code == 400
    assert "rekaman.hta" in " ".join(response.context["form"].errors["evidence"])
    assert not Report.objects.exists() and not EvidenceBlob.objects.exists()
    assert not (settings.MEDIA_ROOT / "evidence").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("sent_as", "served_as"), [
    ("bukti_video.bat", "bukti_video.mp4"),
    ("rekaman.hta", "rekaman.mp4"),
    ("rekaman.mp4 .", "rekaman.mp4"),  # Windows drops trailing dots and spaces
])
def test_a_video_sent_under_an_executable_name_is_served_to_staff_as_a_video(
        client, report_data, staff_beltim, sent_as, served_as):
    assert client.post(URL, {**report_data, "evidence": [upload(sent_as, mp4_bytes())]}).status_code == 200
    report = Report.objects.get()
    attachment = report.attachments.get()
    assert attachment.original_name == sent_as.strip()  # the reporter's name is kept as sent
    client.force_login(staff_beltim)
    response = client.get(reverse("reports:staff_file", args=[report.pk, attachment.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{served_as}"'
    assert response["Content-Type"] == "video/mp4"
    page = client.get(report.get_absolute_url()).content.decode()
    assert served_as in page


@pytest.mark.django_db
def test_a_row_stored_before_the_rule_is_served_under_its_type_too(client, report_data, staff_beltim):
    """The name is computed when the file is served: old rows need no migration."""
    assert client.post(URL, {**report_data, "evidence": [SimpleUploadedFile("foto.jpg", jpeg_bytes())]}).status_code == 200
    report = Report.objects.get()
    Attachment.objects.filter(report=report).update(original_name="foto.jpg.hta")
    attachment = report.attachments.get()
    client.force_login(staff_beltim)
    response = client.get(reverse("reports:staff_file", args=[report.pk, attachment.pk]))
    assert response["Content-Disposition"] == 'inline; filename="foto.jpg.jpg"'


@pytest.mark.parametrize(("name", "content_type", "served"), [
    pytest.param("bukti.bat", "video/mp4", "bukti.mp4", id="bat-as-video"),
    pytest.param("bukti", "video/quicktime", "bukti.mov", id="no-extension"),
    pytest.param("foto.JPEG", "image/jpeg", "foto.JPEG", id="right-extension-kept"),
    pytest.param("surat.pdf.exe", "application/pdf", "surat.pdf.pdf", id="last-extension-counts"),
    pytest.param("laporan.csv", "text/csv; charset=utf-8", "laporan.csv", id="generated-csv"),
    pytest.param("data.exe", "application/octet-stream", "data.bin", id="unknown-type-never-executable"),
    pytest.param("...", "image/png", "berkas.png", id="only-dots"),
])
def test_the_download_name_carries_the_extension_of_the_type(name, content_type, served):
    assert download_name(name, content_type) == served
