"""Where a decided case may go follows the reported person's subject (rules/data/routes.yaml)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from cases.models import CasePerson
from cases.services import case_person_set_subject, case_propose, case_register_report, case_start_study
from reports.services import report_change_status
from rules.models import Violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def camat(agencies):
    from registry.factories import EmployeeFactory

    return EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Rudi Hartono",
                           position="Camat Manggar", kind="pns")


@pytest.fixture
def village_case(places, offices, election, staff_beltim):
    """A registered report about a village head who is not in the register."""
    from cases.tests.conftest import all_met
    from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
    from reports.tracking import new_submission_token

    submission = ReportSubmission(
        election=election, region=places["manggar"], place="Desa Lalang", known_on=date(2024, 11, 28),
        occurred_on=date(2024, 10, 1), description="Kepala desa mengunggah ajakan memilih calon bupati di Facebook.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
        reported=[ReportedPersonInput(name="Budi", position="Kepala Desa Lalang")], links=["https://example.org/p/1"],
    )
    report = report_submit(submission=submission, submission_token=new_submission_token()).report
    report = report_change_status(report=report, actor=staff_beltim, to_status="in_review")
    case = case_register_report(report=report, actor=staff_beltim, checks=all_met())
    return case_start_study(case=case, actor=staff_beltim)


def _propose(case, staff, outcome, act="village-campaign-involvement", **extra):
    return case_propose(case=case, actor=staff, outcome=outcome, legal_analysis="Analisis.",
                        conclusion="Terbukti ikut berkampanye.", violations=[Violation.objects.get(pk=act)], **extra)


def test_a_person_typed_by_the_reporter_has_no_subject_until_staff_choose_one(village_case, staff_beltim):
    person = village_case.persons.get()
    assert person.subject == ""
    with pytest.raises(ValidationError, match="Choose the kind of person|Pilih jenis"):
        _propose(village_case, staff_beltim, "forwarded_authority")


def test_a_village_head_is_never_forwarded_to_the_civil_service_authority(village_case, staff_beltim):
    person = case_person_set_subject(person=village_case.persons.get(), actor=staff_beltim, subject="village_head")
    assert AuditEntry.objects.filter(action="case.person_subject_set", data__new="village_head").exists()
    with pytest.raises(ValidationError) as error:
        _propose(village_case, staff_beltim, "forwarded_authority")
    assert person.name in str(error.value)
    case = _propose(village_case, staff_beltim, "forwarded_other", forwarded_to="Bupati Belitung Timur")
    assert case.outcome == "forwarded_other"


def test_a_register_employee_gets_the_subject_of_their_kind(places, offices, election, staff_beltim, lead_beltim,
                                                            authority_bkn, camat):
    from followup.tests.conftest import forward_case
    from reports.services import ReportedPersonInput

    case = forward_case(region=places["manggar"], election=election, staff=staff_beltim, lead=lead_beltim,
                        persons=[ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)])
    assert CasePerson.objects.get(case=case).subject == "pns"


def test_the_register_decides_the_kind_of_a_register_employee(village_case, staff_beltim, camat):
    person = village_case.persons.get()
    person.employee = camat
    person.save()
    with pytest.raises(ValidationError):
        case_person_set_subject(person=person, actor=staff_beltim, subject="village_head")
