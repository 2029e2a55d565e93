"""Issue 20: the pledges' coverage, the reach of socialization and the units' progress do not grow with
the jurisdiction (bench/staff_pages.py found them listing every unit and agency of the country)."""

import pytest
from django.urls import reverse

from netral.tests.growth import assert_page_does_not_grow, many_agencies
from organizations.models import Unit
from prevention.coverage import pledge_coverage_rebuild
from registry import identity
from registry.models import Employee

pytestmark = pytest.mark.django_db

PLEDGES = "/staf/pencegahan/ikrar/"
REACH = "/staf/pencegahan/jangkauan/"
PROGRESS = "/staf/daftar-periksa/kemajuan/"


def agencies_with_units(region, count: int, *, prefix: str, employees: bool = True):
    """``count`` agencies of ``region``, each with a unit and (``employees``) an active employee in it."""
    agencies = many_agencies(region, count, prefix=prefix)
    units = Unit.objects.bulk_create([Unit(agency=agency, name=f"Dinas Contoh {agency.name}") for agency in agencies])
    if employees:
        Employee.objects.bulk_create([
            Employee(kind=Employee.Kind.CONTRACT, nip=None, name=f"Pegawai {unit.name}", position="Pengemudi",
                     agency=unit.agency, unit=unit, active=True, register_number=identity.new_register_number())
            for unit in units])
    return agencies


def test_the_pledge_coverage_is_paged_per_agency_and_per_unit(client, staff_babel, places, election):
    client.force_login(staff_babel)
    # Both tables already hold more than a page (25) before the province grows tenfold.
    agencies_with_units(places["babel"], 30, prefix="Pemerintah Awal")
    # A province office reads the stored coverage (prevention.coverage): rebuilt after the growth, as the
    # page's refresh or the nightly command would.
    assert_page_does_not_grow(client, PLEDGES, grow=lambda: (
        agencies_with_units(places["babel"], 300, prefix="Pemerintah Baru"), pledge_coverage_rebuild()))
    response = client.get(PLEDGES, {"agencies_page": "2", "units_page": "13"})
    assert len(response.context["agencies"]) == 25 and len(response.context["units"]) == 25
    assert response.context["agency_page"].number == 2 and response.context["unit_page"].number == 13
    # Each table's links keep the other's page.
    assert "units_page=13&amp;agencies_page=3" in response.content.decode()


def test_the_reach_table_is_paged(client, staff_babel, places, themes):
    client.force_login(staff_babel)
    agencies_with_units(places["babel"], 30, prefix="Pemerintah Awal", employees=False)
    assert_page_does_not_grow(client, REACH, grow=lambda: agencies_with_units(places["babel"], 300,
                                                                               prefix="Pemerintah Baru",
                                                                               employees=False))
    rows = client.get(REACH, {"page": "2"}).context["rows"]
    assert len(rows) == 25


def test_the_progress_filter_is_a_typed_agency_not_a_select_of_every_agency(client, staff_babel, places, agencies,
                                                                            election):
    client.force_login(staff_babel)
    agencies_with_units(places["babel"], 30, prefix="Pemerintah Awal", employees=False)
    assert_page_does_not_grow(client, PROGRESS, grow=lambda: agencies_with_units(places["babel"], 300,
                                                                                  prefix="Pemerintah Baru",
                                                                                  employees=False))
    # Typed by name: the units of that agency only, and the export's link carries its id.
    response = client.get(PROGRESS, {"agency_name": "Pemerintah Kabupaten Belitung Timur"})
    assert response.context["agency"] == agencies["beltim"]
    assert {row.unit.agency_id for row in response.context["rows"]} == {agencies["beltim"].pk}
    assert f"agency={agencies['beltim'].pk}" in response.context["export_query"]
    # By id, as the export's link and the search's choice send it.
    assert client.get(PROGRESS, {"agency": agencies["beltim"].pk}).context["agency"] == agencies["beltim"]
    # A name that several agencies share comes back as "Did you mean", with every unit still listed.
    response = client.get(PROGRESS, {"agency_name": "Pemerintah Baru"})
    assert response.context["agency"] is None
    assert 'id="agency-choices"' in response.content.decode()
    assert response.context["filter_form"].errors


def test_the_progress_agency_search_offers_a_few_agencies_of_the_jurisdiction(client, staff_babel, places, agencies):
    client.force_login(staff_babel)
    agencies_with_units(places["babel"], 30, prefix="Pemerintah Awal", employees=False)
    url = reverse("prevention:checklist_agency_search")
    found = client.get(url, {"q": "Belitung Timur"}, headers={"HX-Request": "true"})
    assert found.status_code == 200 and "Pemerintah Kabupaten Belitung Timur" in found.content.decode()
    many = client.get(url, {"q": "Pemerintah Awal"}, headers={"HX-Request": "true"})
    assert 0 < many.content.decode().count("<li") <= 10
