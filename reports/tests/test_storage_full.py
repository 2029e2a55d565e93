"""A full upload disk: the reporter is told, nothing half-made stays, the same form works later.

The disk is real: a tiny tmpfs mounted for the test (root only; skipped otherwise), filled
to the last byte. bench/faults.py runs the same fault against the production stack.
"""

import os
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils.html import escape

from reports.models import EvidenceBlob, Report

pytestmark = pytest.mark.django_db
URL = reverse("reports:submit")


@pytest.fixture
def small_disk(settings, tmp_path):
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    settings.MEDIA_ROOT = mount / "media"
    settings.SEALED_ROOT = mount / "sealed"
    settings.STORAGES = {
        **settings.STORAGES,
        "sealed": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": mount / "sealed", "base_url": None}},
    }
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(mount):
    """Write a filler file until the file system refuses another byte."""
    with open(mount / "filler", "wb", buffering=0) as handle:
        for size in (65536, 4096, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError:
                continue


def stored_files(mount):
    return sorted(str(p.relative_to(mount)) for p in mount.rglob("*") if p.is_file() and p.name != "filler")


def test_a_report_sent_to_a_full_disk_is_refused_with_a_message_and_leaves_nothing(client, report_data, photo,
                                                                                   small_disk):
    (small_disk / "media").mkdir()
    (small_disk / "sealed").mkdir()
    fill(small_disk)
    response = client.post(URL, {**report_data, "evidence": [photo]})
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors().as_data()
    assert [error.code for error in errors] == ["storage_full"]
    assert escape(str(errors[0].message)) in response.content.decode()
    assert not Report.objects.exists() and not EvidenceBlob.objects.exists()
    assert stored_files(small_disk) == []  # no partial file of the refused form


def test_the_same_form_goes_through_once_space_is_freed_and_makes_one_report(client, report_data, photo,
                                                                             small_disk):
    fill(small_disk)
    assert client.post(URL, {**report_data, "evidence": [photo]}).status_code == 400
    (small_disk / "filler").unlink()
    photo.seek(0)
    again = client.post(URL, {**report_data, "evidence": [photo]})
    assert again.status_code == 200 and not again.context["repeated"]
    photo.seek(0)
    third = client.post(URL, {**report_data, "evidence": [photo]})
    assert third.context["repeated"]
    assert Report.objects.count() == 1 and EvidenceBlob.objects.count() == 1
    assert len(stored_files(small_disk)) == 2  # the sealed original and the public copy
