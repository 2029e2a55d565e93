"""Issue 20: one small-count rule on every public per-area figure (followup.public.area_count).

A count of 1 to K-1 in a regency/city is "fewer than K" on the map, its tables, the statistics
pages' per-region tables and the open data; national and province totals stay exact. The
national statistics page lists provinces (their regencies are on each province's page).
"""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from followup.public import area_count, region_figures, statistics_public
from followup.public_figures import public_figures_rebuild
from portal.tests.test_followup_register import _copies
from regions.models import Region

STATISTICS = reverse("portal:statistics")
BABEL = reverse("portal:statistics_province", args=["19"])
PROVINCE, REGENCY, DISTRICT, COUNTRY = (Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT,
                                        Region.Level.COUNTRY)


@pytest.mark.parametrize(("count", "k", "level", "value", "text"), [
    pytest.param(0, 5, REGENCY, 0, "0", id="zero-is-shown"),
    pytest.param(1, 5, REGENCY, None, "fewer than 5", id="one-in-a-regency-is-withheld"),
    pytest.param(4, 5, REGENCY, None, "fewer than 5", id="k-minus-one-is-withheld"),
    pytest.param(5, 5, REGENCY, 5, "5", id="k-is-exact"),
    pytest.param(3, 5, DISTRICT, None, "fewer than 5", id="below-a-regency-too"),
    pytest.param(3, 5, PROVINCE, 3, "3", id="a-province-total-is-exact"),
    pytest.param(2, 5, COUNTRY, 2, "2", id="a-national-total-is-exact"),
    pytest.param(1, 1, REGENCY, 1, "1", id="k-of-one-withholds-nothing"),
    pytest.param(2, 3, REGENCY, None, "fewer than 3", id="k-is-the-setting"),
])
def test_area_count(count, k, level, value, text):
    with translation.override("en"):
        shown = area_count(count, k=k, level=level)
    assert (shown.value, shown.text, shown.withheld) == (value, text, value is None)


def _cells(html: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', html, re.DOTALL)
    assert row, row_id
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.DOTALL)]


@pytest.mark.django_db
def test_the_national_page_lists_provinces_with_exact_totals_and_links(client, published, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 5
    html = client.get(STATISTICS).content.decode()
    # Five recommendations in Kepulauan Bangka Belitung: in time 2, late 1, ignored 1, pending 1 (exact).
    assert _cells(html, "region-19") == ["5", "2", "1", "1", "1"]
    assert f'<a href="{BABEL}">' in html
    assert 'id="region-19.06"' not in html and 'id="region-19.01"' not in html  # regencies: the province page
    stats = statistics_public()
    assert [(r.key, r.level, r.recommendations) for r in stats.regions] == [("19", "province", 5)]


@pytest.mark.django_db
def test_the_province_page_withholds_small_regency_counts_and_keeps_its_total(client, published, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 5
    html = client.get(BABEL).content.decode()
    # Belitung Timur: 4 recommendations (2 in time, 1 late, 0 ignored, 1 pending); Bangka: 1 ignored.
    assert _cells(html, "region-19.06") == ["kurang dari 5", "kurang dari 5", "kurang dari 5", "0", "kurang dari 5"]
    assert _cells(html, "region-19.01") == ["kurang dari 5", "0", "0", "kurang dari 5", "0"]
    assert _cells(html, "region-total") == ["5", "2", "1", "1", "1"]
    assert html.count('class="num withheld"') >= 6
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1
    assert _cells(client.get(BABEL).content.decode(), "region-19.06") == ["4", "2", "1", "0", "1"]


@pytest.mark.django_db
def test_the_map_withholds_regencies_and_shows_provinces_exactly(client, published, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 5
    html = client.get(STATISTICS).content.decode()
    # The national map's rows are provinces: totals, exact (4 recommendations due, 2 in time).
    assert _cells(html, "map-row-19") == ["5", "5", "50% (2/4)"]
    province = client.get(BABEL).content.decode()
    assert _cells(province, "map-row-19.06") == ["kurang dari 5", "kurang dari 5", "dirahasiakan"]
    assert _cells(province, "map-row-19.01") == ["kurang dari 5", "kurang dari 5", "dirahasiakan"]
    # The regencies' shapes say no more than their rows: withheld, no count on the page.
    withheld = re.search(r'<path class="map-area map-tw" d="[^"]*" data-code="19.06">', province)
    assert withheld and 'data-code="19.06" data-count' not in province


@pytest.mark.django_db
def test_the_open_data_withholds_small_regency_counts(client, published, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 5
    response = client.get(reverse("portal:open_data_statistics", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    regions = {(row["key"], row["measure"]): row["value"] for row in rows if row["section"] == "regions"}
    # Per regency/city, as before; 1 to 4 is an empty cell, 0 stays 0.
    assert regions[("19.06", "recommendations")] == "" and regions[("19.06", "ignored")] == "0"
    assert regions[("19.01", "ignored")] == "" and regions[("19.01", "in_time")] == "0"
    totals = {row["key"]: row["value"] for row in rows if row["section"] == "totals"}
    assert totals["recommendations"] == "5"  # national: exact
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1
    response = client.get(reverse("portal:open_data_statistics", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {(row["key"], row["measure"]): row["value"] for row in rows
            if row["section"] == "regions"}[("19.06", "recommendations")] == "4"


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries), len(response.content)


@pytest.mark.django_db
def test_the_province_page_does_not_grow_with_the_rows(client, published):
    public_figures_rebuild()  # stored figures: the page reads them, not computing them inline
    before, _size = _queries(client, BABEL)
    _copies(published["sanctioned"], 10)
    _copies(published["overdue"], 10)
    public_figures_rebuild()  # the new rows are counted by a refresh (followup.public_figures)
    figures = region_figures(province=Region.objects.get(code="19"))
    assert figures.total["recommendations"] == 25 and {r.key for r in figures.regions} == {"19.01", "19.06"}
    assert _queries(client, BABEL)[0] == before


@pytest.mark.django_db
def test_the_national_page_does_not_list_more_rows_for_more_regencies(client, published):
    """A recommendation in a third regency adds no row to the national page (its province has one)."""
    public_figures_rebuild()
    queries, size = _queries(client, STATISTICS)
    bangka_tengah = Region.objects.create(code="19.04", name="Kabupaten Bangka Tengah", level=REGENCY,
                                          parent=Region.objects.get(code="19"))
    case = published["overdue"].case
    case.region = bangka_tengah
    case.save(update_fields=["region"])
    public_figures_rebuild()  # counted by a refresh (followup.public_figures)
    html = client.get(STATISTICS).content.decode()
    assert 'id="region-19.04"' not in html and _cells(html, "region-19")[0] == "5"
    assert _queries(client, STATISTICS) == (queries, size)
    assert 'id="region-19.04"' in client.get(BABEL).content.decode()


@pytest.mark.django_db
def test_the_api_statistics_follow_the_same_rule(client, published, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 5
    response = client.get("/api/v1/statistics")
    assert response.status_code == 200
    regions = {(item["key"], item["measure"]): item["value"] for item in response.json() if item["section"] == "regions"}
    assert regions[("19.06", "recommendations")] is None and regions[("19.06", "ignored")] == 0
    totals = {item["key"]: item["value"] for item in response.json() if item["section"] == "totals"}
    assert totals["recommendations"] == 5
