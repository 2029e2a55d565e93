"""What the reporter reads under the headline: who acts next, by when, on which legal basis (issue 18)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases.next_step import Clock, next_step, report_next_step
from cases.services import case_approve, case_propose, case_register_report, case_start_study
from cases.tests.conftest import all_met, file_report
from reports.services import report_announce, report_change_status
from reports.views import TRACKED

CLOCK = Clock(due=date(2024, 11, 15), citation="UU 1/2015 Pasal 134 ayat (5)")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("facts", "text", "due", "finished"), [
    pytest.param({"report_status": "received", "clock": CLOCK}, "decides whether to register it",
                 date(2024, 11, 15), False, id="received-with-the-initial-study-clock"),
    pytest.param({"report_status": "in_review"}, "decides whether to register it", None, False,
                 id="in-review-where-the-regime-sets-no-clock"),
    pytest.param({"report_status": "needs_completion", "clock": CLOCK}, "Complete your report", date(2024, 11, 15),
                 False, id="waiting-for-the-reporter"),
    pytest.param({"report_status": "registered", "case_status": "registered", "clock": CLOCK},
                 "decides whether a violation took place", date(2024, 11, 15), False, id="registered-case"),
    pytest.param({"report_status": "registered", "case_status": "awaiting_approval", "clock": CLOCK},
                 "decides whether a violation took place", date(2024, 11, 15), False, id="awaiting-approval"),
    pytest.param({"report_status": "registered", "case_status": "decided", "outcome": "not_violation"},
                 "finished: Bawaslu decided", None, True, id="not-a-violation"),
    pytest.param({"report_status": "registered", "case_status": "decided", "outcome": "not_followed_up"},
                 "finished: Bawaslu decided", None, True, id="not-followed-up"),
    pytest.param({"report_status": "registered", "case_status": "decided", "outcome": "forwarded_gakkumdu"},
                 "Sentra Gakkumdu", None, True, id="to-gakkumdu"),
    pytest.param({"report_status": "registered", "case_status": "decided", "outcome": "forwarded_other"},
                 "another competent body", None, True, id="to-another-body"),
    pytest.param({"report_status": "registered", "case_status": "decided", "outcome": "forwarded_authority"},
                 "civil-service authority", None, False, id="to-the-authority-followup-answers-the-date"),
])
def test_the_next_step_of_each_stage(facts, text, due, finished):
    step = next_step(**facts)
    assert text in step.text and step.due == due and step.finished is finished
    assert bool(step.citation) is (due is not None)
    assert bool(step.still_possible) is finished


@pytest.mark.parametrize("status", ["not_registered", "withdrawn", "information"])
def test_cases_leaves_the_statuses_without_a_case_to_reports(status):
    assert next_step(report_status=status) is None


def test_a_merged_case_has_no_next_step_of_its_own():
    assert next_step(report_status="registered", case_status="merged") is None


@pytest.fixture
def case(places, offices, election, staff_beltim):
    report = report_change_status(report=file_report(places["manggar"], election), actor=staff_beltim,
                                  to_status="in_review")
    return case_register_report(report=report, actor=staff_beltim, checks=all_met())


def test_a_registered_pilkada_case_runs_to_the_study_limit_with_its_citation(case):
    step = report_next_step(case.case_reports.get().report)
    assert step.due == case.due_on and step.citation and not step.finished
    assert "UU" in step.citation or "Perbawaslu" in step.citation


def test_a_report_of_a_merged_case_follows_the_case_it_joined(places, election, case, staff_beltim):
    from cases.services import case_merge

    other = report_change_status(report=file_report(places["manggar"], election, name="Ani"), actor=staff_beltim,
                                 to_status="in_review")
    source = case_register_report(report=other, actor=staff_beltim, checks=all_met())
    case_merge(source=source, target=case, actor=staff_beltim)
    step = report_next_step(other)
    assert step.due == case.due_on


def _track(client, report):
    session = client.session
    session[TRACKED] = report.pk
    session.save()
    client.cookies["netral_language"] = "en"  # the Indonesian of these strings is merged into locale/ by the lead
    return client.get(reverse("reports:tracking_status"))


def test_the_tracking_page_says_what_happens_next_and_by_when(client, case):
    page = _track(client, case.case_reports.get().report).content.decode()
    block = page.split('id="next-step"')[1].split("</div>")[0]
    # Registered on 12 November 2024: the Pilkada study runs 3 calendar days (rules/data/deadlines.yaml).
    assert "<strong>Next:</strong> Bawaslu studies your report" in block and ", by 15 November 2024." in block
    assert "Legal basis of the time limit: UU 1/2015" in block
    assert "Budi Santoso" not in block and "Camat" not in block


def test_a_decided_case_says_the_handling_is_finished_and_what_the_reporter_can_still_do(
        client, case, staff_beltim, lead_beltim):
    case = case_start_study(case=case, actor=staff_beltim)
    case = case_propose(case=case, actor=staff_beltim, outcome="not_violation", legal_analysis="a", conclusion="b",
                        reason="Terlapor bukan ASN.")
    case_approve(case=case, actor=lead_beltim, announcement="Laporan bukan pelanggaran netralitas ASN.")
    page = _track(client, case.case_reports.get().report).content.decode()
    headline = page.split('id="status-headline">')[1].split("</strong>")[0]
    block = page.split('id="next-step"')[1].split("</div>")[0]
    # The outcome's own words, stored in the reporter's language when it was announced (cases.services).
    assert headline == case.case_reports.get().report.status_changes.last().headline != ""
    assert "Next:" not in block and "The handling of your report is finished" in block and "Keep your code" in block


def test_the_tracking_page_s_queries_do_not_grow_with_its_history(client, case, staff_beltim):
    report = case.case_reports.get().report
    _track(client, report)  # sessions, caches
    report_announce(report=report, actor=staff_beltim, note="Kabar", headline="Kabar")  # unread, as below
    with CaptureQueriesContext(connection) as few:
        _track(client, report)
    for number in range(6):
        report_announce(report=report, actor=staff_beltim, note=f"Kabar {number}", headline=f"Kabar {number}")
    with CaptureQueriesContext(connection) as many:
        page = _track(client, report)
    assert "Kabar 5" in page.content.decode()
    assert len(many) == len(few)


def test_a_limit_that_passed_is_said_to_have_passed(client, case, time_machine):
    time_machine.move_to("2024-11-20 10:00 +07:00")  # the study was due on 15 November
    block = _track(client, case.case_reports.get().report).content.decode().split('id="next-step"')[1]
    assert ", by 15 November 2024. This time limit has passed." in " ".join(block.split())
