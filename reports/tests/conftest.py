import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports.tracking import new_submission_token

SCRIPT = "<script>alert('x')</script>"


def jpeg_bytes(*, gps: bool = True, size=(64, 48), color="red") -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone of the reporter"  # Model
    if gps:
        exif[0x8825] = {1: "S", 2: (2.0, 50.0, 0.0), 3: "E", 4: (108.0, 17.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def _full_box(kind: bytes, payload: bytes = b"", *, flags: int = 0) -> bytes:
    return _box(kind, struct.pack(">I", flags) + payload)  # version 0


def mp4_bytes(*, handler: bytes = b"vide", seconds: int = 1, media: bytes = b"\0" * 64) -> bytes:
    """A real, small MP4 (ISO base media file): 'ftyp', a 'moov' with its movie header and one
    track (a video track unless ``handler`` says otherwise), and the media data ('mdat')."""
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
    mvhd = _full_box(b"mvhd", struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + struct.pack(">IH", 0x10000, 0x100)
                     + b"\0" * 10 + matrix + b"\0" * 24 + struct.pack(">I", 2))
    tkhd = _full_box(b"tkhd", struct.pack(">IIIII", 0, 0, 1, 0, seconds * 1000) + b"\0" * 8
                     + struct.pack(">hhhH", 0, 0, 0, 0) + matrix + struct.pack(">II", 16 << 16, 16 << 16), flags=3)
    mdhd = _full_box(b"mdhd", struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + struct.pack(">HH", 0x55C4, 0))
    hdlr = _full_box(b"hdlr", struct.pack(">I4s", 0, handler) + b"\0" * 12 + b"Handler\0")
    stbl = _box(b"stbl", _full_box(b"stsd", struct.pack(">I", 0)) + _full_box(b"stts", struct.pack(">I", 0))
                + _full_box(b"stsc", struct.pack(">I", 0)) + _full_box(b"stsz", struct.pack(">II", 0, 0))
                + _full_box(b"stco", struct.pack(">I", 0)))
    dinf = _box(b"dinf", _full_box(b"dref", struct.pack(">I", 1) + _full_box(b"url ", flags=1)))
    minf = _box(b"minf", _full_box(b"vmhd", b"\0" * 8, flags=1) + dinf + stbl)
    moov = _box(b"moov", mvhd + _box(b"trak", tkhd + _box(b"mdia", mdhd + hdlr + minf)))
    return ftyp + moov + _box(b"mdat", media)


@pytest.fixture
def photo():
    return SimpleUploadedFile("foto bukti.jpg", jpeg_bytes(), content_type="image/jpeg")


@pytest.fixture
def election(rules):
    from rules.models import Election

    return Election.objects.get(pk="pilkada-2024")


@pytest.fixture
def report_data(places, offices, election):
    """A complete, valid POST of the public form (reporter with identity, one reported person)."""
    from rules.models import Violation

    violation = Violation.objects.filter(active=True).order_by("position").first()
    return {
        "submission_token": new_submission_token(),
        "identity": "identified",
        "reporter_name": "Siti Aminah",
        "reporter_address": "Jl. Merdeka 1, Manggar",
        "reporter_nik": "1906014107850001",
        "reporter_phone": "0812 3456 7890",
        "reporter_email": "siti@example.org",
        "election": election.pk,
        "region": places["manggar"].pk,
        "place": "Balai Desa Lalang",
        "occurred_on": "2024-11-10",
        "known_on": "2024-11-11",
        "description": "Seorang kepala dinas memasang baliho calon bupati di depan kantornya.",
        "violations": [violation.pk],
        "links": "https://facebook.com/post/123",
        "truthful": "on",
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "5",
        "persons-0-employee": "",
        "persons-0-name": "Budi Santoso",
        "persons-0-position": "Kepala Dinas",
        "persons-0-unit": "Dinas Kesehatan",
    }


@pytest.fixture
def django_app_client():
    """A second browser: its own cookies, the same server."""
    from django.test import Client

    return Client()
