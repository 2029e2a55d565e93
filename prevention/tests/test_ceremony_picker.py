"""Issue 20: who signed at a ceremony is ticked on a paged list that keeps the ticks across pages."""

from datetime import date

import pytest
from django.urls import reverse

from netral.tests.growth import assert_page_does_not_grow, many_employees
from prevention import services
from prevention.models import Pledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def ceremony(register, election, pemda_beltim):
    return services.ceremony_create(actor=pemda_beltim, title="Ikrar", election=election,
                                    held_on=date(2024, 10, 7), place="Manggar")


def url(ceremony):
    return reverse("prevention:ceremony", args=[ceremony.pk])


def test_the_ceremony_page_does_not_grow_with_the_register(client, ceremony, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    # 25 a page: a page already full before the register grows tenfold.
    many_employees(agencies["beltim"], agencies["dinkes_beltim"], 30, prefix="Awal")
    assert_page_does_not_grow(client, url(ceremony), grow=lambda: many_employees(
        agencies["beltim"], agencies["dinkes_beltim"], 300))


def test_ticks_are_kept_across_pages_and_recorded_together(client, ceremony, pemda_beltim, register, agencies):
    many_employees(agencies["beltim"], agencies["dinkes_beltim"], 30)  # two pages of candidates
    client.force_login(pemda_beltim)
    first = client.get(url(ceremony)).context["rows"]
    assert len(first) == 25
    ticked = [str(first[0][0].pk), str(first[1][0].pk)]
    # To the second page with two ticked on the first: they are carried as hidden ids.
    response = client.post(url(ceremony), {"employees": ticked, "goto": "2"})
    assert response.status_code == 200 and response.context["candidates"].number == 2
    assert response.context["carried"] == ticked and response.context["chosen_count"] == 2
    second = response.context["rows"]
    # Back to the first page with one more ticked on the second: the first page's boxes come back ticked.
    chosen = [*ticked, str(second[0][0].pk)]
    response = client.post(url(ceremony), {"employees": chosen, "goto": "1"})
    assert [ticked_now for _employee, ticked_now in response.context["rows"][:2]] == [True, True]
    assert response.context["carried"] == [str(second[0][0].pk)]
    response = client.post(url(ceremony), {"employees": chosen, "record": "1"})
    assert response.status_code == 302
    assert {str(pk) for pk in Pledge.objects.filter(ceremony=ceremony).values_list("employee_id", flat=True)} == set(
        chosen)


def test_the_search_narrows_the_list_and_keeps_the_ticks(client, ceremony, pemda_beltim, register):
    client.force_login(pemda_beltim)
    response = client.post(url(ceremony), {"employees": [register["ani"].pk], "q": "Manggar", "goto": "1"})
    assert {employee.unit.name for employee, _ticked in response.context["rows"]} == {"Kecamatan Manggar"}
    assert response.context["carried"] == [str(register["ani"].pk)]


def test_another_regencys_asn_is_neither_listed_nor_recorded(client, ceremony, pemda_beltim, register):
    client.force_login(pemda_beltim)
    listed = {employee.pk for employee, _ticked in client.get(url(ceremony), {"q": "a"}).context["rows"]}
    assert register["indra"].pk not in listed and register["ani"].pk in listed
    for chosen in ([register["indra"].pk], [register["ani"].pk, register["indra"].pk], ["9" * 30], []):
        response = client.post(url(ceremony), {"employees": chosen, "record": "1"})
        assert response.status_code == 400
        assert response.context["form"].errors
    assert not Pledge.objects.exists()
