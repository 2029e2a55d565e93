"""A form sent back for corrections keeps the files that arrived: nothing is uploaded twice."""

from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Report, StagedFile
from reports.services import staged_files_purge
from reports.tests.conftest import jpeg_bytes
from reports.tracking import new_submission_token

pytestmark = pytest.mark.django_db
URL = reverse("reports:submit")


def photo(color="red", name="foto.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(color=color))


def test_a_good_file_survives_a_form_error_and_is_attached_on_the_next_try(
        client, report_data, django_capture_on_commit_callbacks):
    first = client.post(URL, {**report_data, "description": "", "evidence": [photo()]})
    assert first.status_code == 400
    staged = StagedFile.objects.get()
    page = first.content.decode()
    assert "foto.jpg" in page and f'value="{staged.pk}"' in page and "checked" in page
    assert storages["sealed"].exists(staged.sealed_name)

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(URL, {**report_data, "keep_staged": [staged.pk]})
    assert second.status_code == 200
    report = Report.objects.get()
    assert [a.original_name for a in report.attachments.all()] == ["foto.jpg"]
    assert not StagedFile.objects.exists()
    assert not storages["sealed"].exists(staged.sealed_name)


def test_a_refused_file_does_not_lose_the_good_one_sent_with_it(client, report_data):
    bad = SimpleUploadedFile("palsu.jpg", b"<html>not an image</html>")
    response = client.post(URL, {**report_data, "evidence": [photo(), bad]})
    assert response.status_code == 400
    assert "palsu.jpg" in " ".join(response.context["form"].errors["evidence"])
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["foto.jpg"]
    assert not Report.objects.exists()


def test_an_unticked_staged_file_is_left_out(client, report_data):
    client.post(URL, {**report_data, "place": "", "evidence": [photo()]})
    response = client.post(URL, {**report_data, "evidence": [photo("blue", "lain.jpg")]})
    assert response.status_code == 200
    assert [a.original_name for a in Report.objects.get().attachments.all()] == ["lain.jpg"]


def test_a_staged_file_of_another_form_cannot_be_claimed(client, report_data):
    client.post(URL, {**report_data, "place": "", "evidence": [photo()]})
    foreign = StagedFile.objects.get()
    response = client.post(URL, {**report_data, "submission_token": new_submission_token(), "keep_staged": [foreign.pk]})
    assert response.status_code == 400 and "keep_staged" in response.context["form"].errors


def test_staged_files_of_abandoned_forms_are_purged(client, report_data, time_machine,
                                                     django_capture_on_commit_callbacks):
    time_machine.move_to("2024-11-12 09:00 +07:00")
    client.post(URL, {**report_data, "place": "", "evidence": [photo()]})
    name = StagedFile.objects.get().sealed_name
    time_machine.move_to("2024-11-13 10:00 +07:00")
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the deletion commits
        assert staged_files_purge(older_than=timedelta(hours=24)) == 1
    assert not StagedFile.objects.exists() and not storages["sealed"].exists(name)
