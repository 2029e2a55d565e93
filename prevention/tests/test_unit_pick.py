"""Issue 20: a banner's unit is typed and found within the jurisdiction, never a <select> of every unit."""

import pytest
from django.urls import reverse

from netral.tests.growth import assert_page_does_not_grow, search_queries
from prevention.models import Banner

pytestmark = pytest.mark.django_db

BANNERS = reverse("prevention:banners")
SEARCH = reverse("prevention:unit_search")


def many_units(agency, count=300, prefix="Sekolah Dasar Negeri"):
    from organizations.models import Unit

    Unit.objects.bulk_create([Unit(agency=agency, name=f"{prefix} {number:03d}") for number in range(count)])


def _data(election, **changes):
    return {"election": election.pk, "head_name": "dr. Budi", "head_position": "Kepala Dinas", **changes}


def test_the_banner_page_does_not_grow_with_the_units(client, staff_babel, agencies, election):
    client.force_login(staff_babel)
    assert_page_does_not_grow(client, BANNERS, grow=lambda: many_units(agencies["beltim"]))


def test_a_unit_typed_by_name_makes_the_banner(client, pemda_beltim, agencies, election):
    client.force_login(pemda_beltim)
    response = client.post(BANNERS, _data(election, unit_typed="dinas kesehatan"))
    assert response.status_code == 302
    assert Banner.objects.get().unit == agencies["dinkes_beltim"]


def test_the_same_unit_name_in_two_agencies_is_told_apart_by_the_agency(client, staff_babel, agencies, election):
    from organizations.models import Unit

    bangka = Unit.objects.create(agency=agencies["bangka"], name="Dinas Kesehatan")
    client.force_login(staff_babel)
    response = client.post(BANNERS, _data(election, unit_typed="Dinas Kesehatan"))
    assert response.status_code == 400
    assert {pk for pk, _label in response.context["form"].pick_choices["unit"]} == {
        agencies["dinkes_beltim"].pk, bangka.pk}
    response = client.post(BANNERS, _data(election, unit_typed="Dinas Kesehatan, Bangka"))
    assert response.status_code == 302 and Banner.objects.get().unit == bangka


def test_another_regencys_unit_is_neither_offered_nor_taken(client, staff_bangka, agencies, election):
    client.force_login(staff_bangka)
    response, _queries = search_queries(client, SEARCH, {"unit_typed": "kesehatan"})
    assert response.status_code == 200 and response.context["rows"] == []
    for data in ({"unit_typed": "Dinas Kesehatan"}, {"unit": agencies["dinkes_beltim"].pk}):
        response = client.post(BANNERS, _data(election, **data))
        assert response.status_code == 400 and response.context["form"].errors["unit_typed"]
    assert not Banner.objects.exists()


def test_the_search_offers_a_few_units_in_constant_queries(client, staff_babel, agencies):
    client.force_login(staff_babel)
    response, few = search_queries(client, SEARCH, {"unit_typed": "sekolah"})
    assert response.context["rows"] == []
    many_units(agencies["beltim"])
    response, many = search_queries(client, SEARCH, {"unit_typed": "sekolah"})
    assert len(response.context["rows"]) == 10 and many == few
