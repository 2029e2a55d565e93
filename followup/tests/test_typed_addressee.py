"""Issue 20: the addressee of a recommendation is typed and found, never a <select> of every agency."""

import pytest
from django.urls import reverse

from netral.tests.growth import assert_page_does_not_grow, many_agencies, search_queries

pytestmark = pytest.mark.django_db


def detail(rec):
    return reverse("followup:detail", args=[rec.pk])


def _issue_data(forwarded, **changes):
    data = {"person": forwarded.case.persons.get().pk, "employee_kind": "pns", "position_class": "pengawas",
            "violations": ["partisan-photo"], "grade": "moral", "considerations": "Terlapor mengakui."}
    data.update(changes)
    return data


def test_the_recommendation_page_does_not_grow_with_the_agencies(client, forwarded, authority_bkn, places):
    client.force_login(authority_bkn)
    assert_page_does_not_grow(client, detail(forwarded), grow=lambda: many_agencies(places["babel"]))


def test_the_page_prefills_the_typed_addressee_and_offers_no_list(client, forwarded, authority_bkn, agencies):
    client.force_login(authority_bkn)
    response = client.get(detail(forwarded))
    html = response.content.decode()
    assert 'name="addressee_name"' in html and 'value="Pemerintah Kabupaten Belitung Timur"' in html
    assert f'name="addressee" value="{agencies["beltim"].pk}"' in html
    assert reverse("followup:issue_agencies", args=[forwarded.pk]) in html
    assert "<select name=\"addressee\"" not in html


def test_the_search_offers_a_few_agencies_by_name_in_constant_queries(client, forwarded, authority_bkn, agencies,
                                                                     places):
    client.force_login(authority_bkn)
    url = reverse("followup:issue_agencies", args=[forwarded.pk])
    response, few = search_queries(client, url, {"addressee_name": "belitung"})
    assert response.status_code == 200
    assert [pk for pk, _label in response.context["rows"]] == [agencies["beltim"].pk]
    many_agencies(places["babel"], prefix="Pemerintah Kabupaten Belitung Contoh")
    response, many = search_queries(client, url, {"addressee_name": "belitung"})
    assert len(response.context["rows"]) == 10 and many == few
    # The authority itself is never an addressee.
    response, _queries = search_queries(client, url, {"addressee_name": "Badan Kepegawaian"})
    assert response.context["rows"] == []


def test_another_account_may_not_search(client, forwarded, staff_bangka):
    client.force_login(staff_bangka)
    response = client.get(reverse("followup:issue_agencies", args=[forwarded.pk]), {"addressee_name": "bel"})
    assert response.status_code in (403, 404)


def test_a_typed_name_is_found_on_sending_without_javascript(client, forwarded, authority_bkn, agencies):
    from followup.models import Recommendation

    client.force_login(authority_bkn)
    response = client.post(reverse("followup:issue", args=[forwarded.pk]),
                           _issue_data(forwarded, addressee_name="kab. belitung timur"))
    assert response.status_code == 302
    assert Recommendation.objects.get(parent=forwarded).addressee == agencies["beltim"]


def test_a_name_of_several_agencies_comes_back_as_choices_keeping_what_was_typed(client, forwarded, authority_bkn,
                                                                                 agencies, places):
    from organizations.models import Agency

    other = Agency.objects.create(name="Pemerintah Kabupaten Belitung", region=places["babel"])
    client.force_login(authority_bkn)
    url = reverse("followup:issue", args=[forwarded.pk])
    response = client.post(url, _issue_data(forwarded, addressee_name="belit"))
    assert response.status_code == 400
    form = response.context["issue_form"]
    assert {pk for pk, _label in form.pick_choices["addressee"]} == {agencies["beltim"].pk, other.pk}
    html = response.content.decode()
    assert 'value="belit"' in html and f'type="radio" name="addressee" value="{other.pk}"' in html
    # The choice sent back is taken.
    response = client.post(url, _issue_data(forwarded, addressee_name="belit", addressee=other.pk))
    assert response.status_code == 302


def test_an_unknown_name_or_the_authority_is_refused_with_a_message(client, forwarded, authority_bkn):
    client.force_login(authority_bkn)
    url = reverse("followup:issue", args=[forwarded.pk])
    for data in ({"addressee_name": "Atlantis"}, {"addressee": authority_bkn.agency_id}, {}):
        response = client.post(url, _issue_data(forwarded, **data))
        assert response.status_code == 400
        assert response.context["issue_form"].errors["addressee_name"]
