"""The study starts from the reporter's choice and warns about a provision of another family
and category until staff confirm that they checked it (issue 18, item 7)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Case
from e2e.conftest import staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"viewport": {"width": 1366, "height": 768}}


def case_in_study(places, staff):
    """A registered report about a Facebook post, its reporter having chosen the social-media act, in study."""
    from cases.services import case_person_set_subject, case_register_report, case_start_study
    from cases.tests.conftest import all_met
    from reports.services import (
        ReportedPersonInput,
        ReporterIdentity,
        ReportSubmission,
        report_change_status,
        report_submit,
    )
    from reports.tracking import new_submission_token
    from rules.models import Election, Violation

    call_command("load_rules", verbosity=0)
    report = report_submit(submission=ReportSubmission(
        election=Election.objects.get(pk="pilkada-2024"), region=places["manggar"], place="Akun Facebook",
        known_on=timezone.localdate(), occurred_on=date(2024, 11, 20),  # within the Pilkada's stages (issue 19)
        description="Camat Manggar mengunggah ajakan memilih calon bupati di akun Facebook pribadinya.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
        reported=[ReportedPersonInput(name="Budi Santoso", position="Camat", unit="Kecamatan Manggar")],
        violations=[Violation.objects.get(pk="social-media-campaign")],
        links=["https://www.facebook.com/budi/posts/1"],
    ), submission_token=new_submission_token()).report
    report = report_change_status(report=report, actor=staff, to_status="in_review")
    case = case_register_report(report=report, actor=staff, checks=all_met())
    case_person_set_subject(person=case.persons.get(), actor=staff, subject="pns")
    return case_start_study(case=case, actor=staff)


def test_the_study_warns_about_another_family_and_saves_once_acknowledged(live_server, browser, places, offices,
                                                                           staff_beltim):
    case = case_in_study(places, staff_beltim)
    context = browser.new_context(**LAPTOP, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        staff_login(page, live_server.url, "staf.beltim")
        page.goto(live_server.url + case.get_absolute_url())

        # The reporter's choice is pre-selected and named beside the field.
        reporter_box = page.locator("#propose input[name=violations][value='social-media-campaign']")
        assert reporter_box.is_checked()
        assert page.locator("#propose input[name=violations]:checked").count() == 1
        assert "media sosial" in page.locator("#reporter-choice").inner_text()
        assert page.locator("#provision-warnings").count() == 0

        # Staff pick a provision of another family instead: the page answers with the warning.
        other = page.locator("#propose input[name=violations][value='campaign-participation']")
        family = "#propose fieldset.provision-group"
        assert (page.locator(family, has=page.locator("input[value='social-media-campaign']")).get_attribute(
            "data-family") != page.locator(family, has=page.locator("input[value='campaign-participation']"))
            .get_attribute("data-family"))
        reporter_box.uncheck()
        other.check()
        page.select_option("#id_outcome", "forwarded_authority")
        page.fill("#id_legal_analysis", "Terlapor hadir dalam kampanye: memenuhi unsur PP 94/2021 Pasal 5 huruf n.")
        page.fill("#id_conclusion", "Terbukti melanggar netralitas ASN.")
        page.click("#propose button[type=submit]")
        warning = page.locator("#provision-warnings")
        warning.wait_for()
        assert page.locator("#provision-warning-list li").count() == 1
        assert warning.locator("#id_warnings_acknowledged").is_visible()
        assert page.locator("#id_warnings_acknowledged[aria-invalid='true']").count() == 1
        assert Case.objects.get(pk=case.pk).status == "in_study"

        # Ticked, the study goes to the leadership, and the audit entry says it was acknowledged.
        assert other.is_checked()
        page.check("#id_warnings_acknowledged")
        page.click("#propose button[type=submit]")
        page.wait_for_url(f"**{case.get_absolute_url()}")
        case.refresh_from_db()
        assert case.status == "awaiting_approval"
        assert list(case.violations.values_list("pk", flat=True)) == ["campaign-participation"]
        entry = AuditEntry.objects.get(action="case.proposed")
        assert entry.data["provision_warnings"] == ["reporter:campaign-participation"]
        assert entry.data["warnings_acknowledged"] is True
    finally:
        context.close()
