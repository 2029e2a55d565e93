import pytest
from django.urls import reverse

from cases.services import case_approve, case_propose, case_register_report, case_start_study
from cases.tests.conftest import all_met, file_report
from reports.services import report_change_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(places, offices, rules, staff_beltim, lead_beltim, time_machine):
    from rules.models import Election

    time_machine.move_to("2024-11-12 10:00 +07:00")
    report = file_report(places["manggar"], Election.objects.get(pk="pilkada-2024"))
    report = report_change_status(report=report, actor=staff_beltim, to_status="in_review")
    case = case_register_report(report=report, actor=staff_beltim, checks=all_met())
    case = case_start_study(case=case, actor=staff_beltim)
    case = case_propose(case=case, actor=staff_beltim, outcome="not_violation", legal_analysis="a", conclusion="b",
                        reason="Terlapor bukan ASN.")
    return case_approve(case=case, actor=lead_beltim, announcement="Laporan bukan pelanggaran netralitas ASN.")


def test_the_portal_publishes_the_outcome_without_the_reporter_or_the_reported_name(client, decided):
    page = client.get(reverse("portal:announcements")).content.decode()
    assert decided.number in page and "Laporan bukan pelanggaran netralitas ASN." in page
    assert "Siti Aminah" not in page and "Budi Santoso" not in page
    # The position as typed ("Camat Manggar") names one person: never published (issue 18, item 10).
    assert "Camat" not in page


def test_the_announcement_letter_is_public(client, decided):
    response = client.get(reverse("portal:announcement_pdf", args=[decided.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_an_undecided_case_has_no_public_letter(client, places, offices, rules, staff_beltim):
    assert client.get(reverse("portal:announcement_pdf", args=[999])).status_code == 404


def test_a_case_number_past_the_database_s_range_has_no_letter_either(client, decided):
    # Was an OverflowError (a 500) on SQLite: found by test_public_fuzz.py.
    assert client.get(reverse("portal:announcement_pdf", args=[10**23])).status_code == 404


def test_the_reporter_reads_the_announcement_on_the_tracking_page(decided):
    report = decided.case_reports.get().report
    assert "Laporan bukan pelanggaran netralitas ASN." in report.status_changes.last().public_note


def test_the_tracking_page_heads_with_the_outcome_and_labels_each_entry(client, decided):
    # Issue 18: after the decision the headline said "Diregistrasi ... sedang dikaji" and the
    # outcome was a timeline entry labelled "Diregistrasi".
    from reports.views import TRACKED

    report = decided.case_reports.get().report
    session = client.session
    session[TRACKED] = report.pk
    session.save()
    page = client.get(reverse("reports:tracking_status"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    headline = page.split('id="status-headline">')[1].split("</strong>")[0]
    assert headline == "Diputuskan: Bukan pelanggaran"
    timeline = page.split('class="timeline"')[1].split("</ol>")[0]
    assert "<strong>Diputuskan: Bukan pelanggaran</strong>" in timeline
    assert timeline.count("<strong>Diregistrasi</strong>") == 1
