"""A typed choice in the browser (issue 20): type a few letters, pick a suggestion, the hidden id follows."""

import pytest

from e2e.conftest import staff_login
from netral.tests.growth import many_agencies

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_picks_the_agency_of_an_export_from_the_suggestions(live_server, desktop, places, agencies,
                                                                            admin_national):
    from registry.models import ExchangeLog

    many_agencies(places["babel"], 30, prefix="Pemerintah Kabupaten Bangka Contoh")
    staff_login(desktop, live_server.url, "admin.nasional")
    desktop.goto(live_server.url + "/staf/register/")
    box = desktop.locator("#export-form [data-typed-choice]")
    box.locator("input[data-pick-text]").fill("bangka")
    pick = desktop.locator(f"#export-agency-results button[data-pick-id='{agencies['bangka'].pk}']")
    pick.wait_for()
    assert desktop.locator("#export-agency-results button").count() == 10  # a few, never all 31
    pick.click()
    assert box.locator("input[data-pick-text]").input_value() == "Pemerintah Kabupaten Bangka"
    assert box.locator("input[type=hidden]").input_value() == str(agencies["bangka"].pk)
    # Typing again forgets the picked id: what is typed is what counts.
    box.locator("input[data-pick-text]").fill("Pemerintah Kabupaten Belitung Timur")
    assert box.locator("input[type=hidden]").input_value() == ""
    with desktop.expect_download():
        desktop.click("#export-form button[type=submit]")
    assert ExchangeLog.objects.get().agency == agencies["beltim"]
