"""From a forwarded case to a published outcome: BKN recommends, the Pemda's PPK imposes, the portal shows it."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from e2e.conftest import staff_login
from followup.models import Decision, Recommendation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["pns", "pppk"])
def forwarding(request, live_server, places, offices, agencies, staff_beltim, lead_beltim, authority_bkn, ppk_beltim):
    """A forwarded case about a PNS, and the same about a PPPK (issue 14: a PPPK reaches a sanction too)."""
    from followup.tests.conftest import forward_case
    from registry.factories import EmployeeFactory
    from reports.services import ReportedPersonInput
    from rules.models import Election

    call_command("load_rules", verbosity=0)
    camat = EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Rudi Hartono",
                            position="Kepala Seksi Pemerintahan", kind=request.param)
    case = forward_case(region=places["manggar"], election=Election.objects.get(pk="pilkada-2024"),
                        staff=staff_beltim, lead=lead_beltim, known_on=timezone.localdate(),
                        persons=[ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)])
    return live_server.url, Recommendation.objects.get(case=case, stage="authority"), request.param


def sk_pdf() -> bytes:
    from letters.render import render_letter
    from letters.tests.samples import followup_reminder

    return render_letter("followup-reminder", followup_reminder())


def test_a_recommendation_is_issued_acted_on_and_published(forwarding, desktop, browser, phone):
    base, forwarded, kind = forwarding

    # BKN opens the forwarded case: the form is prefilled from the register and the case.
    staff_login(desktop, base, "bkn")
    desktop.goto(base + "/staf/tindak-lanjut/")
    desktop.click(f"a[href='{forwarded.get_absolute_url()}']")
    assert desktop.locator("#id_employee_kind").input_value() == kind
    assert desktop.locator("#id_position_class").input_value() == "pengawas"
    desktop.select_option("#id_grade", "moral")
    desktop.fill("#id_considerations", "Terlapor mengakui mengunggah foto tersebut.")
    desktop.click("#issue button[type=submit]")
    desktop.wait_for_selector(".flash-success")
    issued = Recommendation.objects.get(stage="ppk")
    assert issued.addressee.name == "Pemerintah Kabupaten Belitung Timur"

    # The PPK of Belitung Timur sees it in the inbox, acknowledges it and records the sanction.
    ppk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    staff_login(ppk, base, "ppk.beltim")
    ppk.goto(base + "/staf/tindak-lanjut/")
    assert issued.number in ppk.locator("#notices").inner_text()
    ppk.click(f"#recommendations a[href='{issued.get_absolute_url()}']")
    ppk.click("#acknowledge button[type=submit]")
    ppk.wait_for_selector(".flash-success")
    ppk.check("#decide input[name=outcome][value=imposed]")
    ppk.select_option("#id_sanction", "moral-statement-open")
    ppk.fill("#id_letter_number", "800.1.6.3/123/BKPSDM/2024")
    ppk.fill("#id_letter_date", timezone.localdate().isoformat())
    ppk.set_input_files("#id_upload", files=[{"name": "sk-bupati.pdf", "mimeType": "application/pdf",
                                              "buffer": sk_pdf()}])
    ppk.click("#decide button[type=submit]")
    ppk.wait_for_selector("#decision")
    assert "800.1.6.3/123/BKPSDM/2024" in ppk.locator("#decision").inner_text()
    decision = Decision.objects.get()
    assert decision.sanction == "moral-statement-open" and decision.file.read(5) == b"%PDF-"
    assert decision.recommendation.employee_kind == kind

    # The public follow-up register shows the outcome, the name masked, the reporter never.
    phone.goto(base + "/tindak-lanjut/")
    main = phone.locator("main").inner_text()
    assert "R*** H*****" in main and "Rudi Hartono" not in phone.content()
    assert "Sanksi moral berupa pernyataan secara terbuka" in main
    assert "Siti Aminah" not in phone.content()
