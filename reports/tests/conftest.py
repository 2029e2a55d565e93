import io

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
