"""Issue 20: a banner's unit is typed and found within the jurisdiction, never a <select> of every unit.

What every typed choice does (the page does not grow, a name within the jurisdiction is taken, another's
neither offered nor taken, the search in constant queries) is one table for all of them, this one
included: netral/tests/test_typed_choices.py. Here, what only this one does.
"""

import pytest
from django.urls import reverse

from prevention.models import Banner

pytestmark = pytest.mark.django_db

BANNERS = reverse("prevention:banners")


def _data(election, **changes):
    return {"election": election.pk, "head_name": "dr. Budi", "head_position": "Kepala Dinas", **changes}


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
