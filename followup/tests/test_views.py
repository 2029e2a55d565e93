"""The staff pages of the follow-up: forms keep what was typed, refusals are clear, one record per submit."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext, override

from audit.models import AuditEntry
from followup.models import Decision, Notice, Recommendation
from followup.services import reminders_send
from followup.tests.test_services import pdf_bytes

pytestmark = pytest.mark.django_db

LIST = reverse("followup:list")


def detail(rec):
    return reverse("followup:detail", args=[rec.pk])


def sk_upload(name="sk.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# --- the inbox ------------------------------------------------------------------------------------

def _copies(recommended, count):
    """More rows for the list (plain copies: the list's query count is what is measured here)."""
    violations = list(recommended.violations.all())
    for index in range(count):
        copy = Recommendation.objects.get(pk=recommended.pk)
        copy.pk, copy.person, copy.number = None, None, f"{recommended.number}-{index}"
        copy.save()
        copy.violations.set(violations)


def test_the_inbox_query_count_does_not_grow_with_the_rows(client, recommended, ppk_beltim):
    _copies(recommended, 1)
    client.force_login(ppk_beltim)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).context["page"]) == 2
    _copies(recommended, 28)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["page"]) == 25 and response.context["page"].paginator.count == 30
    assert len(many) == len(few)


def test_the_inbox_flags_overdue_and_escalated_rows_and_shows_unread_notices(client, ppk_beltim, recommended,
                                                                             time_machine, settings):
    client.force_login(ppk_beltim)
    page = client.get(LIST)
    assert [notice.recommendation for notice in page.context["notices"]] == [recommended]
    assert not list(page.context["page"])[0].overdue
    time_machine.move_to("2024-12-06 09:00 +07:00")
    settings.NETRAL_REMINDER_INTERVAL_DAYS, settings.NETRAL_REMINDERS_BEFORE_ESCALATION = 1, 1
    reminders_send()
    time_machine.move_to("2024-12-07 09:00 +07:00")
    reminders_send()  # the second reminder escalates
    client.force_login(ppk_beltim)  # a new working day, a new session
    page = client.get(LIST)
    row = list(page.context["page"])[0]
    assert row.overdue and row.escalation_level == 1
    html = page.content.decode()
    assert 'class="row-overdue"' in html and html.count('badge overdue') >= 2
    assert list(client.get(LIST, {"state": "escalated"}).context["page"]) == [recommended]
    assert list(client.get(LIST, {"state": "closed"}).context["page"]) == []
    assert list(client.get(LIST, {"q": "Rudi"}).context["page"]) == [recommended]


def test_opening_a_recommendation_marks_its_notices_read(client, ppk_beltim, recommended):
    client.force_login(ppk_beltim)
    assert Notice.objects.filter(user=ppk_beltim, read_at__isnull=True).exists()
    response = client.get(detail(recommended))
    assert response.status_code == 200
    assert not Notice.objects.filter(user=ppk_beltim, read_at__isnull=True).exists()
    html = response.content.decode()
    assert recommended.limit_citation in html and "Perpres 92/2024" in html
    assert reverse("followup:letter", args=[recommended.pk, recommended.letter_id]) in html
    assert reverse("followup:employee", args=[recommended.employee_id]) in html
    # The case number is a link for Bawaslu staff only.
    assert recommended.case.get_absolute_url() not in html
    client.force_login(recommended.case.registered_by)
    assert recommended.case.get_absolute_url() in client.get(detail(recommended)).content.decode()


# --- acknowledging ---------------------------------------------------------------------------------

def test_acknowledging_twice_records_once(client, recommended, pemda_beltim):
    client.force_login(pemda_beltim)
    url = reverse("followup:acknowledge", args=[recommended.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    recommended.refresh_from_db()
    assert recommended.status == "acknowledged" and recommended.acknowledged_by == pemda_beltim
    assert AuditEntry.objects.filter(action="followup.acknowledged").count() == 1


# --- the authority's recommendation ----------------------------------------------------------------

def test_the_recommendation_form_is_prefilled_from_the_register_and_the_case(client, forwarded, authority_bkn,
                                                                           agencies):
    client.force_login(authority_bkn)
    form = client.get(detail(forwarded)).context["issue_form"]
    person = forwarded.case.persons.get()
    assert form.initial["person"] == person and form.initial["addressee"] == agencies["beltim"].pk
    assert form.initial["employee_kind"] == "pns" and form.initial["position_class"] == "pengawas"
    assert [v.pk for v in form.initial["violations"]] == ["partisan-photo"]
    # Only what the catalog allows for an ethics violation by a PNS: the moral sanction.
    assert [key for key, _label in form.fields["grade"].choices if key] == ["moral"]


def test_the_sanction_list_follows_the_kind_of_employee(client, forwarded, authority_bkn):
    client.force_login(authority_bkn)
    url = reverse("followup:issue_grades", args=[forwarded.pk])
    response = client.get(url, {"employee_kind": "contract", "violations": ["partisan-photo"]},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [key for key, _label in response.context["form"].fields["grade"].choices if key] == ["contract"]
    response = client.get(url, {"employee_kind": "pns", "violations": ["campaign-mobilising-pns"]})
    assert [key for key, _label in response.context["form"].fields["grade"].choices if key] == ["discipline:heavy"]


def _issue_data(forwarded, agencies, **changes):
    data = {"person": forwarded.case.persons.get().pk, "addressee": agencies["beltim"].pk, "employee_kind": "pns",
            "position_class": "pengawas", "violations": ["partisan-photo"], "grade": "moral",
            "considerations": "Terlapor mengakui mengunggah foto tersebut."}
    data.update(changes)
    return data


def test_a_recommendation_form_with_errors_keeps_what_was_typed(client, forwarded, authority_bkn, agencies):
    client.force_login(authority_bkn)
    url = reverse("followup:issue", args=[forwarded.pk])
    response = client.post(url, _issue_data(forwarded, agencies, grade="discipline:heavy"))
    assert response.status_code == 400
    form = response.context["issue_form"]
    assert "grade" in form.errors
    html = response.content.decode()
    assert "Terlapor mengakui mengunggah foto tersebut." in html
    assert 'value="pengawas" selected' in html
    assert not Recommendation.objects.filter(stage="ppk").exists()


def test_the_authority_issues_once_even_when_the_form_is_sent_twice(client, forwarded, authority_bkn, agencies,
                                                                   pemda_beltim):
    client.force_login(authority_bkn)
    url = reverse("followup:issue", args=[forwarded.pk])
    first = client.post(url, _issue_data(forwarded, agencies))
    assert first.status_code == 302
    second = client.post(url, _issue_data(forwarded, agencies))
    assert second.status_code == 400
    assert Recommendation.objects.filter(stage="ppk").count() == 1
    issued = Recommendation.objects.get(stage="ppk")
    assert issued.sanction_family == "moral" and issued.letter.file.read().startswith(b"%PDF-")
    forwarded.refresh_from_db()
    assert forwarded.status == "answered"
    assert Notice.objects.filter(user=pemda_beltim, recommendation=issued, kind="received").exists()


def test_the_authority_may_close_a_forwarding_with_reasons(client, forwarded, authority_bkn):
    client.force_login(authority_bkn)
    url = reverse("followup:refuse", args=[forwarded.pk])
    response = client.post(url, {"reason": "Belum cukup"})
    assert response.status_code == 400 and "Belum cukup" in response.content.decode()
    assert client.post(url, {"reason": "Terlapor telah diberhentikan sebelum penerusan diterima."}).status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.status == "refused" and forwarded.decision.reason.startswith("Terlapor telah")


# --- the PPK's decision ------------------------------------------------------------------------------

def _decision_data(**changes):
    data = {"outcome": "imposed", "sanction": "moral-statement-open", "letter_number": "800/123/BKPSDM/2024",
            "letter_date": "2024-12-02", "upload": sk_upload(), "reason": ""}
    data.update(changes)
    return data


def test_only_the_allowed_sanctions_are_offered(client, recommended, ppk_beltim):
    client.force_login(ppk_beltim)
    form = client.get(detail(recommended)).context["decision_form"]
    offered = [key for key, _label in form.fields["sanction"].widget.choices if key]
    assert offered == ["moral-statement-closed", "moral-statement-open"]


def test_a_disallowed_sanction_is_refused_with_a_clear_message_and_the_input_kept(client, recommended, ppk_beltim):
    client.force_login(ppk_beltim)
    response = client.post(reverse("followup:decide", args=[recommended.pk]),
                           _decision_data(sanction="pns-demotion-12-months", letter_number="800/999/BKPSDM/2024"))
    assert response.status_code == 400
    errors = response.context["decision_form"].errors["sanction"]
    with override("id"):
        expected = gettext("“%(sanction)s” is not a sanction for the violated provisions of this case.") % {
            "sanction": "Penurunan jabatan setingkat lebih rendah selama 12 bulan"}
    assert errors == [expected]  # in Indonesian: the sanction's Indonesian title, the page's language
    html = response.content.decode()
    assert 'value="800/999/BKPSDM/2024"' in html and 'value="2024-12-02"' in html
    assert response.wsgi_request.LANGUAGE_CODE == "id"
    assert not Decision.objects.exists()


def test_a_refusal_without_reasons_keeps_the_typed_text(client, recommended, pemda_beltim):
    client.force_login(pemda_beltim)
    response = client.post(reverse("followup:decide", args=[recommended.pk]),
                           {"outcome": "refused", "reason": "Tidak perlu"})
    assert response.status_code == 400
    assert "reason" in response.context["decision_form"].errors
    assert "Tidak perlu" in response.content.decode()


def test_double_submit_of_a_decision_makes_one_record(client, recommended, ppk_beltim, pemda_beltim, staff_beltim):
    client.force_login(ppk_beltim)
    url = reverse("followup:decide", args=[recommended.pk])
    assert client.post(url, _decision_data()).status_code == 302
    second = client.post(url, _decision_data())
    assert second.status_code == 400
    assert Decision.objects.count() == 1
    recommended.refresh_from_db()
    assert recommended.status == "sanctioned" and recommended.closed_on == date(2024, 12, 2)
    assert Notice.objects.filter(user=staff_beltim, recommendation=recommended, kind="decided").exists()
    page = client.get(detail(recommended)).content.decode()
    assert "800/123/BKPSDM/2024" in page and reverse("followup:decision_file", args=[recommended.pk]) in page


def test_a_decision_with_a_file_that_is_not_a_letter_writes_nothing(client, recommended, ppk_beltim, tmp_path):
    client.force_login(ppk_beltim)
    response = client.post(reverse("followup:decide", args=[recommended.pk]), _decision_data(
        upload=SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")))
    assert response.status_code == 400 and "upload" in response.context["decision_form"].errors
    assert not Decision.objects.exists()
    assert not list((tmp_path / "media").glob("decisions/**/*"))


# --- the case page and the register entry ------------------------------------------------------

def test_the_case_page_shows_the_follow_up_of_a_forwarded_case(client, recommended, staff_beltim):
    client.force_login(staff_beltim)
    response = client.get(recommended.case.get_absolute_url())
    html = response.content.decode()
    assert 'id="followup-panel"' in html
    assert recommended.number in html and recommended.parent.number in html


def test_the_register_entry_shows_the_history_and_flags_a_repeat_offender(client, recommended, authority_bkn,
                                                                          pemda_beltim, places, election,
                                                                          staff_beltim, lead_beltim, camat, agencies):
    from followup.sanctions import Grade
    from followup.services import recommendation_issue
    from followup.tests.conftest import forward_case
    from reports.services import ReportedPersonInput

    client.force_login(pemda_beltim)
    url = reverse("followup:employee", args=[camat.pk])
    page = client.get(url)
    assert 'id="repeat"' not in page.content.decode() and camat.nip in page.content.decode()
    case = forward_case(region=places["manggar"], election=election, staff=staff_beltim, lead=lead_beltim,
                        persons=[ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)],
                        violations=("social-media-campaign",))
    forwarding = Recommendation.objects.get(case=case, stage="authority")
    second = recommendation_issue(forwarding=forwarding, actor=authority_bkn, person=case.persons.get(),
                                  addressee=agencies["beltim"], employee_kind="pns", position_class="pengawas",
                                  violations=forwarding.violations.all(), grade=Grade("moral", ""))
    page = client.get(url)
    html = page.content.decode()
    assert 'id="repeat"' in html and recommended.number in html and second.number in html
    detail_page = client.get(detail(second)).content.decode()
    assert 'id="previous"' in detail_page
