"""The staff side: inbox, detail, identity, replies and status, each checked against jurisdiction."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import new_submission_token

pytestmark = pytest.mark.django_db
INBOX = reverse("reports:inbox")


def file_report(region, election, *, anonymous=False, name="Budi Santoso"):
    submission = ReportSubmission(
        election=election, region=region, place="Kantor camat", known_on=date(2024, 11, 11),
        description="ASN ikut kampanye terbuka pasangan calon.",
        reporter=None if anonymous else ReporterIdentity(name="Siti Aminah", address="Manggar"),
        reported=[ReportedPersonInput(name=name, position="Camat")],
    )
    return report_submit(submission=submission, submission_token=new_submission_token()).report


@pytest.fixture
def report_beltim(places, offices, election):
    return file_report(places["manggar"], election)


@pytest.fixture
def report_bangka(places, offices, election):
    return file_report(places["sungailiat"], election, name="Andi Bangka")


# --- Access -------------------------------------------------------------------------------

def test_the_inbox_shows_only_the_staff_member_s_regency(client, staff_beltim, report_beltim, report_bangka):
    client.force_login(staff_beltim)
    page = client.get(INBOX)
    assert list(page.context["page"]) == [report_beltim]


def test_the_province_sees_the_reports_of_its_regencies(client, staff_babel, report_beltim, report_bangka):
    client.force_login(staff_babel)
    assert set(client.get(INBOX).context["page"]) == {report_beltim, report_bangka}


@pytest.mark.parametrize("action", ["detail", "reveal_identity", "reply", "change_status", "staff_file"])
def test_staff_of_another_regency_gets_404_on_every_report_view(client, staff_bangka, report_beltim, action):
    client.force_login(staff_bangka)
    args = [report_beltim.pk] + ([1] if action == "staff_file" else [])
    url = reverse(f"reports:{action}", args=args)
    response = client.get(url) if action in ("detail", "staff_file") else client.post(
        url, {"body": "x", "to_status": "in_review"})
    assert response.status_code == 404
    report_beltim.refresh_from_db()
    assert report_beltim.status == "received" and not report_beltim.messages.exists()
    assert not AuditEntry.objects.filter(action__in=["report.identity_viewed", "report.staff_wrote"]).exists()


def test_a_pemda_account_cannot_open_the_report_inbox(client, pemda_beltim, report_beltim):
    client.force_login(pemda_beltim)
    assert client.get(INBOX).status_code == 403
    assert client.get(report_beltim.get_absolute_url()).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login(client, report_beltim):
    response = client.get(report_beltim.get_absolute_url())
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_staff_login_page_logs_in_and_lands_on_today_with_the_inbox_a_click_away(client, staff_beltim):
    from accounts.tests.otp import confirmed_totp_device, log_in, totp_code

    response = log_in(client, "staf.beltim", code=totp_code(confirmed_totp_device(staff_beltim)))
    landing = client.get(response["Location"])["Location"]
    assert response.status_code == 302 and landing == reverse("portal:staff_home")
    assert f'href="{INBOX}"' in client.get(landing).content.decode()


# --- Reading ------------------------------------------------------------------------------

def test_the_identity_is_hidden_until_asked_and_every_look_is_audited(client, staff_beltim, report_beltim):
    # The one-step reveal of an office without the second person (two people: test_identity_reveal.py).
    report_beltim.office.identity_reveal_needs_approval = False
    report_beltim.office.save(update_fields=["identity_reveal_needs_approval"])
    client.force_login(staff_beltim)
    assert "Siti Aminah" not in client.get(report_beltim.get_absolute_url()).content.decode()
    page = client.post(reverse("reports:reveal_identity", args=[report_beltim.pk]))
    assert "Siti Aminah" in page.content.decode()
    entry = AuditEntry.objects.get(action="report.identity_viewed")
    assert entry.actor == staff_beltim and entry.target_id == str(report_beltim.pk)


def test_opening_a_report_clears_its_unread_flag(client, staff_beltim, report_beltim):
    client.force_login(staff_beltim)
    assert client.get(INBOX, {"unread": "on"}).context["page"].paginator.count == 1
    client.get(report_beltim.get_absolute_url())
    assert client.get(INBOX, {"unread": "on"}).context["page"].paginator.count == 0


def test_the_inbox_filters_by_status_and_searches_by_reported_name(client, staff_babel, report_beltim, report_bangka):
    client.force_login(staff_babel)
    assert list(client.get(INBOX, {"q": "Andi"}).context["page"]) == [report_bangka]
    assert list(client.get(INBOX, {"status": "in_review"}).context["page"]) == []


def test_the_province_filters_its_inbox_by_regency(client, staff_babel, report_beltim, report_bangka):
    client.force_login(staff_babel)
    assert list(client.get(INBOX, {"region": "19.01"}).context["page"]) == [report_bangka]
    assert list(client.get(INBOX, {"region": "19.06.01"}).context["page"]) == [report_beltim]


def test_a_region_outside_the_jurisdiction_is_not_a_filter_choice(client, staff_beltim, report_beltim):
    client.force_login(staff_beltim)
    response = client.get(INBOX, {"region": "19.01"})
    assert "region" in response.context["filters"].errors


def test_the_inbox_query_count_does_not_grow_with_the_rows(client, staff_beltim, places, election):
    file_report(places["manggar"], election)
    client.force_login(staff_beltim)
    with CaptureQueriesContext(connection) as few:
        assert client.get(INBOX).status_code == 200
    for number in range(12):
        file_report(places["manggar"], election, name=f"Orang {number}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(INBOX)
    assert len(page.context["page"]) == 13
    assert len(many) == len(few)


def test_the_inbox_is_paginated(client, staff_beltim, places, election):
    for number in range(27):
        file_report(places["manggar"], election, name=f"Orang {number}")
    client.force_login(staff_beltim)
    first = client.get(INBOX)
    assert len(first.context["page"]) == 25 and first.context["page"].has_next()
    assert len(client.get(INBOX, {"page": 2}).context["page"]) == 2


# --- Acting -------------------------------------------------------------------------------

def test_a_reply_reaches_the_reporter_s_page(client, staff_beltim, report_beltim):
    client.force_login(staff_beltim)
    response = client.post(reverse("reports:reply", args=[report_beltim.pk]), {"body": "Mohon kirim foto baliho."})
    assert response.status_code == 302
    message = report_beltim.messages.get()
    assert message.sender == "staff" and message.author == staff_beltim
    assert AuditEntry.objects.filter(action="report.staff_wrote", actor=staff_beltim).exists()


def test_status_moves_follow_the_state_machine(client, staff_beltim, report_beltim):
    client.force_login(staff_beltim)
    url = reverse("reports:change_status", args=[report_beltim.pk])
    assert client.post(url, {"to_status": "not_registered", "public_note": "x"}).status_code == 400
    assert client.post(url, {"to_status": "in_review"}).status_code == 302
    refused = client.post(url, {"to_status": "not_registered", "public_note": ""})
    assert refused.status_code == 400 and refused.context["status_form"].non_field_errors()
    assert client.post(url, {"to_status": "not_registered", "public_note": "Terlapor bukan ASN."}).status_code == 302
    report_beltim.refresh_from_db()
    assert report_beltim.status == "not_registered"
    assert [c.to_status for c in report_beltim.status_changes.all()] == ["received", "in_review", "not_registered"]
    assert AuditEntry.objects.filter(action="report.status_changed").count() == 2


def test_registration_is_not_a_plain_status_move(client, staff_beltim, report_beltim):
    """Registering needs the requirements check of case handling, not the status form."""
    client.force_login(staff_beltim)
    url = reverse("reports:change_status", args=[report_beltim.pk])
    client.post(url, {"to_status": "in_review"})
    for target in ("registered", "needs_completion", "information"):
        assert client.post(url, {"to_status": target, "public_note": "x"}).status_code == 400
