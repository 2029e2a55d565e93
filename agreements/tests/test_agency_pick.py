"""Issue 20: the government of a new agreement is typed and found within the office's jurisdiction."""

from datetime import date

import pytest
from django.urls import reverse

from netral.tests.growth import assert_page_does_not_grow, many_agencies, search_queries

pytestmark = pytest.mark.django_db

NEW = reverse("agreements:new")
SEARCH = reverse("agreements:agency_search")


def _data(offices, office="beltim", **changes):
    data = {
        "kind": "mou", "title": "Nota Kesepakatan 2029", "place": "Manggar", "signed_on": "2024-11-01",
        "term_years": 3, "notice_days": 30, "scope": "Pencegahan", "office": offices[office].pk,
        "first_number": "021/HK.02/K.BB-06/11/2024", "first_signatory": "Ketua", "first_position": "Ketua Bawaslu",
        "second_number": "010/NK/XI/BT/2024", "second_signatory": "Bupati", "second_position": "Bupati"}
    data.update(changes)
    return data


def test_the_new_agreement_page_does_not_grow_with_the_agencies(client, staff_babel, agencies, places):
    client.force_login(staff_babel)
    assert_page_does_not_grow(client, NEW, grow=lambda: many_agencies(places["beltim"]))


def test_an_agency_typed_by_name_within_the_jurisdiction_is_taken(client, staff_beltim, offices, agencies):
    from agreements.models import Agreement

    client.force_login(staff_beltim)
    response = client.post(NEW, _data(offices, agency_name="belitung timur"))
    assert response.status_code == 302
    assert Agreement.objects.get().parties.get(position=2).agency == agencies["beltim"]


def test_another_regencys_agency_is_neither_offered_nor_taken(client, staff_beltim, offices, agencies):
    from agreements.models import Agreement

    client.force_login(staff_beltim)
    response, _queries = search_queries(client, SEARCH, {"agency_name": "bangka"})
    assert response.status_code == 200 and response.context["rows"] == []
    for data in ({"agency_name": "Kabupaten Bangka"}, {"agency": agencies["bangka"].pk}):
        response = client.post(NEW, _data(offices, **data))
        assert response.status_code == 400
        assert response.context["form"].errors["agency_name"]
        assert "021/HK.02/K.BB-06/11/2024" in response.content.decode()  # kept
    assert not Agreement.objects.exists()


def test_the_province_office_finds_a_few_of_many_in_constant_queries(client, staff_babel, agencies, places):
    client.force_login(staff_babel)
    response, few = search_queries(client, SEARCH, {"agency_name": "ka"})
    assert {pk for pk, _label in response.context["rows"]} == {agencies["beltim"].pk, agencies["bangka"].pk}
    many_agencies(places["bangka"])
    response, many = search_queries(client, SEARCH, {"agency_name": "ka"})
    assert len(response.context["rows"]) == 10 and many == few


def test_an_agencys_own_staff_have_their_agency_filled_in(client, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    form = client.get(NEW).context["form"]
    assert form["agency"].value() == agencies["beltim"].pk
    response, _queries = search_queries(client, SEARCH, {"agency_name": "bangka"})
    assert response.context["rows"] == []


# --- the pledge ceremony of an evaluation meeting -----------------------------------------------------

MEETING = reverse("agreements:standalone_meeting_new")
CEREMONIES = reverse("agreements:standalone_meeting_ceremonies")


def _ceremonies(election, offices, places, count, *, office="beltim", title="Ikrar Netralitas"):
    from prevention.models import Ceremony

    return Ceremony.objects.bulk_create([
        Ceremony(title=f"{title} {number:03d}", election=election, held_on=date(2024, 11, 20), place="Manggar",
                 office=offices[office], region=places[office]) for number in range(count)])


def _meeting(election, **changes):
    return {"election": election.pk, "title": "Evaluasi Pilkada", "held_on": "2024-11-20", "place": "Manggar",
            "participants": "BKPSDM; 3", "minutes": "Notulen", **changes}


def test_the_meeting_page_does_not_grow_with_the_ceremonies(client, staff_beltim, election, offices, places):
    client.force_login(staff_beltim)
    _ceremonies(election, offices, places, 3)
    assert_page_does_not_grow(client, MEETING, grow=lambda: _ceremonies(election, offices, places, 300,
                                                                         title="Ikrar Kecamatan"))


def test_a_ceremony_typed_by_title_is_linked_and_another_regencys_is_not(client, staff_beltim, election, offices,
                                                                        places):
    from agreements.models import EvaluationMeeting

    (own,) = _ceremonies(election, offices, places, 1, title="Ikrar Camat")
    (foreign,) = _ceremonies(election, offices, places, 1, office="bangka", title="Ikrar Sungailiat")
    client.force_login(staff_beltim)
    response, _queries = search_queries(client, CEREMONIES, {"ceremony_name": "ikrar"})
    assert [pk for pk, _label in response.context["rows"]] == [own.pk]
    for data in ({"ceremony_name": "Ikrar Sungailiat"}, {"ceremony": foreign.pk}):
        response = client.post(MEETING, _meeting(election, **data))
        assert response.status_code == 400 and response.context["form"].errors["ceremony_name"]
    response = client.post(MEETING, _meeting(election, ceremony_name="ikrar camat"))
    assert response.status_code == 302 and EvaluationMeeting.objects.get().ceremony == own
