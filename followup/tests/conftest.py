"""A case forwarded to BKN, built through the real case services, and the people around it."""

from datetime import date

import pytest

from cases.tests.conftest import all_met  # noqa: F401 (re-used by the tests here)
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import new_submission_token


@pytest.fixture(autouse=True)
def _after_the_pilkada(time_machine):
    """Follow-up is tested in December 2024, after BKN took over from KASN."""
    time_machine.move_to("2024-12-02 10:00 +07:00")


@pytest.fixture
def election(rules):
    from rules.models import Election

    return Election.objects.get(pk="pilkada-2024")


@pytest.fixture
def camat(agencies):
    """A PNS sub-district head of Belitung Timur, in the register."""
    from registry.factories import EmployeeFactory

    return EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Rudi Hartono",
                           position="Kepala Seksi Pemerintahan")


def mark_civil_servants(case, staff, subject="pns"):
    """Staff set the kind of each typed (unregistered) reported person, as the case page asks."""
    from cases.services import case_person_set_subject

    for person in case.persons.filter(employee__isnull=True, subject=""):
        case_person_set_subject(person=person, actor=staff, subject=subject)


def forward_case(*, region, election, staff, lead, persons, violations=("partisan-photo",), known_on=None):
    """File, register, study, propose and approve a case forwarded to the civil-service authority."""
    from cases.services import case_approve, case_propose, case_register_report, case_start_study
    from reports.services import report_change_status
    from rules.models import Violation

    submission = ReportSubmission(
        election=election, region=region, place="Manggar", known_on=known_on or date(2024, 11, 28),
        # Before the candidates were determined (22 September 2024): partisan-photo is then an ethics breach.
        occurred_on=date(2024, 9, 10), description="ASN mengunggah foto bersama calon dengan simbol jari.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
        reported=persons, links=["https://example.org/post/1"],
    )
    report = report_submit(submission=submission, submission_token=new_submission_token()).report
    report = report_change_status(report=report, actor=staff, to_status="in_review")
    case = case_register_report(report=report, actor=staff, checks=all_met())
    case = case_start_study(case=case, actor=staff)
    mark_civil_servants(case, staff)
    case = case_propose(case=case, actor=staff, outcome="forwarded_authority", legal_analysis="Analisis.",
                        conclusion="Terbukti melanggar netralitas.",
                        violations=list(Violation.objects.filter(pk__in=violations)))
    return case_approve(case=case, actor=lead, announcement="Diteruskan kepada Badan Kepegawaian Negara.")


@pytest.fixture
def forwarded(places, offices, election, staff_beltim, lead_beltim, authority_bkn, camat):
    """The forwarding (stage authority) of a Belitung Timur case about the register's camat."""
    from followup.models import Recommendation

    case = forward_case(region=places["manggar"], election=election, staff=staff_beltim, lead=lead_beltim,
                        persons=[ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)])
    return Recommendation.objects.get(case=case, stage="authority")


@pytest.fixture
def recommended(forwarded, authority_bkn, agencies):
    """BKN's recommendation to the PPK of Belitung Timur: a moral sanction (ethics violation)."""
    from followup.sanctions import Grade
    from followup.services import recommendation_issue

    person = forwarded.case.persons.get()
    return recommendation_issue(forwarding=forwarded, actor=authority_bkn, person=person,
                                addressee=agencies["beltim"], employee_kind="pns", position_class="pengawas",
                                violations=forwarded.violations.all(), grade=Grade("moral", ""),
                                considerations="Terlapor mengakui perbuatannya.")
