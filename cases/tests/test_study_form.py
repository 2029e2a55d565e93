"""The study form (kajian): it starts from the reporter's choice, groups the provisions like the
public catalog, and warns about a provision of another category until staff confirm (issue 18)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.forms import ProposeForm
from cases.models import Case
from cases.services import (
    case_person_set_subject,
    case_register_finding,
    case_register_report,
    case_start_study,
)
from cases.tests.conftest import all_met
from reports.services import (
    ReportedPersonInput,
    ReporterIdentity,
    ReportSubmission,
    report_change_status,
    report_submit,
)
from reports.tracking import new_submission_token
from rules.models import Violation
from rules.selectors import violations_by_family

pytestmark = pytest.mark.django_db

FACEBOOK_POST = "Camat Manggar mengunggah ajakan memilih calon bupati di akun Facebook pribadinya."


def file_report(places, election, *, acts=("social-media-campaign",), anonymous=False):
    submission = ReportSubmission(
        election=election, region=places["manggar"], place="Akun Facebook", known_on=date(2024, 11, 11),
        occurred_on=date(2024, 11, 10), description=FACEBOOK_POST,
        reporter=None if anonymous else ReporterIdentity(name="Siti Aminah", address="Manggar",
                                                         nik="1906014107850001"),
        reported=[ReportedPersonInput(name="Budi Santoso", position="Camat")],
        violations=list(Violation.objects.filter(pk__in=acts)), links=["https://www.facebook.com/budi/posts/1"],
    )
    return report_submit(submission=submission, submission_token=new_submission_token()).report


@pytest.fixture
def studied(places, offices, election, staff_beltim):
    """A case in study about a Facebook post, the reporter having chosen the social-media act."""
    report = report_change_status(report=file_report(places, election), actor=staff_beltim, to_status="in_review")
    case = case_register_report(report=report, actor=staff_beltim, checks=all_met())
    case_person_set_subject(person=case.persons.get(), actor=staff_beltim, subject="pns")
    return case_start_study(case=case, actor=staff_beltim)


def study_post(*acts, acknowledged=False, outcome="forwarded_authority"):
    data = {"outcome": outcome, "violations": list(acts), "legal_analysis": "Unggahan terlapor memenuhi unsur.",
            "conclusion": "Terbukti melanggar netralitas ASN.", "reason": "", "forwarded_to": ""}
    if acknowledged:
        data["warnings_acknowledged"] = "on"
    return data


# --- The form ----------------------------------------------------------------------------


def test_the_study_starts_from_the_reporters_choice_without_a_warning(studied):
    form = ProposeForm(case=studied)
    assert [v.pk for v in form["violations"].initial] == ["social-media-campaign"]
    assert form.study.has_reports and form.provision_warnings == []


def test_the_provisions_are_grouped_and_ordered_like_the_public_catalog(studied):
    groups = ProposeForm(case=studied).provision_groups()
    public = violations_by_family()
    assert [group.family for group, _rows in groups] == [group.family for group in public]
    assert [[row.box.data["value"].value for row in rows] for _group, rows in groups] == [
        [v.pk for v in group.violations] for group in public]
    rows = {row.box.data["value"].value: row for _group, rows in groups for row in rows}
    assert rows["banner-support"].citation == "SE Gubernur Kep. Babel 800/46/BKPSDMD-II/2024, angka 1 huruf a"
    assert [pk for pk, row in rows.items() if row.by_reporter] == ["social-media-campaign"]


def test_a_provision_of_another_category_is_sent_only_once_acknowledged(studied):
    form = ProposeForm(study_post("banner-support"), case=studied)
    assert not form.is_valid() and list(form.errors) == ["warnings_acknowledged"]
    assert [w.key for w in form.provision_warnings] == ["reporter:banner-support", "facts:banner-support"]
    assert ProposeForm(study_post("banner-support", acknowledged=True), case=studied).is_valid()


def test_the_reporters_own_choice_needs_no_acknowledgement(studied):
    form = ProposeForm(study_post("social-media-campaign", "partisan-photo"), case=studied)
    assert form.is_valid() and form.provision_warnings == []


def test_a_returned_study_keeps_the_provisions_it_proposed(studied):
    form = ProposeForm(case=studied, initial={"violations": [Violation.objects.get(pk="campaign-participation")]})
    assert [v.pk for v in form["violations"].initial] == ["campaign-participation"]
    assert [w.key for w in form.provision_warnings] == ["reporter:campaign-participation"]


def test_a_finding_of_its_own_starts_with_no_choice(staff_beltim, places, election):
    case = case_register_finding(actor=staff_beltim, election=election, region=places["manggar"],
                                 summary="Baliho calon bupati terpasang di halaman kantor dinas.", place="Manggar",
                                 known_on=date(2024, 11, 11))
    form = ProposeForm(case=case)
    assert not form.study.has_reports and form["violations"].initial == []
    assert ProposeForm(study_post("banner-support", outcome="not_violation"), case=case).is_valid()
    assert not ProposeForm(study_post("social-media-campaign"), case=case).is_valid()  # the facts name a billboard


def test_a_finding_from_an_anonymous_submission_starts_from_its_choice(staff_beltim, places, election):
    report = file_report(places, election, anonymous=True, acts=("partisan-photo",))
    case = case_register_finding(actor=staff_beltim, election=election, region=places["manggar"],
                                 summary=report.description, place="Manggar", known_on=date(2024, 11, 11),
                                 source_report=report)
    assert [v.pk for v in ProposeForm(case=case)["violations"].initial] == ["partisan-photo"]


# --- The page ----------------------------------------------------------------------------


def checked(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="violations" value="([^"]+)"[^>]*checked', page)


def test_the_study_page_shows_the_reporters_choice_pre_selected(client, staff_beltim, studied):
    client.force_login(staff_beltim)
    page = client.get(studied.get_absolute_url()).content.decode()
    assert checked(page) == ["social-media-campaign"]
    assert 'id="reporter-choice"' in page and 'id="provision-warnings"' not in page
    assert page.count('class="provision-group"') == len(violations_by_family())


def test_a_mismatch_is_warned_about_and_saved_once_acknowledged_with_the_audit_entry(client, staff_beltim, studied):
    client.force_login(staff_beltim)
    url = reverse("cases:propose", args=[studied.pk])
    refused = client.post(url, study_post("banner-support"))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="provision-warnings"' in page and 'name="warnings_acknowledged"' in page and "facebook.com" in page
    assert checked(page) == ["banner-support"]  # the choice is kept
    assert Case.objects.get(pk=studied.pk).status == "in_study"

    sent = client.post(url, study_post("banner-support", acknowledged=True))
    assert sent.status_code == 302
    case = Case.objects.get(pk=studied.pk)
    assert case.status == "awaiting_approval" and [v.pk for v in case.violations.all()] == ["banner-support"]
    entry = AuditEntry.objects.get(action="case.proposed")
    assert entry.data["provision_warnings"] == ["reporter:banner-support", "facts:banner-support"]
    assert entry.data["warnings_acknowledged"] is True


def test_a_study_without_mismatch_records_no_warning(client, staff_beltim, studied):
    client.force_login(staff_beltim)
    assert client.post(reverse("cases:propose", args=[studied.pk]),
                       study_post("social-media-campaign")).status_code == 302
    entry = AuditEntry.objects.get(action="case.proposed")
    assert "provision_warnings" not in entry.data and entry.data["violations"] == ["social-media-campaign"]
