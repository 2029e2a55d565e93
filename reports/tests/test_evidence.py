import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from reports.tests.conftest import jpeg_bytes
from storage.prepare import prepare_upload, safe_name

LIMIT = 5 * 1024 * 1024


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_bytes(author="Nama Pelapor") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author, "/Title": "Bukti"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_photo_loses_its_gps_and_camera_data_in_the_public_copy_but_not_in_the_original():
    prepared = prepare_upload(upload("foto.jpg", jpeg_bytes()), max_bytes=LIMIT)
    assert prepared.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(prepared.original)).getexif().get_ifd(0x8825)
    public_exif = Image.open(io.BytesIO(prepared.public)).getexif()
    assert not public_exif.get_ifd(0x8825)
    assert 0x010F not in public_exif and 0x0110 not in public_exif
    assert prepared.metadata_removed


def test_the_type_comes_from_the_content_not_the_name():
    prepared = prepare_upload(upload("screenshot.pdf", jpeg_bytes(gps=False)), max_bytes=LIMIT)
    assert prepared.content_type == "image/jpeg" and prepared.extension == "jpg"


def test_an_html_file_renamed_jpg_is_refused():
    with pytest.raises(ValidationError) as error:
        prepare_upload(upload("foto.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"), max_bytes=LIMIT)
    assert error.value.code == "bad_type"


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    with pytest.raises(ValidationError) as error:
        prepare_upload(upload("video.mp4", b"0" * (LIMIT + 1)), max_bytes=LIMIT)
    assert error.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        prepare_upload(upload("kosong.jpg", b""), max_bytes=LIMIT)


def test_a_truncated_photo_is_refused_as_damaged():
    with pytest.raises(ValidationError) as error:
        prepare_upload(upload("rusak.jpg", jpeg_bytes()[:200]), max_bytes=LIMIT)
    assert error.value.code == "damaged"


def test_a_pdf_loses_its_author_in_the_public_copy():
    prepared = prepare_upload(upload("surat.pdf", pdf_bytes()), max_bytes=LIMIT)
    assert PdfReader(io.BytesIO(prepared.original)).metadata["/Author"] == "Nama Pelapor"
    assert not (PdfReader(io.BytesIO(prepared.public)).metadata or {}).get("/Author")


def test_a_png_screenshot_is_kept_as_png():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(out, "PNG")
    prepared = prepare_upload(upload("layar.png", out.getvalue()), max_bytes=LIMIT)
    assert prepared.content_type == "image/png"
    assert Image.open(io.BytesIO(prepared.public)).size == (20, 20)


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\siti\\foto.jpg", "foto.jpg"),
    ("", "berkas"),
    ("a\x00b.jpg", "ab.jpg"),
])
def test_safe_name_keeps_only_a_printable_base_name(name, expected):
    assert safe_name(name) == expected
