"""Uploaded and generated files leave as downloads in a sandbox (netral/files.py); only a
raster image that we re-encoded may be shown in a page, never HTML or SVG."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse

from netral.files import SANDBOX_POLICY, protect, shows_inline
from reports.tests.conftest import election, jpeg_bytes, photo, report_data  # noqa: F401 (fixtures)
from storage.prepare import prepare_upload

BASE_DIR = Path(settings.BASE_DIR)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(("content_type", "reencoded", "inline"), [
    pytest.param("image/jpeg", True, True, id="re-encoded-jpeg"),
    pytest.param("image/png", True, True, id="re-encoded-png"),
    pytest.param("image/webp", True, True, id="re-encoded-webp"),
    pytest.param("image/png", False, False, id="png-not-re-encoded"),
    pytest.param("image/svg+xml", True, False, id="svg-never"),
    pytest.param("text/html; charset=utf-8", True, False, id="html-never"),
    pytest.param("application/xhtml+xml", True, False, id="xhtml-never"),
    pytest.param("application/pdf", True, False, id="pdf-download"),
    pytest.param("video/mp4", True, False, id="video-download"),
    pytest.param("IMAGE/JPEG", True, True, id="type-case-ignored"),
])
def test_only_a_re_encoded_raster_image_is_shown_inline(content_type, reencoded, inline):
    assert shows_inline(content_type, reencoded_image=reencoded) is inline


def test_a_protected_response_is_a_sandboxed_unsniffable_download():
    response = protect(HttpResponse(HTML, content_type="text/html"), filename="laporan.html", reencoded_image=True)
    assert response["Content-Disposition"] == 'attachment; filename="laporan.html"'
    assert response["Content-Security-Policy"] == SANDBOX_POLICY == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_name_with_quotes_or_non_ascii_letters_stays_one_header_value():
    response = protect(HttpResponse(b"x", content_type="application/pdf"), filename='surat "resmi" ñ.pdf')
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")


@pytest.mark.parametrize(("name", "content"), [("bukti.svg", SVG), ("bukti.png", SVG), ("bukti.html", HTML),
                                               ("bukti.jpg", HTML)])
def test_an_upload_whose_bytes_are_html_or_svg_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError):
        prepare_upload(SimpleUploadedFile(name, content, content_type="image/png"), max_bytes=10**6)


@pytest.fixture
def evidence(client, report_data, photo, staff_beltim):  # noqa: F811
    """A report with one photo, filed through the public form; staff logged in."""
    from reports.models import Report

    client.post(reverse("reports:submit"), {**report_data, "evidence": [photo]})
    report = Report.objects.get()
    client.force_login(staff_beltim)
    attachment = report.attachments.get()
    return attachment, reverse("reports:staff_file", args=[report.pk, attachment.pk])


@pytest.mark.django_db
def test_a_re_encoded_photo_is_shown_in_the_page_but_sandboxed(client, evidence):
    _attachment, url = evidence
    response = client.get(url)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(("content_type", "content"), [("image/svg+xml", SVG), ("text/html", HTML)])
def test_a_stored_file_that_is_html_or_svg_is_only_ever_a_download(client, evidence, content_type, content):
    """Even a file that got past the upload rules (an old row, a restored backup) is no page."""
    attachment, url = evidence
    blob = attachment.blob
    blob.content_type = content_type
    blob.public_file.save("bukti.svg", ContentFile(content), save=False)
    blob.save()
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


@pytest.mark.django_db
def test_a_generated_export_is_a_sandboxed_download(client, rules):
    response = client.get(reverse("portal:open_data_statistics", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statistik.csv"'
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


FILE_RESPONSE = re.compile(r"\b(FileResponse|StreamingHttpResponse)\(|Content-Disposition|as_attachment=")


def test_no_view_builds_a_file_response_but_through_netral_files():
    """One door out for files: a new download view cannot forget the sandbox."""
    offending = []
    for path in BASE_DIR.glob("*/**/*.py"):
        relative = path.relative_to(BASE_DIR)
        if relative.parts[0].startswith(".") or relative.parts[0] in {"bench", "e2e"} or "tests" in relative.parts:
            continue
        if relative.as_posix() == "netral/files.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if FILE_RESPONSE.search(line):
                offending.append(f"{relative}:{number}: {line.strip()[:90]}")
    assert offending == []
