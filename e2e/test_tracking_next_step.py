"""After the decision, the reporter's phone shows the outcome, who acts next and by when (issue 18)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forwarded(live_server, places, offices, agencies, staff_beltim, lead_beltim, authority_bkn):
    """A report with an e-mail and notices, registered, studied and forwarded to BKN; returns (url, code, forwarding)."""
    from cases.services import case_approve, case_propose, case_register_report, case_start_study
    from followup.models import Recommendation
    from followup.tests.conftest import all_met, mark_civil_servants
    from registry.factories import EmployeeFactory
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
    camat = EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Rudi Hartono",
                            position="Kepala Seksi Pemerintahan")
    receipt = report_submit(submission=ReportSubmission(
        election=Election.objects.get(pk="pilkada-2024"), region=places["manggar"], place="Manggar",
        known_on=timezone.localdate(), occurred_on=date(2024, 9, 10),
        description="ASN mengunggah foto bersama calon dengan simbol jari.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001",
                                  email="siti@example.org"),
        reported=[ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)],
        links=["https://example.org/post/1"], notify_by_email=True,
    ), submission_token=new_submission_token())
    report = report_change_status(report=receipt.report, actor=staff_beltim, to_status="in_review")
    case = case_register_report(report=report, actor=staff_beltim, checks=all_met())
    case = case_start_study(case=case, actor=staff_beltim)
    mark_civil_servants(case, staff_beltim)
    case = case_propose(case=case, actor=staff_beltim, outcome="forwarded_authority", legal_analysis="Analisis.",
                        conclusion="Terbukti melanggar netralitas.",
                        violations=list(Violation.objects.filter(pk__in=["partisan-photo"])))
    case_approve(case=case, actor=lead_beltim, announcement="Diteruskan kepada Badan Kepegawaian Negara.")
    return live_server.url, receipt.code, Recommendation.objects.get(case=case, stage="authority")


def test_the_phone_shows_the_outcome_and_the_authority_s_limit(forwarded, phone):
    base, code, forwarding = forwarded
    phone.goto(base + "/lacak/")
    phone.fill("#id_code", code)
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/lacak/status/")

    headline = phone.locator("#status-headline")
    report = forwarding.case.case_reports.get().report
    outcome = report.status_changes.filter(kind="announcement").last()
    assert headline.inner_text() == outcome.headline  # the outcome ("Diputuskan: ..."), not "Diregistrasi"
    step = phone.locator("#next-step")
    text = step.inner_text()
    with translation.override("id"):
        due = date_format(forwarding.due_on, "j F Y")
    assert forwarding.addressee.name in text and due in text and forwarding.limit_citation in text
    assert "Rudi Hartono" not in text and "Siti Aminah" not in text
    # On a 360 px phone: the headline and the next step open the page, and nothing runs off its side.
    assert headline.bounding_box()["y"] < 740 and step.bounding_box()["y"] < 740
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 360

    # The reporter stops the e-mail notices, with the code alone.
    phone.locator("#notices button[type=submit]").click()
    phone.wait_for_selector(".flash-success")
    assert phone.locator("#notices").count() == 0
    report.refresh_from_db()
    assert report.notify_by_email is False
