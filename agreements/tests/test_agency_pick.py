"""Issue 20: the government of a new agreement is typed and found within the office's jurisdiction.

What every typed choice does (the page does not grow, a name within the jurisdiction is taken, another's
neither offered nor taken, the search in constant queries) is one table for all of them, this one and the
meeting's ceremony included: netral/tests/test_typed_choices.py. Here, what only this one does.
"""

import pytest
from django.urls import reverse

from netral.tests.growth import search_queries

pytestmark = pytest.mark.django_db

NEW = reverse("agreements:new")
SEARCH = reverse("agreements:agency_search")


def test_an_agencys_own_staff_have_their_agency_filled_in(client, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    form = client.get(NEW).context["form"]
    assert form["agency"].value() == agencies["beltim"].pk
    response, _queries = search_queries(client, SEARCH, {"agency_name": "bangka"})
    assert response.context["rows"] == []
