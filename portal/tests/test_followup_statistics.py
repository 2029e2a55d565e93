"""Public statistics: the figures equal hand counts of the fixtures; charts are accessible SVG."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.public import statistics_public
from followup.public_figures import public_figures_rebuild
from portal.tests.test_followup_register import _copies

pytestmark = pytest.mark.django_db

STATISTICS = reverse("portal:statistics")


def test_the_figures_equal_hand_counts(published, settings):
    stats = statistics_public()
    # Five reports, each registered, decided and forwarded to BKN; five recommendations to PPKs.
    assert {f.key: f.count for f in stats.totals} == {
        "reports_received": 5, "cases_registered": 5, "cases_decided": 5, "cases_forwarded_authority": 5,
        "recommendations": 5}
    assert stats.figure("outcomes", "forwarded_authority") == 5 and stats.figure("outcomes", "not_violation") == 0
    # In time: sanctioned (2 Dec) and refused (2 Dec), due 5 Dec; late: the letter of 6 Dec;
    # ignored: Bangka's, due 5 Dec; pending: issued 6 Dec, due 9 Dec.
    assert {f.key: f.count for f in stats.followup} == {
        "in_time": 2, "late": 1, "ignored": 1, "pending": 1, "sanctioned": 2, "refused": 1}
    assert {f.key: f.count for f in stats.sanction_families} == {"moral": 1, "discipline:heavy": 1}
    assert {f.key: f.count for f in stats.sanctions} == {"moral-statement-open": 1, "pns-demotion-12-months": 1}
    # By province (a province's total is exact); its regencies are on the province's page.
    regions = {r.key: (r.recommendations, r.in_time, r.late, r.ignored, r.pending) for r in stats.regions}
    assert regions == {"19": (5, 2, 1, 1, 1)}
    assert {r.key: r.label for r in stats.regions} == {"19": "Kepulauan Bangka Belitung"}
    # The open data's regencies/cities, with the small-count rule's K set to 1 (its own test: test_area_counts).
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1
    regencies = {r.key: (r.recommendations, r.in_time, r.late, r.ignored, r.pending)
                 for r in statistics_public(regencies=True).regions}
    assert regencies == {"19.01": (1, 0, 0, 1, 0), "19.06": (4, 2, 1, 0, 1)}
    violations = {v.key: (v.recommendations, v.sanctioned) for v in stats.violations}
    assert violations == {"partisan-photo": (4, 1), "campaign-mobilising-pns": (1, 1)}


def test_the_figures_of_another_election_are_empty(published):
    stats = statistics_public(election="pemilu-2024")
    assert all(f.count == 0 for f in stats.totals) and not stats.regions and not stats.sanctions


def test_the_page_shows_the_figures_with_charts_and_tables(client, published):
    response = client.get(STATISTICS)
    assert response.status_code == 200
    page = re.sub(r">\s+<", "><", response.content.decode())
    assert re.search(r'id="total-reports_received"><dt>[^<]+</dt><dd>5</dd>', page)
    assert re.search(r'id="followup-ignored"><th scope="row">[^<]+</th><td class="num">1</td>', page)
    assert re.search(r'id="region-19">.*?<td class="num">5</td><td class="num">2</td><td class="num">1</td>'
                     r'<td class="num">1</td><td class="num">1</td>', page, re.DOTALL)
    # Charts: inline SVG with a title and a description, never a script.
    assert page.count('<svg class="chart"') == 6 and page.count('role="img"') == 6
    assert '<title id="chart-followup-title">' in page and '<desc id="chart-followup-desc">' in page
    assert "<script>" not in page and "<table" in page and "<caption>" in page
    # The SVG numbers are never written with a decimal comma (Indonesian formatting).
    for attribute in re.findall(r'(?:width|x|y)="([^"]+)"', page.split('<svg class="chart"', 1)[1]):
        assert "," not in attribute


def test_the_page_is_filtered_by_election(client, published):
    response = client.get(STATISTICS, {"election": "pemilu-2024"})
    assert response.context["stats"].election == "pemilu-2024"
    assert response.context["stats"].figure("totals", "recommendations") == 0


def test_an_unknown_election_is_explained(client, published):
    response = client.get(STATISTICS, {"election": "tidak-ada"})
    assert response.status_code == 200 and response.context["form"].errors
    assert response.context["stats"].figure("totals", "recommendations") == 5


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_rows(client, published):
    public_figures_rebuild()  # stored figures: the page reads them, not computing them inline
    before = _queries(client, STATISTICS)
    _copies(published["sanctioned"], 20)
    _copies(published["overdue"], 20)
    public_figures_rebuild()  # the new rows are counted by a refresh (followup.public_figures)
    assert statistics_public().figure("totals", "recommendations") == 45
    assert _queries(client, STATISTICS) == before


def test_the_downloads_hold_the_page_figures(client, published, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1  # exact regency counts: the small-count rule has its own test
    stats = client.get(STATISTICS).context["stats"]
    response = client.get(reverse("portal:open_data_statistics", args=["csv"]))
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    figures = {(row["section"], row["key"], row["measure"]): int(row["value"]) for row in rows}
    assert figures[("totals", "recommendations", "count")] == 5
    assert figures[("followup", "late", "count")] == 1
    assert figures[("regions", "19.06", "pending")] == 1 and figures[("regions", "19.01", "ignored")] == 1
    assert figures[("violations", "partisan-photo", "recommendations")] == 4
    assert figures[("sanction_families", "discipline:heavy", "count")] == 1
    assert {row["as_of"] for row in rows} == {"2024-12-06"}
    for section in ("totals", "outcomes", "followup", "sanction_families", "sanctions"):
        for figure in getattr(stats, section):
            assert figures[(section, figure.key, "count")] == figure.count
    data = json.loads(b"".join(client.get(reverse("portal:open_data_statistics", args=["json"])).streaming_content))
    assert [(item["section"], item["key"], item["measure"], item["value"]) for item in data] == [
        (row["section"], row["key"], row["measure"], int(row["value"])) for row in rows]


def test_the_statistics_download_follows_the_election_filter(client, published):
    response = client.get(reverse("portal:open_data_statistics", args=["csv"]), {"election": "pemilu-2024"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["election_id"] for row in rows} == {"pemilu-2024"}
    assert all(row["value"] == "0" for row in rows if row["section"] == "totals")
