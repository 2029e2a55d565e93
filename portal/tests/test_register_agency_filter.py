"""Issue 20: the public register's agency filter is typed and found, never a list of every agency."""

import pytest
from django.urls import reverse

from netral.tests.growth import assert_page_does_not_grow, many_agencies, search_queries

pytestmark = pytest.mark.django_db

REGISTER = reverse("portal:followup_register")
SEARCH = reverse("portal:register_agencies")


def _ids(rows):
    return {row.id for row in rows}


def test_the_register_page_does_not_grow_with_the_agencies(client, published, places):
    assert_page_does_not_grow(client, REGISTER, grow=lambda: many_agencies(places["babel"]))


def test_an_agency_typed_by_name_filters_the_register(client, published, agencies):
    response = client.get(REGISTER, {"agency_name": "Kab. Bangka"})
    assert _ids(response.context["rows"]) == {published["overdue"].pk}
    assert 'value="Kab. Bangka"' in response.content.decode()


def test_the_search_offers_only_agencies_with_a_published_row(client, published, agencies, places):
    response, few = search_queries(client, SEARCH, {"agency_name": "ka"})
    offered = {pk for pk, _label in response.context["rows"]}
    assert agencies["bangka"].pk in offered
    many_agencies(places["babel"], prefix="Pemerintah Kabupaten Tanpa Rekomendasi")
    response, many = search_queries(client, SEARCH, {"agency_name": "ka"})
    assert {pk for pk, _label in response.context["rows"]} == offered and many == few


def test_an_unknown_agency_is_explained_and_nothing_is_hidden(client, published, places):
    from organizations.models import Agency

    quiet = Agency.objects.create(name="Pemerintah Kota Contoh", region=places["babel"])
    for query in ({"agency_name": "Atlantis"}, {"agency": quiet.pk}, {"agency": "9" * 30}):
        response = client.get(REGISTER, query)
        assert response.status_code == 200
        assert response.context["form"].errors and len(response.context["rows"]) == 4
