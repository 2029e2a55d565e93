"""A report becomes a case, is studied and forwarded; the reporter reads the announcement."""

from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from e2e.conftest import staff_login
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import derive_code, format_code, new_submission_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filed(live_server, places, offices, staff_beltim, lead_beltim):
    from rules.models import Election

    call_command("load_rules", verbosity=0)
    token = new_submission_token()
    report = report_submit(submission=ReportSubmission(
        election=Election.objects.get(pk="pilkada-2024"), region=places["manggar"], place="Lapangan Manggar",
        known_on=timezone.localdate(), occurred_on=date(2024, 11, 20),  # within the Pilkada's stages (issue 19)
        description="Camat Manggar berorasi dalam kampanye pasangan calon bupati.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
        reported=[ReportedPersonInput(name="Budi Santoso", position="Camat", unit="Kecamatan Manggar")],
        links=["https://example.org/video/1"],
    ), submission_token=token).report
    return live_server.url, report, format_code(derive_code(token, settings.SECRET_KEY))


def test_a_report_is_registered_studied_forwarded_and_announced(filed, desktop, browser, phone):
    base, report, code = filed

    # Staff check the requirements and register the report.
    staff_login(desktop, base, "staf.beltim")
    desktop.goto(base + report.get_absolute_url())
    desktop.click(f"a[href$='/staf/laporan/{report.pk}/registrasi/']")
    for box in desktop.locator("input[name^=met_]").all():  # staff tick what they checked (issue 18)
        box.check()
    desktop.click("button[name=register]")
    case = Case.objects.get()
    desktop.wait_for_url(f"**{case.get_absolute_url()}")
    assert case.number in desktop.locator("h1").inner_text()
    assert desktop.locator("#deadline").count() == 1

    # The study: analysis, violated provisions, proposed outcome.
    desktop.click("form[action$='/kajian/'] button[type=submit]")
    # A person typed by the reporter gets their kind from staff: it decides the route.
    kind_form = "form[action$='/jenis-terlapor/']"
    if desktop.locator(kind_form).count():
        desktop.select_option(f"{kind_form} select[name=person]", index=1)
        desktop.select_option(f"{kind_form} select[name=subject]", "pns")
        desktop.click(f"{kind_form} button[type=submit]")
        desktop.wait_for_selector(".flash-success")
    desktop.select_option("#id_outcome", "forwarded_authority")
    desktop.locator("#propose input[name=violations]").first.check()
    desktop.fill("#id_legal_analysis", "Terlapor berorasi dalam kampanye: memenuhi unsur PP 94/2021 Pasal 5 huruf n.")
    desktop.fill("#id_conclusion", "Terbukti melanggar netralitas ASN.")
    desktop.click("#propose button[type=submit]")
    desktop.wait_for_selector("text=Terbukti melanggar netralitas ASN.")

    # The leadership approves and announces; the letters are issued.
    lead = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff_login(lead, base, "ketua.beltim")
    lead.goto(base + case.get_absolute_url())
    lead.fill("#id_announcement", "Diteruskan kepada Badan Kepegawaian Negara untuk ditindaklanjuti.")
    lead.click("#approve button[type=submit]")
    lead.wait_for_selector("a[href*='/surat/']")
    case.refresh_from_db()
    assert case.status == "decided" and case.letters.count() == 2

    # The reporter reads the outcome with the code, and the public sees it on the portal.
    phone.goto(base + "/lacak/")
    phone.fill("#id_code", code)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/lacak/status/")
    assert "Diteruskan kepada Badan Kepegawaian Negara" in phone.locator("main").inner_text()
    phone.goto(base + "/pengumuman/")
    assert case.number in phone.locator("main").inner_text()
    assert "Siti Aminah" not in phone.content()
