"""Issue 20 at national scale: the staff list counts up to a bound, the compliance dashboard's agency
filter is a typed choice whose page does not grow with the agencies."""

import pytest
from django.urls import reverse

from followup import views
from followup.models import Recommendation
from netral.tests.growth import assert_page_does_not_grow, many_agencies, search_queries

pytestmark = pytest.mark.django_db

LIST = reverse("followup:list")
DASHBOARD = reverse("followup:dashboard")
AGENCIES = reverse("followup:dashboard_agencies")


def _copies(recommended, count):
    """More rows for the list (plain copies: the list's count and pages are what is measured here)."""
    for index in range(count):
        copy = Recommendation.objects.get(pk=recommended.pk)
        copy.pk, copy.person, copy.number = None, None, f"{recommended.number}-{index}"
        copy.save()


# --- the list: a bounded count, pages still numbered -------------------------------------------------

def _count_text(html: str) -> str:
    return html.split('id="recommendation-count">')[1].split("</p>")[0]


def test_the_list_says_more_than_the_bound_and_still_leads_to_every_page(client, recommended, ppk_beltim,
                                                                         monkeypatch):
    monkeypatch.setattr(views, "LIST_COUNT_BOUND", 25)
    _copies(recommended, 29)  # 30 rows, 25 a page
    client.force_login(ppk_beltim)
    first = client.get(LIST)
    html = first.content.decode()
    paginator = first.context["page"].paginator
    assert not paginator.exact and paginator.shown_count == 25
    assert "25" in _count_text(html) and "30" not in _count_text(html)
    assert 'page=2" rel="next"' in html
    second = client.get(LIST, {"page": "2"})
    html = second.content.decode()
    assert len(second.context["page"]) == 5
    assert second.context["page"].paginator.exact and second.context["page"].paginator.count == 30
    assert "30" in _count_text(html) and 'rel="next"' not in html and 'page=1" rel="prev"' in html
    assert client.get(LIST, {"page": "9"}).context["page"].number == 2  # past the end: the last page


def test_below_the_bound_the_list_is_counted_exactly(client, recommended, ppk_beltim):
    _copies(recommended, 2)
    client.force_login(ppk_beltim)
    response = client.get(LIST)
    assert response.context["page"].paginator.exact and response.context["page"].paginator.count == 3
    assert "3" in _count_text(response.content.decode())


def test_the_list_count_does_not_read_past_the_bound(client, recommended, ppk_beltim, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(views, "LIST_COUNT_BOUND", 25)
    _copies(recommended, 29)
    client.force_login(ppk_beltim)
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()
              and "followup_recommendation" in query["sql"]]
    assert len(counts) == 1 and "LIMIT 26" in counts[0].upper()


# --- the dashboard's agency filter: typed, bounded ----------------------------------------------------

def test_the_dashboard_of_the_country_does_not_grow_with_the_agencies(client, recommended, admin_national,
                                                                       places):
    client.force_login(admin_national)
    page = client.get(DASHBOARD).content.decode()
    assert 'name="agency_name"' in page and '<select name="agency"' not in page
    assert_page_does_not_grow(client, DASHBOARD, grow=lambda: many_agencies(places["babel"]))


def test_a_province_dashboard_does_not_grow_with_the_agencies(client, recommended, staff_babel, places):
    client.force_login(staff_babel)
    assert_page_does_not_grow(client, DASHBOARD, grow=lambda: many_agencies(places["beltim"]))


def test_an_agency_typed_by_name_filters_the_dashboard(client, recommended, admin_national, agencies):
    client.force_login(admin_national)
    response = client.get(DASHBOARD, {"agency_name": "Belitung Timur"})
    assert response.status_code == 200
    assert response.context["dashboard"].filter.agency == agencies["beltim"]
    by_id = client.get(DASHBOARD, {"agency": agencies["beltim"].pk, "agency_name": agencies["beltim"].name})
    assert by_id.status_code == 200 and by_id.context["dashboard"].filter.agency == agencies["beltim"]
    assert by_id.context["dashboard"].total.received == 1


def test_a_name_that_names_no_agency_is_said_not_ignored(client, recommended, admin_national):
    client.force_login(admin_national)
    response = client.get(DASHBOARD, {"agency_name": "Kabupaten Tidak Ada"})
    assert response.status_code == 400
    assert "agency_name" in response.context["form"].errors
    assert response.context["dashboard"].filter.agency is None


def test_several_agencies_of_one_name_come_back_as_did_you_mean(client, recommended, admin_national, places):
    many_agencies(places["babel"], 3, prefix="Pemerintah Kota Contoh")
    client.force_login(admin_national)
    response = client.get(DASHBOARD, {"agency_name": "Kota Contoh"})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('type="radio" name="agency"') == 3


def test_the_agency_search_offers_a_few_agencies_within_the_users_scope(client, recommended, admin_national,
                                                                         pemda_beltim, agencies, places):
    many_agencies(places["babel"])
    client.force_login(admin_national)
    response, queries = search_queries(client, AGENCIES, {"agency_name": "Contoh"})
    assert response.status_code == 200 and response.content.decode().count("data-pick-id") == 10
    bangka, _queries = search_queries(client, AGENCIES, {"agency_name": "Bangka"})
    assert f'data-pick-id="{agencies["bangka"].pk}"' in bangka.content.decode()
    client.force_login(pemda_beltim)  # a Pemda chooses only among the agencies of what it sees: its own
    foreign, _queries = search_queries(client, AGENCIES, {"agency_name": "Bangka"})
    assert foreign.status_code == 200 and "data-pick-id" not in foreign.content.decode()
    own, _queries = search_queries(client, AGENCIES, {"agency_name": "Belitung Timur"})
    assert f'data-pick-id="{agencies["beltim"].pk}"' in own.content.decode()


def test_another_agencys_id_is_refused_for_a_pemda_account(client, recommended, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    response = client.get(DASHBOARD, {"agency": agencies["bangka"].pk})
    assert response.status_code == 400
    assert response.context["dashboard"].filter.agency is None
