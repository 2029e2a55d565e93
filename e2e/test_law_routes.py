"""A report about a village head goes to the regent or mayor, never to BKN (issue 14)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from e2e.conftest import staff_login
from followup.models import Recommendation
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import new_submission_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filed(live_server, places, offices, staff_beltim, lead_beltim):
    from rules.models import Election

    call_command("load_rules", verbosity=0)
    report = report_submit(submission=ReportSubmission(
        election=Election.objects.get(pk="pilkada-2024"), region=places["manggar"], place="Desa Lalang",
        known_on=timezone.localdate(), occurred_on=date(2024, 11, 20),  # within the Pilkada's stages (issue 19)
        description="Kepala Desa Lalang mengunggah ajakan memilih calon bupati di akun Facebook-nya.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
        reported=[ReportedPersonInput(name="Ahmad Yani", position="Kepala Desa Lalang")],
        links=["https://example.org/post/9"],
    ), submission_token=new_submission_token()).report
    return live_server.url, report


def test_a_village_head_is_routed_to_the_regent_and_never_to_bkn(filed, desktop):
    base, report = filed
    staff_login(desktop, base, "staf.beltim")
    desktop.goto(base + report.get_absolute_url())
    desktop.click(f"a[href$='/staf/laporan/{report.pk}/registrasi/']")
    for box in desktop.locator("input[name^=met_]").all():  # staff tick what they checked (issue 18)
        box.check()
    desktop.click("button[name=register]")
    case = Case.objects.get()
    desktop.wait_for_url(f"**{case.get_absolute_url()}")
    desktop.click("form[action$='/kajian/'] button[type=submit]")

    # Staff say who the person is: a village head, not in the ASN register.
    kind_form = "form[action$='/jenis-terlapor/']"
    desktop.select_option(f"{kind_form} select[name=person]", index=1)
    desktop.select_option(f"{kind_form} select[name=subject]", "village_head")
    desktop.click(f"{kind_form} button[type=submit]")
    desktop.wait_for_selector(".flash-success")
    assert "Kepala desa" in desktop.locator(".badge").all_inner_texts()

    # The provision of the Village Law; the page says where it goes and why.
    desktop.locator("#propose input[name=violations][value=village-campaign-involvement]").check()
    desktop.select_option("#id_outcome", "forwarded_authority")
    desktop.fill("#id_legal_analysis", "Terlapor mengunggah ajakan memilih: UU 6/2014 Pasal 29 huruf j.")
    desktop.fill("#id_conclusion", "Terbukti terlibat dalam kampanye.")
    desktop.click("#propose button[type=submit]")
    error = desktop.locator("#propose .form-errors").inner_text()
    assert "bukan ASN" in error or "not a civil servant" in error
    case.refresh_from_db()
    assert case.status == "in_study"

    desktop.locator("#propose input[name=violations][value=village-campaign-involvement]").check()
    routes = desktop.locator(".routes").inner_text()
    assert "Bupati/Wali Kota" in routes and "Badan Kepegawaian Negara" not in routes
    desktop.select_option("#id_outcome", "forwarded_other")
    desktop.fill("#id_forwarded_to", "Bupati Belitung Timur")
    desktop.fill("#id_legal_analysis", "Terlapor mengunggah ajakan memilih: UU 6/2014 Pasal 29 huruf j.")
    desktop.fill("#id_conclusion", "Terbukti terlibat dalam kampanye.")
    desktop.click("#propose button[type=submit]")
    desktop.wait_for_selector(".flash-success")
    case.refresh_from_db()
    assert case.outcome == "forwarded_other" and case.forwarded_to == "Bupati Belitung Timur"
    assert not Recommendation.objects.filter(case=case).exists()
