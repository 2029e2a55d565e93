"""Issue 20: each report's next deadline is stored (Report.next_due_on) and kept by every write,
the daily recompute_deadlines and the data migration, equal to the one-report rule of
cases.deadlines.report_next_deadline; the inbox by deadline is one ORDER BY on it."""

import importlib
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.paginator import Paginator

from audit.models import AuditEntry
from cases.deadlines import report_next_deadline
from cases.selectors import report_pauses
from cases.services import Check, case_register_finding, case_register_report, report_request_completion
from cases.tests.conftest import all_met, election, file_report, pemilu  # noqa: F401 (fixtures)
from reports.models import Report
from reports.selectors import report_list_for
from reports.services import report_change_status, report_withdraw
from rules.models import CalendarDay

pytestmark = pytest.mark.django_db
fill_next_due = importlib.import_module("reports.migrations.0012_report_next_due_on").fill_next_due


@pytest.fixture(autouse=True)
def _during_the_pilkada(time_machine):
    time_machine.move_to("2024-11-12 10:00 +07:00")


def _missing_evidence(regime):
    return [Check(c.requirement, c.requirement != "evidence") for c in all_met(regime)]


def _waiting(report, staff, regime):
    report = report_change_status(report=report, actor=staff, to_status="in_review")
    report_request_completion(report=report, actor=staff, checks=_missing_evidence(regime))
    return report


@pytest.fixture
def reports(places, election, pemilu, staff_beltim, time_machine):
    """Reports of both regimes in every status, with pauses open, closed and repeated, filed on
    different days (the Pemilu sets a clock on the initial study, the Pilkada only on the completion)."""
    manggar = places["manggar"]
    made = {
        "pemilu-received": file_report(manggar, pemilu, name="A"),
        "pilkada-received": file_report(manggar, election, name="B"),
        "pemilu-waiting": _waiting(file_report(manggar, pemilu, name="C"), staff_beltim, "pemilu"),
        "pilkada-waiting": _waiting(file_report(manggar, election, name="D"), staff_beltim, "pilkada"),
        "pemilu-resumed": _waiting(file_report(manggar, pemilu, name="E"), staff_beltim, "pemilu"),
        "pemilu-twice": _waiting(file_report(manggar, pemilu, name="F"), staff_beltim, "pemilu"),
        "withdrawn": file_report(manggar, pemilu, name="G"),
        "not-registered": file_report(manggar, pemilu, name="H"),
        "registered": file_report(manggar, election, name="I"),
        "information": file_report(manggar, pemilu, name="J", anonymous=True),
    }
    time_machine.move_to("2024-11-13 10:00 +07:00")
    made["pemilu-reviewed"] = report_change_status(report=file_report(manggar, pemilu, name="K"),
                                                   actor=staff_beltim, to_status="in_review")
    report_change_status(report=made["pemilu-resumed"], actor=staff_beltim, to_status="in_review")
    report_change_status(report=made["pemilu-twice"], actor=staff_beltim, to_status="in_review")
    report_withdraw(report=made["withdrawn"], reason="Salah kirim")
    report_change_status(report=made["not-registered"], actor=staff_beltim, to_status="in_review")
    report_change_status(report=made["not-registered"], actor=staff_beltim, to_status="not_registered",
                         public_note="Bukan pelanggaran netralitas.")
    time_machine.move_to("2024-11-15 10:00 +07:00")
    report_request_completion(report=made["pemilu-twice"], actor=staff_beltim, checks=_missing_evidence("pemilu"))
    case_register_report(report=report_change_status(report=made["registered"], actor=staff_beltim,
                                                     to_status="in_review"), actor=staff_beltim, checks=all_met())
    case_register_finding(actor=staff_beltim, election=pemilu, region=manggar, summary="Temuan dari laporan anonim",
                          place="Manggar", known_on=date(2024, 11, 11), source_report=made["information"])
    return {name: report.pk for name, report in made.items()}


def _stored_and_rule(pks):
    """(stored, computed by the one-report rule) of each report, by name."""
    rows = Report.objects.select_related("election").in_bulk(pks.values())
    pairs = {}
    for name, pk in pks.items():
        report = rows[pk]
        answer = report_next_deadline(report, report_pauses(report))
        pairs[name] = (report.next_due_on, answer.due if answer else None)
    return pairs


def _differ(pairs):
    return {name: pair for name, pair in pairs.items() if pair[0] != pair[1]}


def test_every_write_stores_the_date_of_the_one_report_rule(reports):
    pairs = _stored_and_rule(reports)
    assert _differ(pairs) == {}
    running = ("pemilu-received", "pemilu-waiting", "pilkada-waiting", "pemilu-resumed", "pemilu-twice",
               "pemilu-reviewed")
    assert None not in [pairs[name][0] for name in running]
    assert {pairs[name][0] for name in ("pilkada-received", "withdrawn", "not-registered", "registered",
                                        "information")} == {None}


def test_a_resumed_clock_counts_the_pause(reports):
    """Filed on the same day, the report that waited a day for the reporter is due later."""
    pairs = _stored_and_rule(reports)
    assert pairs["pemilu-resumed"][0] > pairs["pemilu-received"][0]


def _recompute() -> str:
    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    return out.getvalue()


def test_the_daily_command_follows_a_calendar_correction_once(reports):
    """A day off added moves the working-day deadlines: the command stores the new dates with an audit
    entry, a second run changes nothing, and withdrawing the correction brings the first dates back."""
    before = _stored_and_rule(reports)
    correction = CalendarDay.objects.create(date=before["pemilu-received"][0], name_id="Cuti bersama",
                                            name_en="Collective leave", source="Keputusan Bersama (uji)")
    moved = _differ(_stored_and_rule(reports))
    assert {"pemilu-received", "pemilu-reviewed"} <= set(moved)  # stale until the command runs
    assert "pilkada-waiting" not in moved  # its window counts calendar days
    assert f"{len(moved)} report deadlines changed." in _recompute()
    assert _differ(_stored_and_rule(reports)) == {}
    entries = AuditEntry.objects.filter(action="reports.deadlines_recomputed")
    assert entries.count() == 1 and entries.get().data["changed"] == len(moved)
    assert "0 report deadlines changed." in _recompute()
    assert entries.count() == 1
    correction.delete()
    assert f"{len(moved)} report deadlines changed." in _recompute()
    assert _stored_and_rule(reports) == before


def test_the_command_clears_a_date_left_on_a_report_whose_clock_stopped(reports):
    Report.objects.filter(pk=reports["registered"]).update(next_due_on=date(2024, 11, 20))
    assert "1 report deadlines changed." in _recompute()
    assert Report.objects.get(pk=reports["registered"]).next_due_on is None
    entry = AuditEntry.objects.get(action="reports.deadlines_recomputed")
    assert entry.data["reports"] == [reports["registered"]]


def test_the_command_works_in_batches(reports, monkeypatch):
    from cases.management.commands import recompute_deadlines

    monkeypatch.setattr(recompute_deadlines, "BATCH", 2)
    Report.objects.update(next_due_on=None)
    running = sum(1 for stored, rule in _stored_and_rule(reports).values() if rule is not None)
    assert f"{running} report deadlines changed." in _recompute()
    assert _differ(_stored_and_rule(reports)) == {}
    assert AuditEntry.objects.filter(action="reports.deadlines_recomputed").count() > 1


def test_the_data_migration_fills_the_dates_of_existing_reports(reports):
    expected = _stored_and_rule(reports)
    Report.objects.update(next_due_on=None)
    fill_next_due(apps, None)
    assert _stored_and_rule(reports) == expected


def test_the_inbox_by_deadline_is_one_order_by_the_stored_date(reports, staff_beltim):
    rows = list(report_list_for(staff_beltim, order="due"))
    key = [(r.next_due_on is None, r.next_due_on or date.max, -r.created_at.timestamp(), -r.pk) for r in rows]
    assert key == sorted(key) and len(rows) == len(reports)
    assert rows[0].next_due_on == min(r.next_due_on for r in rows if r.next_due_on)


def test_a_page_by_deadline_takes_the_same_queries_for_many_reports(places, election, staff_beltim,
                                                                    django_assert_num_queries):
    def page_of_inbox():
        page = Paginator(report_list_for(staff_beltim, order="due"), 25).page(1)
        return page.paginator.count, [(r.number, r.attachment_count, list(r.reported_persons.all())) for r in page]

    file_report(places["manggar"], election)
    # The jurisdiction's offices, the count, the page with its counts, the page's reported persons.
    with django_assert_num_queries(4):
        page_of_inbox()
    for number in range(30):
        report = file_report(places["manggar"], election, name=f"Orang {number}")
        if number % 3 == 0:
            _waiting(report, staff_beltim, "pilkada")
    with django_assert_num_queries(4):
        count, rows = page_of_inbox()
    assert count == 31 and len(rows) == 25
