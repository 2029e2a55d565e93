"""Bawaslu staff log in, land on what needs them today, follow the overdue cases to the list with
its age and deadline columns, and log out from the header (desktop, 1366x768)."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from e2e.conftest import staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"viewport": {"width": 1366, "height": 768}}


def staff_work(places, staff):
    """A new report and a case of Belitung Timur whose study deadline passed two days ago."""
    from cases.services import case_register_report
    from cases.tests.conftest import all_met
    from reports.services import (
        ReportedPersonInput,
        ReporterIdentity,
        ReportSubmission,
        report_change_status,
        report_submit,
    )
    from reports.tracking import new_submission_token
    from rules.models import Election

    call_command("load_rules", verbosity=0)
    today = timezone.localdate()

    def submit(name):
        return report_submit(submission=ReportSubmission(
            election=Election.objects.get(pk="pilkada-2024"), region=places["manggar"], place="Lapangan Manggar",
            known_on=today, occurred_on=date(2024, 11, 20), description="Camat berorasi dalam kampanye pasangan calon bupati.",
            reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
            reported=[ReportedPersonInput(name=name, position="Camat", unit="Kecamatan Manggar")],
            links=["https://example.org/video/1"],
        ), submission_token=new_submission_token()).report

    new = submit("Andi Wijaya")
    report = report_change_status(report=submit("Budi Santoso"), actor=staff, to_status="in_review")
    case = case_register_report(report=report, actor=staff, checks=all_met())
    # Time has passed: the stored next deadline (kept by cases.services) lies two days back.
    Case.objects.filter(pk=case.pk).update(due_on=today - timedelta(days=2))
    return {"new": new, "case": case}


def test_staff_land_on_today_follow_the_overdue_cases_and_log_out(live_server, browser, places, offices,
                                                                  staff_beltim):
    work = staff_work(places, staff_beltim)
    base = live_server.url
    context = browser.new_context(**LAPTOP, locale="id-ID")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        staff_login(page, base, "staf.beltim")
        page.wait_for_url(f"{base}/staf/")
        assert page.locator("#new-reports").get_by_text(work["new"].number).count() == 1
        overdue = page.locator("#cases-overdue")
        assert overdue.locator(".count").inner_text() == "1"
        assert overdue.get_by_text(work["case"].number).count() == 1

        overdue.locator("h2 a").click()
        page.wait_for_url("**/staf/kasus/?*due=overdue*")
        headers = page.locator("thead th").all_inner_texts()
        assert any(text in headers for text in ("Umur", "Age"))
        assert any(text in headers for text in ("Tenggat berikutnya", "Next deadline"))
        row = page.locator("tbody tr", has_text=work["case"].number)
        assert "row-overdue" in row.get_attribute("class")
        badge = row.locator("td.deadline .badge.overdue").inner_text()
        assert badge in ("lewat 2 hari", "2 days late")  # said in words, not by colour alone

        logout = page.locator("header #logout button")
        assert logout.is_visible()
        logout.click()
        page.wait_for_url(f"{base}/")
        assert page.locator("header #logout").count() == 0
        page.goto(base + "/staf/")
        assert "/akun/masuk/" in page.url
    finally:
        context.close()
