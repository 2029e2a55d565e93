"""Issue 19: an event outside every election's supervised stages is not a report, but can be kept
as information: the rule of the one intake service (reports.services.report_submit), said by the
public form before anything is sent."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from cases.deadlines import report_next_deadline
from reports.models import Report
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.states import OUTSIDE_STAGES_EXPLANATION
from reports.tracking import new_submission_token
from rules.selectors import outside_stages_message

pytestmark = pytest.mark.django_db
URL = reverse("reports:submit")
OUTSIDE = {"occurred_on": "2025-06-01", "known_on": "2025-06-02"}  # after both 2024 elections' stages


def submission(election, region, *, occurred_on, known_on, as_information=False):
    return ReportSubmission(
        election=election, region=region, place="Kantor camat", occurred_on=occurred_on, known_on=known_on,
        description="Camat mengajak pegawai mendukung calon bupati dalam rapat dinas.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
        reported=[ReportedPersonInput(name="Budi Santoso")], as_information=as_information)


def test_the_service_refuses_an_event_outside_every_stage_with_the_reason(places, offices, election):
    with pytest.raises(ValidationError) as refused:
        report_submit(submission=submission(election, places["manggar"], occurred_on=date(2025, 6, 1),
                                            known_on=date(2025, 6, 2)), submission_token=new_submission_token())
    assert refused.value.code == "outside_stages"
    assert refused.value.messages == [outside_stages_message()]
    assert "16 Desember 2024" in refused.value.messages[0]  # the periods, as people write dates here
    assert not Report.objects.exists() and not AuditEntry.objects.filter(action="report.submitted").exists()


def test_sent_as_information_it_is_kept_marked_and_runs_no_registration_clock(places, offices, election):
    report = report_submit(submission=submission(election, places["manggar"], occurred_on=date(2025, 6, 1),
                                                 known_on=date(2025, 6, 2), as_information=True),
                           submission_token=new_submission_token()).report
    assert report.status == "information" and report.outside_stages
    assert report_next_deadline(report) is None
    assert report.status_changes.get().public_note  # the reporter reads why
    assert AuditEntry.objects.get(action="report.submitted").data["outside_stages"] is True


@pytest.mark.parametrize(("occurred_on", "known_on"), [
    pytest.param(date(2024, 11, 10), date(2025, 6, 2), id="happened-within-learned-later"),
    pytest.param(None, date(2024, 11, 11), id="no-event-date-learned-within"),
    pytest.param(date(2023, 5, 1), date(2023, 5, 2), id="within-the-other-elections-stages"),
])
def test_an_event_within_some_elections_stages_is_an_ordinary_report(places, offices, election, occurred_on,
                                                                    known_on):
    report = report_submit(submission=submission(election, places["manggar"], occurred_on=occurred_on,
                                                 known_on=known_on, as_information=True),
                           submission_token=new_submission_token()).report
    assert report.status == "received" and not report.outside_stages


def test_the_form_says_so_before_sending_and_keeps_what_was_typed(client, report_data):
    response = client.post(URL, {**report_data, **OUTSIDE})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.outside_stages and form.errors["as_information"] == [outside_stages_message()]
    page = response.content.decode()
    assert 'id="outside-stages"' in page and 'name="as_information"' in page
    assert 'href="#id_as_information"' in page  # the error box links to the choice
    assert report_data["description"] in page
    assert not Report.objects.exists()


def test_the_form_does_not_offer_the_choice_for_an_event_within_the_stages(client):
    page = client.get(URL).content.decode()
    assert 'id="outside-stages"' not in page


def test_the_reporter_sends_it_as_information_and_staff_see_it_marked(client, report_data, staff_beltim):
    response = client.post(URL, {**report_data, **OUTSIDE, "as_information": "on"})
    assert response.status_code == 200, response.context["form"].errors
    report = Report.objects.get()
    assert report.status == "information" and report.outside_stages
    code = response.context["code"]
    client.cookies.clear()
    client.post(reverse("reports:track"), {"code": code})
    assert str(OUTSIDE_STAGES_EXPLANATION) in client.get(reverse("reports:tracking_status")).content.decode()
    client.force_login(staff_beltim)
    inbox = client.get(reverse("reports:inbox"), {"status": "information"}).content.decode()
    detail = client.get(report.get_absolute_url()).content.decode()
    assert report.number in inbox
    assert "outside the stages" in inbox or "di luar tahapan" in inbox
    assert "outside the stages" in detail or "di luar tahapan" in detail


def test_staff_of_another_regency_cannot_open_the_kept_information(client, report_data, staff_bangka):
    client.post(URL, {**report_data, **OUTSIDE, "as_information": "on"})
    client.force_login(staff_bangka)
    assert client.get(Report.objects.get().get_absolute_url()).status_code == 404
