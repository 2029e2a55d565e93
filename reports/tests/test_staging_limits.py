"""Issue 16, item 3: forms with errors cannot fill the disk. Files wait only under a token the
server issued, within a quota per client and in total, for a short time."""

from io import StringIO

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from reports.models import StagedFile
from reports.services import staged_files_for
from reports.tests.conftest import jpeg_bytes
from reports.tracking import is_submission_token, new_submission_token

pytestmark = pytest.mark.django_db
URL = reverse("reports:submit")
COLORS = ["red", "green", "blue", "yellow", "purple", "orange"]


def photo(color: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"foto-{color}.jpg", jpeg_bytes(color=color, size=(200, 150)))


def send_back(client, report_data, *files, address="198.51.100.7", token=None):
    """A form with an error (no description) and files, from one client address."""
    data = {**report_data, "description": "", "evidence": list(files),
            "submission_token": token or new_submission_token()}
    response = client.post(URL, data, REMOTE_ADDR=address)
    assert response.status_code == 400
    return response


def error_codes(response) -> list[str]:
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


def test_a_token_the_client_made_up_keeps_no_file_and_says_so(client, report_data):
    response = send_back(client, report_data, photo("red"), token="q" * 43)
    assert not StagedFile.objects.exists() and not storages["sealed"].exists("staging")
    assert "not_staged" in error_codes(response)
    # The next try carries a token this server issued, under which files are kept.
    fresh = response.context["form"].data["submission_token"]
    assert is_submission_token(fresh)
    send_back(client, report_data, photo("red"), token=fresh)
    assert StagedFile.objects.count() == 1


def test_a_token_with_a_forged_signature_is_refused_too(client, report_data):
    issued = new_submission_token()
    forged = issued[:-4] + ("AAAA" if not issued.endswith("AAAA") else "BBBB")
    response = send_back(client, report_data, photo("red"), token=forged)
    assert not StagedFile.objects.exists() and "not_staged" in error_codes(response)


def test_one_client_stops_at_its_quota_and_is_told_which_file_was_not_kept(client, report_data, settings):
    size = len(jpeg_bytes(color="red", size=(200, 150)))
    settings.NETRAL_STAGING_QUOTA_PER_CLIENT = int(size * 2.5)  # two photos, not three
    for color in COLORS[:2]:
        send_back(client, report_data, photo(color))
    response = send_back(client, report_data, photo("blue"))  # a third form, a new token
    assert StagedFile.objects.count() == 2
    assert "staging_quota" in error_codes(response)
    assert "foto-blue.jpg" in " ".join(response.context["form"].non_field_errors())
    # Another client is not held by this one's quota.
    send_back(client, report_data, photo("blue"), address="203.0.113.20")
    assert StagedFile.objects.count() == 3


def test_all_clients_together_stop_at_the_total_quota(client, report_data, settings):
    size = len(jpeg_bytes(color="red", size=(200, 150)))
    settings.NETRAL_STAGING_QUOTA_TOTAL = int(size * 3.5)
    for number, color in enumerate(COLORS[:5]):
        send_back(client, report_data, photo(color), address=f"203.0.113.{number + 1}")
    assert StagedFile.objects.count() == 3
    assert sum(StagedFile.objects.values_list("size", flat=True)) <= settings.NETRAL_STAGING_QUOTA_TOTAL


def test_the_quota_counts_bytes_and_opens_again_when_the_window_ends(client, report_data, settings, time_machine):
    time_machine.move_to("2024-11-12 09:10 +07:00")
    size = len(jpeg_bytes(color="red", size=(200, 150)))
    settings.NETRAL_STAGING_QUOTA_PER_CLIENT = int(size * 1.5)
    send_back(client, report_data, photo("red"))
    assert "staging_quota" in error_codes(send_back(client, report_data, photo("green")))
    time_machine.move_to("2024-11-12 11:05 +07:00")  # the window (two hours, 09:00-11:00) is over
    send_back(client, report_data, photo("green"))
    assert set(StagedFile.objects.values_list("name", flat=True)) == {"foto-red.jpg", "foto-green.jpg"}


def test_staged_files_live_two_hours_and_the_daily_purge_removes_them(client, report_data, time_machine,
                                                                      django_capture_on_commit_callbacks):
    time_machine.move_to("2024-11-12 09:00 +07:00")
    token = new_submission_token()
    send_back(client, report_data, photo("red"), token=token)
    staged = StagedFile.objects.get()
    time_machine.move_to("2024-11-12 10:59 +07:00")
    assert list(staged_files_for(token=token)) == [staged]
    time_machine.move_to("2024-11-12 11:01 +07:00")
    assert not staged_files_for(token=token).exists()  # no longer offered on the form
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the deletion commits
        call_command("purge_staged_files", stdout=out)
    assert "Removed 1 staged files" in out.getvalue()
    assert not StagedFile.objects.exists() and not storages["sealed"].exists(staged.sealed_name)


def test_a_file_that_expired_while_the_form_was_open_is_explained(client, report_data, time_machine):
    time_machine.move_to("2024-11-12 09:00 +07:00")
    token = new_submission_token()
    send_back(client, report_data, photo("red"), token=token)
    staged = StagedFile.objects.get()
    time_machine.move_to("2024-11-12 12:00 +07:00")
    response = client.post(URL, {**report_data, "submission_token": token, "keep_staged": [staged.pk]})
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["keep_staged"][0].code == "invalid_choice"
    assert "2" in response.context["form"].errors["keep_staged"][0]  # "files wait at most 2 hours"


@pytest.mark.django_db
def test_a_huge_staged_file_id_is_a_message_not_a_server_error(client):
    from reports.forms import ReportForm
    from reports.models import StagedFile

    form = ReportForm(data={"keep_staged": ["1" * 250]}, staged=StagedFile.objects.all())
    assert not form.is_valid()
    assert "keep_staged" in form.errors
