"""Case pages and actions, checked against role and jurisdiction."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from cases.services import case_register_report, case_start_study
from cases.tests.conftest import all_met, file_report
from reports.services import report_change_status

pytestmark = pytest.mark.django_db
LIST = reverse("cases:list")


@pytest.fixture
def case(report_beltim, staff_beltim):
    return case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())


def requirement_post(report, *, missing=(), **extra):
    from cases import requirements as reqs

    data = {}
    for requirement in reqs.for_regime(report.election.regime):
        if requirement.id not in missing:
            data[f"met_{requirement.id}"] = "on"
        data[f"note_{requirement.id}"] = ""
    return {**data, **extra}


def test_staff_register_a_report_through_the_requirement_check(client, staff_beltim, report_beltim):
    client.force_login(staff_beltim)
    url = reverse("cases:register_report", args=[report_beltim.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["met_within-time-limit"].initial is True  # known 11 Nov, filed 12 Nov: Netral computed it
    # Nothing else starts ticked: the NIK was typed, but the KTP and signature were never collected
    # online (issue 18); each row says where its evidence is.
    assert [name for name, field in form.fields.items() if name.startswith("met_") and field.initial] == [
        "met_within-time-limit"]
    assert "KTP" in form["met_reporter-id-card"].help_text or "ID card" in form["met_reporter-id-card"].help_text
    assert 'id="id_met_reporter-id-card_where"' in page.content.decode()
    response = client.post(url, requirement_post(report_beltim, register="1"))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    detail = client.get(case.get_absolute_url())
    assert case.number in detail.content.decode() and detail.context["deadline"].due == date(2024, 11, 15)


def test_a_missing_requirement_sends_the_report_back_to_the_reporter(client, staff_beltim, report_beltim):
    client.force_login(staff_beltim)
    url = reverse("cases:register_report", args=[report_beltim.pk])
    refused = client.post(url, requirement_post(report_beltim, missing=["evidence"], register="1"))
    assert refused.status_code == 400 and not Case.objects.exists()
    sent = client.post(url, requirement_post(report_beltim, missing=["evidence"], complete="1",
                                             message="Kirim foto."))
    assert sent.status_code == 302
    report_beltim.refresh_from_db()
    assert report_beltim.status == "needs_completion"


def test_the_report_page_offers_the_next_step_of_case_handling(client, staff_beltim, report_beltim, case):
    client.force_login(staff_beltim)
    page = client.get(report_beltim.get_absolute_url()).content.decode()
    assert case.get_absolute_url() in page


def test_an_anonymous_submission_is_registered_as_a_finding(client, staff_beltim, places, election):
    report = file_report(places["manggar"], election, anonymous=True)
    client.force_login(staff_beltim)
    url = reverse("cases:finding_from_report", args=[report.pk])
    form = client.get(url).context["form"]
    assert form.initial["summary"] == report.description
    response = client.post(url, {"election": election.pk, "region": places["manggar"].pk, "place": "Manggar",
                                 "known_on": "2024-11-12", "summary": report.description, "person_name": "Budi"})
    assert response.status_code == 302
    assert Case.objects.get().kind == "finding"


def test_the_case_list_sorts_by_deadline_and_flags_the_overdue(client, staff_beltim, case, time_machine):
    time_machine.move_to("2024-11-16 09:00 +07:00")
    client.force_login(staff_beltim)
    page = client.get(LIST)
    row = list(page.context["page"])[0]
    assert row == case and row.flag == "overdue"
    assert list(client.get(LIST, {"due": "overdue"}).context["page"]) == [case]
    assert list(client.get(LIST, {"due": "soon"}).context["page"]) == []


def test_the_case_list_query_count_does_not_grow_with_the_rows(client, staff_beltim, places, election, case):
    client.force_login(staff_beltim)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for number in range(8):
        report = report_change_status(report=file_report(places["manggar"], election, name=f"Orang {number}"),
                                      actor=staff_beltim, to_status="in_review")
        case_register_report(report=report, actor=staff_beltim, checks=all_met())
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST)
    assert len(page.context["page"]) == 9 and len(many) == len(few)


CASE_VIEWS = [("detail", "get"), ("start_study", "post"), ("extend_study", "post"), ("propose", "post"),
              ("send_back", "post"), ("approve", "post"), ("merge", "post"), ("schedule_clarification", "post"),
              ("merge_search", "get")]


@pytest.mark.parametrize(("name", "method"), CASE_VIEWS)
def test_staff_of_another_regency_get_404_on_every_case_view(client, staff_bangka, case, name, method):
    client.force_login(staff_bangka)
    url = reverse(f"cases:{name}", args=[case.pk])
    response = getattr(client, method)(url, {"note": "x", "announcement": "x"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == "registered" and not case.extended


@pytest.mark.parametrize(("name", "method"), CASE_VIEWS)
def test_the_province_reaches_every_case_view_of_its_regencies(client, staff_babel, case, name, method):
    client.force_login(staff_babel)
    response = getattr(client, method)(reverse(f"cases:{name}", args=[case.pk]), {})
    assert response.status_code in (200, 302, 400, 403)  # reached; the action's own rules decide


@pytest.mark.parametrize("name", ["register_report", "finding_from_report"])
def test_staff_of_another_regency_cannot_register_a_foreign_report(client, staff_bangka, report_beltim, name):
    client.force_login(staff_bangka)
    assert client.get(reverse(f"cases:{name}", args=[report_beltim.pk])).status_code == 404


def test_pemda_accounts_cannot_open_cases(client, pemda_beltim, case):
    client.force_login(pemda_beltim)
    assert client.get(LIST).status_code == 403
    assert client.get(case.get_absolute_url()).status_code == 403


def test_only_the_leadership_approves(client, staff_beltim, lead_beltim, case):
    from cases.services import case_propose

    case = case_start_study(case=case, actor=staff_beltim)
    case_propose(case=case, actor=staff_beltim, outcome="not_violation", legal_analysis="a", conclusion="b",
                 reason="Bukan ASN.")
    client.force_login(staff_beltim)
    assert client.post(reverse("cases:approve", args=[case.pk]), {"announcement": "x"}).status_code == 403
    client.force_login(lead_beltim)
    assert client.post(reverse("cases:approve", args=[case.pk]), {"announcement": "Bukan pelanggaran."}).status_code == 302
    case.refresh_from_db()
    assert case.status == "decided"
    letter = case.letters.get()
    page = client.get(case.get_absolute_url()).content.decode()
    assert page.count(reverse("cases:letter", args=[case.pk, letter.pk])) == 1
    assert "SHA-256" not in page.split("<body")[0]


def test_a_clarification_issues_its_invitation_letter_and_takes_minutes(client, staff_beltim, case):
    client.force_login(staff_beltim)
    response = client.post(reverse("cases:schedule_clarification", args=[case.pk]), {
        "party": "witness", "name": "Ahmad Fauzi", "scheduled_at": "2024-11-13T09:00", "place": "Kantor Bawaslu"})
    assert response.status_code == 302
    clarification = case.clarifications.get()
    letter = clarification.invitation
    pdf = client.get(reverse("cases:letter", args=[case.pk, letter.pk]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.post(reverse("cases:record_minutes", args=[case.pk, clarification.pk]), {"minutes": "Saksi melihat."})
    clarification.refresh_from_db()
    assert clarification.held and clarification.minutes == "Saksi melihat."


def test_staff_of_another_regency_cannot_read_a_case_letter(client, staff_beltim, staff_bangka, case):
    client.force_login(staff_beltim)
    client.post(reverse("cases:schedule_clarification", args=[case.pk]), {
        "party": "reported", "name": "Budi", "scheduled_at": "2024-11-13T10:00", "place": "Kantor Bawaslu"})
    letter = case.letters.get()
    client.force_login(staff_bangka)
    assert client.get(reverse("cases:letter", args=[case.pk, letter.pk])).status_code == 404


def test_evidence_of_the_case_is_assessed(client, staff_beltim, case, report_beltim):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.services import report_add_reporter_message
    from reports.tests.conftest import jpeg_bytes
    from storage.prepare import prepare_upload

    prepared = prepare_upload(SimpleUploadedFile("b.jpg", jpeg_bytes()), max_bytes=10**7)
    report_add_reporter_message(report=report_beltim, body="Foto", files=[prepared])
    attachment = report_beltim.attachments.get()
    client.force_login(staff_beltim)
    response = client.post(reverse("cases:assess_evidence", args=[case.pk, attachment.pk]),
                           {f"a{attachment.pk}-relevant": "on", f"a{attachment.pk}-note": "Foto baliho jelas."})
    assert response.status_code == 302
    assessment = case.assessments.get()
    assert assessment.relevant and assessment.note == "Foto baliho jelas."


def test_registration_suggests_open_cases_about_the_same_person_or_event(client, staff_beltim, case, places, election):
    same_person = file_report(places["manggar"], election)  # Budi Santoso again
    other = file_report(places["manggar"], election, name="Ani Lestari")
    client.force_login(staff_beltim)
    assert client.get(reverse("cases:register_report", args=[same_person.pk])).context["related"] == [case]
    # Another name, but the same story told in the same words.
    assert client.get(reverse("cases:register_report", args=[other.pk])).context["related"] == [case]
    Case.objects.filter(pk=case.pk).update(summary="Guru memasang baliho di halaman sekolah.")
    assert client.get(reverse("cases:register_report", args=[other.pk])).context["related"] == []


def test_empty_minutes_are_refused_and_the_page_keeps_the_other_rows(client, staff_beltim, case):
    client.force_login(staff_beltim)
    client.post(reverse("cases:schedule_clarification", args=[case.pk]), {
        "party": "witness", "name": "Ahmad Fauzi", "scheduled_at": "2024-11-13T09:00", "place": "Kantor Bawaslu"})
    clarification = case.clarifications.get()
    response = client.post(reverse("cases:record_minutes", args=[case.pk, clarification.pk]), {"minutes": "  "})
    assert response.status_code == 400
    (_row, form), = response.context["clarifications"]
    assert form.errors
    clarification.refresh_from_db()
    assert not clarification.held


def test_an_assessment_without_a_note_keeps_the_tick(client, staff_beltim, case, report_beltim):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.services import report_add_reporter_message
    from reports.tests.conftest import jpeg_bytes
    from storage.prepare import prepare_upload

    prepared = prepare_upload(SimpleUploadedFile("b.jpg", jpeg_bytes()), max_bytes=10**7)
    report_add_reporter_message(report=report_beltim, body="Foto", files=[prepared])
    attachment = report_beltim.attachments.get()
    client.force_login(staff_beltim)
    response = client.post(reverse("cases:assess_evidence", args=[case.pk, attachment.pk]),
                           {f"a{attachment.pk}-relevant": "on", f"a{attachment.pk}-note": ""})
    assert response.status_code == 400 and not case.assessments.exists()
    (_attachment, _done, form), = response.context["evidence"]
    assert form.errors and form["relevant"].value() is True
