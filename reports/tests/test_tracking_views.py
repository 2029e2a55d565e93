"""The reporter's side after submitting: the code, the status page, messages, files, withdrawal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from reports.models import Message, Report
from reports.tests.conftest import jpeg_bytes
from reports.tracking import new_submission_token

pytestmark = pytest.mark.django_db
TRACK = reverse("reports:track")
STATUS = reverse("reports:tracking_status")


@pytest.fixture
def filed(client, report_data, photo):
    """A report filed through the form; returns (report, code)."""
    response = client.post(reverse("reports:submit"), {**report_data, "evidence": [photo]})
    client.cookies.clear()
    return Report.objects.get(), response.context["code"]


def test_the_code_opens_the_status_page(client, filed):
    report, code = filed
    response = client.post(TRACK, {"code": code.lower()})
    assert response.status_code == 302 and response["Location"] == STATUS
    page = client.get(STATUS)
    assert page.status_code == 200 and report.number in page.content.decode()
    assert "Siti Aminah" not in page.content.decode()


def test_an_unknown_or_malformed_code_is_refused_with_a_message(client, filed):
    for code in ("ABCD-EFGH-JKMN-PQRS", "not a code"):
        response = client.post(TRACK, {"code": code})
        assert response.status_code == 400
        assert response.context["form"].errors["code"]
    assert client.get(STATUS).status_code == 302


def test_the_status_page_without_a_code_sends_to_the_code_form(client):
    response = client.get(STATUS)
    assert response.status_code == 302 and response["Location"] == TRACK


def test_guessing_is_limited_per_browser_session_but_the_right_code_still_opens(client, filed, settings):
    _report, code = filed
    for _ in range(5):
        assert client.post(TRACK, {"code": "ABCD-EFGH-JKMN-PQRS"}).status_code == 400
    assert client.post(TRACK, {"code": "ABCD-EFGH-JKMN-PQRT"}).status_code == 429
    assert client.post(TRACK, {"code": code}).status_code == 302  # 80 bits: nothing to gain by guessing


def test_a_reporter_behind_an_address_that_spent_its_budget_still_gets_in(filed, settings):
    """Issue 16: thousands share one address on Indonesian mobile networks (carrier NAT)."""
    from django.test import Client

    _report, code = filed
    settings.NETRAL_TRACKING_FAILURES_PER_ADDRESS = "20/10m"
    for _ in range(20):
        Client().post(TRACK, {"code": "ABCD-EFGH-JKMN-PQRS"}, REMOTE_ADDR="10.9.9.9")
    assert Client().post(TRACK, {"code": "ABCD-EFGH-JKMN-PQRS"}, REMOTE_ADDR="10.9.9.9").status_code == 429
    reporter = Client()
    assert reporter.post(TRACK, {"code": code}, REMOTE_ADDR="10.9.9.9").status_code == 302
    assert reporter.get(STATUS).status_code == 200


def test_a_colleague_behind_the_same_address_is_not_blocked_by_another_s_mistakes(client, filed, django_app_client):
    _report, code = filed
    for _ in range(6):
        client.post(TRACK, {"code": "ABCD-EFGH-JKMN-PQRS"}, REMOTE_ADDR="10.1.1.1")
    response = django_app_client.post(TRACK, {"code": code}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302


def test_a_flood_from_one_address_without_cookies_is_stopped(filed, settings):
    from django.test import Client

    settings.NETRAL_TRACKING_FAILURES_PER_ADDRESS = "20/10m"
    statuses = [Client().post(TRACK, {"code": "ABCD-EFGH-JKMN-PQRS"}, REMOTE_ADDR="10.9.9.9").status_code
                for _ in range(22)]
    assert statuses[:20] == [400] * 20 and statuses[20:] == [429, 429]


def test_the_reporter_writes_with_a_file_and_staff_see_it_unread(client, filed, staff_beltim):
    report, code = filed
    client.post(TRACK, {"code": code})
    extra = SimpleUploadedFile("tambahan.jpg", jpeg_bytes(color="blue"))
    response = client.post(reverse("reports:tracking_message"), {"body": "Ada foto tambahan.", "files": [extra]})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.sender == "reporter" and message.attachments.count() == 1
    report.refresh_from_db()
    assert report.unread_by_staff
    assert AuditEntry.objects.filter(action="report.reporter_wrote").exists()
    attachment = message.attachments.get()
    assert client.get(reverse("reports:tracking_file", args=[attachment.pk])).status_code == 200


def test_an_empty_message_is_refused(client, filed):
    _report, code = filed
    client.post(TRACK, {"code": code})
    response = client.post(reverse("reports:tracking_message"), {"body": ""})
    assert response.status_code == 400 and not Message.objects.exists()


def test_the_reporter_reads_only_files_of_their_own_report(client, filed, report_data):
    report, code = filed
    other = client.post(reverse("reports:submit"), {
        **report_data, "submission_token": new_submission_token(),
        "evidence": [SimpleUploadedFile("lain.jpg", jpeg_bytes(color="green"))],
    })
    other_report = other.context["report"]
    client.post(TRACK, {"code": code})
    foreign = other_report.attachments.get()
    assert client.get(reverse("reports:tracking_file", args=[foreign.pk])).status_code == 404


def test_evidence_is_served_as_an_image_with_a_sandbox_never_as_a_page(client, filed):
    report, code = filed
    client.post(TRACK, {"code": code})
    response = client.get(reverse("reports:tracking_file", args=[report.attachments.get().pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_reporter_withdraws_before_registration_and_not_after(client, filed, staff_beltim):
    report, code = filed
    client.post(TRACK, {"code": code})
    assert client.post(reverse("reports:tracking_withdraw"), {"reason": "Salah orang"}).status_code == 400
    assert client.post(reverse("reports:tracking_withdraw"), {"reason": "Salah orang", "confirm": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "withdrawn"
    assert AuditEntry.objects.filter(action="report.withdrawn").exists()
    assert client.post(reverse("reports:tracking_withdraw"), {"confirm": "on"}).status_code == 400


def test_leaving_forgets_the_report_in_this_browser(client, filed):
    _report, code = filed
    client.post(TRACK, {"code": code})
    client.post(reverse("reports:tracking_exit"))
    assert client.get(STATUS).status_code == 302
