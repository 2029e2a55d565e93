"""Issue 20: an administrator types the agency of a register exchange; Pemda staff have no choice to make."""

import pytest
from django.urls import reverse

from netral.tests.growth import assert_page_does_not_grow, many_agencies, search_queries
from registry.models import ExchangeLog

pytestmark = pytest.mark.django_db

SEARCH = reverse("registry:agency_search")


def test_the_register_page_does_not_grow_with_the_agencies(client, admin_national, agencies, places):
    client.force_login(admin_national)
    assert_page_does_not_grow(client, reverse("registry:home"), grow=lambda: many_agencies(places["babel"]))


def test_the_page_has_a_typed_agency_for_each_form(client, admin_national, agencies):
    client.force_login(admin_national)
    html = client.get(reverse("registry:home")).content.decode()
    assert html.count('name="agency_name"') == 2
    assert 'id="upload-agency-results"' in html and 'id="export-agency-results"' in html
    assert "<select name=\"agency\"" not in html


def test_an_administrator_exports_an_agency_typed_by_name(client, admin_national, agencies):
    client.force_login(admin_national)
    response = client.post(reverse("registry:export"), {"format": "csv", "agency_name": "Kab. Bangka"})
    assert response.status_code == 200
    assert ExchangeLog.objects.get().agency == agencies["bangka"]


def test_a_name_of_several_agencies_comes_back_as_choices(client, admin_national, agencies, places):
    from organizations.models import Agency

    city = Agency.objects.create(name="Pemerintah Kota Bangka", region=places["babel"])
    client.force_login(admin_national)
    response = client.post(reverse("registry:export"), {"format": "csv", "agency_name": "Bangka"})
    assert response.status_code == 400
    form = response.context["export_form"]
    assert {pk for pk, _label in form.pick_choices["agency"]} == {agencies["bangka"].pk, city.pk}
    assert 'value="Bangka"' in response.content.decode()
    assert not ExchangeLog.objects.exists()
    # The whole name tells them apart.
    response = client.post(reverse("registry:export"), {"format": "csv", "agency_name": "Kota Bangka"})
    assert response.status_code == 200 and ExchangeLog.objects.get().agency == city


def test_the_search_offers_at_most_ten_agencies_in_constant_queries(client, admin_national, agencies, places):
    client.force_login(admin_national)
    response, few = search_queries(client, SEARCH, {"agency_name": "contoh"})
    assert response.status_code == 200 and response.context["rows"] == []
    many_agencies(places["babel"])
    response, many = search_queries(client, SEARCH, {"agency_name": "contoh"})
    assert len(response.context["rows"]) == 10 and many == few


def test_pemda_staff_find_only_their_own_agency(client, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    response, _queries = search_queries(client, SEARCH, {"q": "bangka"})
    assert response.status_code == 200 and response.context["rows"] == []
    response, _queries = search_queries(client, SEARCH, {"q": "belitung"})
    assert [pk for pk, _label in response.context["rows"]] == [agencies["beltim"].pk]
    # Another agency posted by id is not theirs: the export is of their own agency.
    response = client.post(reverse("registry:export"), {"format": "csv", "agency": agencies["bangka"].pk})
    assert response.status_code == 200
    assert ExchangeLog.objects.get().agency == agencies["beltim"]


@pytest.mark.parametrize("username", ["staf.beltim", "ppk.beltim", "bkn"])
def test_other_roles_may_not_search(client, cast, username):
    client.force_login(cast[username])
    assert client.get(SEARCH, {"q": "bangka"}).status_code == 403
