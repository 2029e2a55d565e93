"""A full disk while a form's files are saved: one message on the form, what was typed kept, nothing stored.

The storages are Django's own file system storage on a disk that fills after the first byte
of each file (storage.tests.faults.FullDiskStorage, configured through settings.STORAGES):
the real ENOSPC path of storage.files, not a stand-in for our code.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEntry
from reports.models import EvidenceBlob, Message, Report
from reports.tests.test_staff import file_report
from storage.files import StorageFull
from storage.tests.faults import files_under, full_disk_storages

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_disk(settings, tmp_path):
    full_disk_storages(settings)
    return tmp_path


def stored(tmp_path):
    return files_under(tmp_path / "media") + files_under(tmp_path / "sealed")


def test_the_public_report_form_says_the_disk_is_full_and_keeps_what_was_typed(client, report_data, photo,
                                                                                full_disk):
    response = client.post(reverse("reports:submit"), {**report_data, "evidence": [photo]})
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors().as_data()
    assert [error.code for error in errors] == ["storage_full"]
    page = response.content.decode()
    assert escape(str(StorageFull.message_text)) in page
    assert "penuh" in page  # in Bahasa Indonesia
    assert escape(report_data["description"]) in page and escape(report_data["place"]) in page
    assert not Report.objects.exists() and not EvidenceBlob.objects.exists()
    assert stored(full_disk) == []  # not even the byte the full disk took


def test_a_staff_reply_with_a_file_on_a_full_disk_is_a_form_error(client, staff_beltim, places, offices, election,
                                                                 photo, settings, tmp_path):
    report = file_report(places["manggar"], election)
    full_disk_storages(settings)
    client.force_login(staff_beltim)
    body = "Mohon periksa lampiran surat ini."
    response = client.post(reverse("reports:reply", args=[report.pk]), {"body": body, "files": [photo]})
    assert response.status_code == 400
    assert [e.code for e in response.context["reply_form"].non_field_errors().as_data()] == ["storage_full"]
    page = response.content.decode()
    assert escape(str(StorageFull.message_text)) in page and body in page
    assert not Message.objects.exists() and not AuditEntry.objects.filter(action="report.staff_wrote").exists()
    assert stored(tmp_path) == []
