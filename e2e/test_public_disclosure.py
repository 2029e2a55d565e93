"""Issue 18 item 10 on a phone: a one-person position is not published with its unit."""

import pytest

from portal.tests.conftest import lead_bangka, published  # noqa: F401 (the fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_one_person_position_is_generalised_in_the_public_register(live_server, phone, published):  # noqa: F811
    from registry.factories import EmployeeFactory

    row = f"#row-{published['sanctioned'].pk}"
    phone.goto(live_server.url + "/tindak-lanjut/")
    text = phone.locator(row).inner_text()
    # Rudi is the only head of section of Kecamatan Manggar in the register: neither the unit nor
    # the class is shown, only the agency that must act; the masked name stays.
    assert "Pemerintah Kabupaten Belitung Timur" in text and "R*** H******" in text
    assert "Kecamatan Manggar" not in text
    assert phone.locator(f"{row} th .muted").count() == 1  # "position withheld"
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, "the register must not scroll sideways on a phone"

    # Four more heads of section in the same unit: five share the class, the unit is shown.
    unit = published["camat"].unit
    for _number in range(4):
        EmployeeFactory(agency=unit.agency, unit=unit, position="Kepala Seksi Umum")
    phone.reload()
    assert "Kecamatan Manggar" in phone.locator(row).inner_text()
    assert phone.locator(f"{row} th .muted").count() == 0
