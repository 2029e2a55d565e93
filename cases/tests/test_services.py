from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.models import Case
from cases.services import (
    Check,
    case_approve,
    case_extend_study,
    case_merge,
    case_propose,
    case_register_finding,
    case_register_report,
    case_return,
    case_start_study,
    report_request_completion,
)
from cases.tests.conftest import all_met, file_report
from letters.services import official_add
from reports.models import ClockPause
from rules.models import Violation

pytestmark = pytest.mark.django_db


def test_a_complete_report_is_registered_with_the_office_number_and_study_deadline(report_beltim, staff_beltim):
    case = case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())
    assert case.number == "001/Reg/LP/PB/Kab/19.06/XI/2024"
    assert case.registered_on == date(2024, 11, 12)
    assert case.due_on == date(2024, 11, 15) and case.due_step == "study"  # 3 calendar days
    assert [p.name for p in case.persons.all()] == ["Budi Santoso"]
    report_beltim.refresh_from_db()
    assert report_beltim.status == "registered"
    assert AuditEntry.objects.filter(action="case.registered", actor=staff_beltim).exists()


def test_a_report_missing_a_requirement_cannot_be_registered(report_beltim, staff_beltim):
    checks = [Check(c.requirement, c.requirement != "evidence") for c in all_met()]
    with pytest.raises(ValidationError):
        case_register_report(report=report_beltim, actor=staff_beltim, checks=checks)
    assert not Case.objects.exists()


def test_every_requirement_must_be_checked(report_beltim, staff_beltim):
    with pytest.raises(ValidationError):
        case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met()[:2])


def test_an_incomplete_report_goes_back_with_what_is_missing_and_its_clock_pauses(report_beltim, staff_beltim):
    checks = [Check(c.requirement, c.requirement != "evidence", "foto" if c.requirement == "evidence" else "")
              for c in all_met()]
    due = report_request_completion(report=report_beltim, actor=staff_beltim, checks=checks)
    report_beltim.refresh_from_db()
    assert report_beltim.status == "needs_completion"
    note = report_beltim.status_changes.last().public_note
    assert "Bukti" in note and "foto" in note
    assert ClockPause.objects.get(report=report_beltim).ended_on is None
    assert due > date(2024, 11, 12)


def test_anonymous_information_becomes_a_finding_not_a_report(places, offices, election, staff_beltim):
    report = file_report(places["manggar"], election, anonymous=True)
    with pytest.raises(ValidationError):
        case_register_report(report=report, actor=staff_beltim, checks=all_met())
    case = case_register_finding(actor=staff_beltim, election=election, region=places["manggar"],
                                 summary=report.description, place=report.place, known_on=date(2024, 11, 12),
                                 source_report=report)
    assert case.kind == "finding" and "/TM/" in case.number
    report.refresh_from_db()
    assert report.status == "information"
    assert case.persons.get().name == "Budi Santoso"


def test_staff_cannot_register_a_finding_outside_their_jurisdiction(places, offices, election, staff_bangka):
    with pytest.raises(PermissionDenied):
        case_register_finding(actor=staff_bangka, election=election, region=places["manggar"], summary="x" * 30,
                              place="Manggar", known_on=date(2024, 11, 12))


@pytest.fixture
def case(report_beltim, staff_beltim):
    return case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())


def test_the_study_can_be_extended_once_to_the_legal_limit(case, staff_beltim):
    case = case_extend_study(case=case, actor=staff_beltim, reason="Menunggu keterangan saksi.")
    assert case.due_on == date(2024, 11, 17) and case.due_step == "study_extended"  # 3 + 2 calendar days
    with pytest.raises(ValidationError):
        case_extend_study(case=case, actor=staff_beltim, reason="lagi")


def _civil_servants(case, staff):
    from cases.services import case_person_set_subject

    for person in case.persons.filter(employee__isnull=True):
        case_person_set_subject(person=person, actor=staff, subject="pns")


def test_the_case_goes_from_study_to_decision_with_the_leadership(case, staff_beltim, lead_beltim):
    case = case_start_study(case=case, actor=staff_beltim)
    _civil_servants(case, staff_beltim)
    violation = Violation.objects.filter(family="discipline").first()
    with pytest.raises(ValidationError):
        case_propose(case=case, actor=staff_beltim, outcome="forwarded_authority", legal_analysis="a",
                     conclusion="b")
    case = case_propose(case=case, actor=staff_beltim, outcome="forwarded_authority", legal_analysis="Analisis.",
                        conclusion="Terbukti melanggar.", violations=[violation])
    assert case.status == "awaiting_approval"
    with pytest.raises(PermissionDenied):
        case_approve(case=case, actor=staff_beltim, announcement="x")
    case = case_return(case=case, actor=lead_beltim, note="Lengkapi keterangan saksi.")
    assert case.status == "in_study"
    case = case_propose(case=case, actor=staff_beltim, outcome="forwarded_authority", legal_analysis="Analisis.",
                        conclusion="Terbukti melanggar.", violations=[violation])
    case = case_approve(case=case, actor=lead_beltim, announcement="Diteruskan ke BKN.")
    assert case.status == "decided" and case.due_on is None and case.approved_by == lead_beltim
    report = case.case_reports.get().report
    assert "Diteruskan ke BKN." in report.status_changes.last().public_note


def test_an_illegal_move_is_refused_with_a_clear_message(case, staff_beltim):
    from cases.states import Status

    with pytest.raises(ValidationError, match=str(Status.AWAITING_APPROVAL.label)):
        case_propose(case=case, actor=staff_beltim, outcome="not_violation", legal_analysis="a", conclusion="b",
                     reason="c")


def test_merging_keeps_every_report_of_both_cases(case, places, election, staff_beltim):
    from reports.services import report_change_status

    other = report_change_status(report=file_report(places["manggar"], election, name="Ani"), actor=staff_beltim,
                                 to_status="in_review")
    second = case_register_report(report=other, actor=staff_beltim, checks=all_met())
    target = case_merge(source=second, target=case, actor=staff_beltim)
    assert target.case_reports.count() == 2
    assert {p.name for p in target.persons.all()} == {"Budi Santoso", "Ani"}
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into == case


def test_the_clock_resumes_when_the_report_comes_back_into_review(report_beltim, staff_beltim, time_machine):
    from reports.services import report_change_status

    checks = [Check(c.requirement, c.requirement != "evidence") for c in all_met()]
    report_request_completion(report=report_beltim, actor=staff_beltim, checks=checks)
    time_machine.move_to("2024-11-13 09:00 +07:00")
    report_change_status(report=report_beltim, actor=staff_beltim, to_status="in_review")
    pause = ClockPause.objects.get(report=report_beltim)
    assert (pause.started_on, pause.ended_on) == (date(2024, 11, 12), date(2024, 11, 13))


def _decide(case, staff, lead, outcome, **extra):
    case = case_start_study(case=case, actor=staff)
    _civil_servants(case, staff)
    case = case_propose(case=case, actor=staff, outcome=outcome, legal_analysis="Analisis hukum.",
                        conclusion="Terbukti melanggar netralitas ASN.", **extra)
    return case_approve(case=case, actor=lead, announcement="Diteruskan kepada BKN untuk ditindaklanjuti.")


def pdf_text(letter) -> str:
    from pypdf import PdfReader

    with letter.file.open("rb") as handle:
        return " ".join(page.extract_text() for page in PdfReader(handle).pages)


def test_forwarding_to_the_authority_writes_the_letter_to_bkn_and_the_announcement(case, staff_beltim, lead_beltim):
    # The signatory is the office's official in office on the letter's date (letters.Official), not the
    # account that approved.
    official_add(actor=lead_beltim, role="head", name="Wahyu Epan Yudhistira", valid_from=date(2024, 1, 1),
                 position="Ketua Bawaslu Kabupaten Belitung Timur", office=case.office)
    violation = Violation.objects.get(pk="banner-support")
    case = _decide(case, staff_beltim, lead_beltim, "forwarded_authority", violations=[violation])
    forward, announcement = case.letters.order_by("id")
    assert forward.kind == "forward-authority" and forward.addressee == "Kepala Badan Kepegawaian Negara"
    text = pdf_text(forward)
    assert "BELITUNG TIMUR" in text.upper() and case.number in text and "Budi Santoso" in text
    assert "12 November 2024" in text and "WAHYU EPAN YUDHISTIRA" in text
    public = pdf_text(announcement)
    assert case.number in public and "Siti Aminah" not in public
    # The public letter shows no typed position: only what the announcements page may show
    # (registry.disclosure); a person not linked to the register is withheld.
    person = case.persons.first()
    assert person.position and person.position not in public and "dirahasiakan" in public
    assert AuditEntry.objects.filter(action="case.letters_issued").exists()


def test_not_a_violation_writes_only_the_announcement(case, staff_beltim, lead_beltim):
    case = _decide(case, staff_beltim, lead_beltim, "not_violation", reason="Terlapor bukan ASN.")
    assert list(case.letters.values_list("kind", flat=True)) == ["status-announcement"]
