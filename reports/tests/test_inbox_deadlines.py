"""The inbox's age and next-deadline columns, its order by deadline, and the batch computation of
the deadlines (reports.selectors.report_deadlines), held to the one-report rule of cases.deadlines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.deadlines import report_next_deadline
from cases.selectors import report_pauses
from cases.services import Check, case_register_report, report_request_completion
from cases.tests.conftest import all_met, election, file_report, pemilu  # noqa: F401 (fixtures)
from reports.models import Report
from reports.selectors import report_deadlines
from reports.services import report_change_status

pytestmark = pytest.mark.django_db
INBOX = reverse("reports:inbox")


@pytest.fixture(autouse=True)
def _during_the_pilkada(time_machine):
    time_machine.move_to("2024-11-12 10:00 +07:00")


def _missing_evidence(regime="pilkada"):
    return [Check(c.requirement, c.requirement != "evidence") for c in all_met(regime)]


@pytest.fixture
def inbox(places, election, pemilu, staff_beltim, time_machine):
    """Reports of Belitung Timur in every state of the clock, filed on different days. The Pemilu
    sets a clock on the initial study (deadlines.yaml), the Pilkada only on the completion."""
    received = file_report(places["manggar"], pemilu, name="Andi")
    time_machine.move_to("2024-11-13 10:00 +07:00")
    reviewed = report_change_status(report=file_report(places["manggar"], pemilu, name="Budi"),
                                    actor=staff_beltim, to_status="in_review")
    waiting = report_change_status(report=file_report(places["manggar"], election, name="Citra"),
                                   actor=staff_beltim, to_status="in_review")
    report_request_completion(report=waiting, actor=staff_beltim, checks=_missing_evidence())
    resumed = report_change_status(report=file_report(places["manggar"], pemilu, name="Dedi"),
                                   actor=staff_beltim, to_status="in_review")
    report_request_completion(report=resumed, actor=staff_beltim, checks=_missing_evidence("pemilu"))
    time_machine.move_to("2024-11-14 10:00 +07:00")
    resumed = report_change_status(report=resumed, actor=staff_beltim, to_status="in_review")
    registered = report_change_status(report=file_report(places["manggar"], election, name="Eko"),
                                      actor=staff_beltim, to_status="in_review")
    case_register_report(report=registered, actor=staff_beltim, checks=all_met())
    return {name: Report.objects.select_related("election").get(pk=report.pk) for name, report in
            {"received": received, "reviewed": reviewed, "waiting": waiting, "resumed": resumed,
             "registered": registered}.items()}


def test_the_batch_gives_each_report_the_date_of_the_one_report_rule(inbox):
    dues = report_deadlines(list(inbox.values()))
    for name, report in inbox.items():
        answer = report_next_deadline(report, report_pauses(report))
        assert dues[report.pk] == (answer.due if answer else None), name
    assert dues[inbox["registered"].pk] is None
    assert None not in [dues[inbox[name].pk] for name in ("received", "reviewed", "waiting", "resumed")]


def test_the_inbox_shows_each_report_s_age_and_next_deadline_in_words(client, staff_beltim, inbox):
    client.force_login(staff_beltim)
    page = client.get(INBOX)
    rows = {report.pk: report for report in page.context["page"]}
    assert rows[inbox["received"].pk].due_on is not None and rows[inbox["registered"].pk].due_on is None
    html = page.content.decode()
    assert ">Umur<" in html or ">Age<" in html
    assert "2 days" in html or "2 hari" in html  # the report received on the 12th, seen on the 14th


def test_a_report_past_its_deadline_says_how_late_it_is(client, staff_beltim, inbox, time_machine):
    due = report_deadlines([inbox["received"]])[inbox["received"].pk]
    time_machine.move_to(f"{due:%Y-%m-%d} 10:00 +07:00")
    time_machine.shift(2 * 24 * 3600)
    client.force_login(staff_beltim)
    html = client.get(INBOX).content.decode()
    assert "2 days late" in html or "lewat 2 hari" in html
    assert 'class="row-overdue"' in html


def test_the_inbox_sorts_by_next_deadline_with_the_stopped_clocks_last(client, staff_beltim, inbox):
    client.force_login(staff_beltim)
    rows = list(client.get(INBOX, {"order": "due"}).context["page"])
    dues = report_deadlines(list(inbox.values()))
    running = [report for report in rows if dues[report.pk] is not None]
    assert [dues[report.pk] for report in running] == sorted(dues[report.pk] for report in running)
    assert rows[-1].pk == inbox["registered"].pk
    assert len(rows) == len(inbox)


def test_the_order_by_deadline_pages_through_every_report_once(client, staff_beltim, inbox, places, election):
    for number in range(26):
        file_report(places["manggar"], election, name=f"Orang {number}")
    client.force_login(staff_beltim)
    first = client.get(INBOX, {"order": "due"}).context["page"]
    second = client.get(INBOX, {"order": "due", "page": 2}).context["page"]
    seen = [report.pk for report in first] + [report.pk for report in second]
    assert first.paginator.count == 31 and len(seen) == 31 == len(set(seen))


@pytest.mark.parametrize("order", ["new", "due"])
def test_the_inbox_takes_as_many_queries_for_many_reports_as_for_one(client, staff_beltim, places, election,
                                                                     order):
    client.force_login(staff_beltim)
    waiting = report_change_status(report=file_report(places["manggar"], election), actor=staff_beltim,
                                   to_status="in_review")
    report_request_completion(report=waiting, actor=staff_beltim, checks=_missing_evidence())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INBOX, {"order": order}).status_code == 200
        return len(queries)

    one = count()
    for number in range(12):
        report = file_report(places["manggar"], election, name=f"Orang {number}")
        if number % 3 == 0:
            report = report_change_status(report=report, actor=staff_beltim, to_status="in_review")
            report_request_completion(report=report, actor=staff_beltim, checks=_missing_evidence())
    assert count() == one
