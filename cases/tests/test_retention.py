"""The reporter identity purge: erased N days after the handling ended, never before, never for open work."""

import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.retention import RULE_CASE_DECIDED, RULE_CLOSED_WITHOUT_CASE, reporter_identities_purge
from cases.services import case_approve, case_propose, case_register_report, case_start_study
from cases.tests.conftest import all_met, file_report
from ops.integrity import integrity_check
from reports.models import Report
from reports.services import report_change_status, report_withdraw

DAYS = 365


@pytest.fixture
def case(report_beltim, staff_beltim):
    return case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())


@pytest.fixture
def decided(case, staff_beltim, lead_beltim):
    case = case_start_study(case=case, actor=staff_beltim)
    case = case_propose(case=case, actor=staff_beltim, outcome="not_violation", legal_analysis="Analisis.",
                        conclusion="Tidak terbukti.", reason="Bukti tidak cukup.")
    return case_approve(case=case, actor=lead_beltim, announcement="Bukan pelanggaran netralitas ASN.")


def _report(case) -> Report:
    return Report.objects.get(case_link__case=case)


def test_the_identity_is_erased_once_the_period_after_the_decision_has_passed(decided):
    result = reporter_identities_purge(now=decided.decided_at + timedelta(days=DAYS, minutes=1), days=DAYS)
    report = _report(decided)
    assert result.purged == {RULE_CASE_DECIDED: 1, RULE_CLOSED_WITHOUT_CASE: 0}
    assert report.reporter is None and report.identity_purged_at is not None
    assert report.description and report.tracking_hash and report.status == "registered"  # the rest stays
    entry = AuditEntry.objects.filter(action="report.identity_purged").get()
    assert entry.target_id == str(report.pk) and entry.actor is None
    assert entry.data == {"rule": RULE_CASE_DECIDED, "closed_on": str(timezone.localdate(decided.decided_at))}
    assert "Siti" not in json.dumps(entry.data) and "1906014107850001" not in json.dumps(entry.data)
    assert integrity_check().ok  # the audit chain still verifies


def test_the_identity_is_kept_before_the_period_is_over(decided):
    reporter_identities_purge(now=decided.decided_at + timedelta(days=DAYS - 1), days=DAYS)
    assert _report(decided).reporter["name"] == "Siti Aminah"


def test_an_open_case_keeps_the_identity_however_old(case):
    reporter_identities_purge(now=case.created_at + timedelta(days=10 * DAYS), days=DAYS)
    assert _report(case).reporter["name"] == "Siti Aminah"


def test_a_report_not_registered_is_erased_after_the_period_from_its_closing(report_beltim, staff_beltim):
    report = report_change_status(report=report_beltim, actor=staff_beltim, to_status="not_registered",
                                  public_note="Lewat batas waktu pelaporan.")
    kept = reporter_identities_purge(now=report.status_changed_at + timedelta(days=DAYS - 1), days=DAYS)
    assert kept.total == 0
    result = reporter_identities_purge(now=report.status_changed_at + timedelta(days=DAYS + 1), days=DAYS)
    assert result.purged[RULE_CLOSED_WITHOUT_CASE] == 1
    assert Report.objects.get(pk=report.pk).reporter is None


def test_a_withdrawn_report_is_erased_but_one_still_in_review_is_not(places, offices, election, report_beltim):
    withdrawn = report_withdraw(report=file_report(places["manggar"], election))
    result = reporter_identities_purge(now=withdrawn.status_changed_at + timedelta(days=3 * DAYS), days=DAYS)
    assert result.total == 1
    assert Report.objects.get(pk=withdrawn.pk).identity_purged_at is not None
    assert Report.objects.get(pk=report_beltim.pk).reporter["name"] == "Siti Aminah"  # still in review


def test_anonymous_information_has_nothing_to_erase(places, offices, election, staff_beltim):
    report = file_report(places["manggar"], election, anonymous=True)
    report_change_status(report=report, actor=staff_beltim, to_status="in_review")
    assert reporter_identities_purge(now=report.created_at + timedelta(days=3 * DAYS), days=DAYS).total == 0


def test_purging_twice_changes_nothing_the_second_time(decided):
    later = decided.decided_at + timedelta(days=DAYS + 1)
    assert reporter_identities_purge(now=later, days=DAYS).total == 1
    entries, erased_at = AuditEntry.objects.count(), _report(decided).identity_purged_at
    assert reporter_identities_purge(now=later + timedelta(days=1), days=DAYS).total == 0
    assert AuditEntry.objects.count() == entries and _report(decided).identity_purged_at == erased_at


def test_the_case_and_report_pages_still_render_after_the_purge(client, decided, lead_beltim):
    reporter_identities_purge(now=decided.decided_at + timedelta(days=DAYS + 1), days=DAYS)
    report = _report(decided)
    client.force_login(lead_beltim)
    assert client.get(decided.get_absolute_url()).status_code == 200
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert b'id="identity-purged"' in page.content and b"Siti Aminah" not in page.content
    revealed = client.post(reverse("reports:reveal_identity", args=[report.pk]))
    assert b"Siti Aminah" not in revealed.content


def test_a_closed_report_cannot_be_reopened_to_dodge_the_rule(report_beltim, staff_beltim):
    report = report_change_status(report=report_beltim, actor=staff_beltim, to_status="not_registered",
                                  public_note="Tidak memenuhi syarat.")
    with pytest.raises(ValidationError):
        report_change_status(report=report, actor=staff_beltim, to_status="in_review")


def test_the_daily_command_uses_the_configured_period(decided, settings, time_machine):
    settings.NETRAL_REPORTER_RETENTION_DAYS = 30
    time_machine.move_to(decided.decided_at + timedelta(days=31))
    out = io.StringIO()
    call_command("purge_reporter_identities", stdout=out)
    assert "Reporter identities erased: 1" in out.getvalue()
    assert _report(decided).reporter is None


def test_the_command_refuses_a_period_under_one_day():
    with pytest.raises(CommandError):
        call_command("purge_reporter_identities", "--days", "0")
