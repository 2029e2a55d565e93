"""The public map on /statistik/ (portal/maps.py, regions/geometry.py): shapes, counts, disclosure, access.

The counts are checked against the ``published`` world (portal/tests/conftest.py: five reports,
five cases and five recommendations in Kepulauan Bangka Belitung) plus reports and a finding in
a second province, Jawa Barat, made through the real intake and case services.
"""

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.tests.conftest import file_report
from followup.public_figures import public_figures_rebuild
from regions.geometry import DETAIL, NATIONAL, geometry

STATISTICS = reverse("portal:statistics")
PROVINCES_CSV = Path(__file__).resolve().parents[2] / "regions" / "data" / "idn-area-data-4.0.1" / "provinces.csv"
SVG_LIMIT = 150 * 1024  # bytes: the limit for the national map


def _provinces() -> dict[str, str]:
    with PROVINCES_CSV.open(encoding="utf-8") as rows:
        return {row["code"]: row["name"] for row in csv.DictReader(rows)}


def _svg(html: str) -> str:
    start = html.index('<svg class="map"')
    return html[start:html.index("</svg>", start) + len("</svg>")]


def _paths(html: str) -> dict[str, str]:
    """data-code -> the whole <path ...> tag of the map."""
    return {match.group(1): match.group(0) for match in
            re.finditer(r'<path class="map-area[^"]*" d="[^"]*" data-code="([^"]+)"[^>]*>', _svg(html))}


def _row(html: str, code: str) -> list[str]:
    """The cells of the table row of ``code``, as text."""
    row = re.search(rf'<tr id="map-row-{re.escape(code)}"[^>]*>(.*?)</tr>', html, re.DOTALL).group(1)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row,
                                                                               re.DOTALL)]


# --- the shapes (no database) -------------------------------------------------------------------

def test_every_province_of_the_shipped_edition_has_a_shape_or_is_drawn_within_one():
    geo = geometry()
    provinces = _provinces()
    assert len(provinces) == 38
    for level in (NATIONAL, DETAIL):
        assert all(geo.shape_for(code, level=level) is not None for code in provinces), level
    # The 34 shapes of the source are provinces of the edition, under the edition's names.
    assert set(geo.shapes[NATIONAL]) <= set(provinces) and len(geo.shapes[NATIONAL]) == 34
    assert geo.names == provinces
    # Missing, with the reason written on the page: the provinces made in 2022 out of Papua and Papua Barat.
    assert geo.drawn_within == {"93": "91", "94": "91", "95": "91", "96": "92"}
    assert geo.shares_with("91") == ["93", "94", "95"] and geo.shares_with("92") == ["96"]


def test_the_shapes_are_compact_paths_inside_their_view_box():
    geo = geometry()
    for level in (NATIONAL, DETAIL):
        _x, _y, width, height = geo.view_boxes[level]
        for shape in geo.shapes[level].values():
            assert re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", shape.d), shape.code
            left, top, right, bottom = shape.bbox
            assert 0 <= left < right <= width and 0 <= top < bottom <= height, shape.code
    assert sum(len(shape.d) for shape in geo.shapes[NATIONAL].values()) < SVG_LIMIT // 2


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def country(places):
    """All 38 provinces of the shipped edition (Bangka Belitung is already there)."""
    from regions.models import Region

    for code, name in _provinces().items():
        if code != "19":
            Region.objects.create(code=code, name=name, level=Region.Level.PROVINCE, parent=places["country"])
    return Region.objects.filter(level=Region.Level.PROVINCE)


@pytest.fixture
def west_java(published, country):
    """Two reports in Kota Bandung and one finding registered from a third: a second province."""
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device
    from cases.services import case_register_finding
    from organizations.models import BawasluOffice
    from regions.models import Region
    from rules.models import Election

    province = Region.objects.get(code="32")
    bandung = Region.objects.create(code="32.73", name="Kota Bandung", level=Region.Level.REGENCY, parent=province)
    BawasluOffice.objects.create(region=province, name="Bawaslu Provinsi Jawa Barat", short_name="Bawaslu Jabar",
                                 number_code="PM.01/K.JB")
    election = Election.objects.get(pk="pilkada-2024")
    for _ in range(2):
        file_report(bandung, election, known_on=date(2024, 12, 4))
    staff = User.objects.create_user(username="staf.jabar", password="kata-sandi-uji-123", role="bawaslu_staff",
                                     bawaslu_office=BawasluOffice.objects.get(region=province))
    confirmed_totp_device(staff)
    case_register_finding(actor=staff, election=election, region=bandung, summary="Camat memakai atribut partai.",
                          place="Kantor kecamatan", known_on=date(2024, 12, 5))
    return province


@pytest.mark.django_db
def test_the_national_map_shows_the_known_counts_per_province(client, west_java, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1  # exact counts: the disclosure rule has its own test
    html = client.get(STATISTICS).content.decode()
    paths = _paths(html)
    # Reports: 5 in Bangka Belitung, 2 in Jawa Barat; the larger one is the darkest class.
    assert 'data-count="5"' in paths["19"] and "map-t4" in paths["19"]
    assert 'data-count="2"' in paths["32"] and "map-t4" not in paths["32"]
    assert "map-t0" in paths["11"] and 'data-count="0"' in paths["11"]
    assert _row(html, "19")[1:] == ["5", "5", "50% (2/4)"]  # in time 2 of 4 due (1 late, 1 ignored)
    assert _row(html, "32")[1:] == ["2", "1", "–"]
    assert _row(html, "11")[1:] == ["0", "0", "–"]

    cases = _paths(client.get(STATISTICS, {"figure": "cases"}).content.decode())
    assert 'data-count="5"' in cases["19"] and 'data-count="1"' in cases["32"]
    share = client.get(STATISTICS, {"figure": "in_time"}).content.decode()
    assert 'data-count="0.500"' in _paths(share)["19"] and "map-t3" in _paths(share)["19"]  # 50-74%
    assert "map-tn" in _paths(share)["32"] and "data-count" not in _paths(share)["32"]

    # Another election: nothing counted.
    other = client.get(STATISTICS, {"election": "pemilu-2024"}).content.decode()
    assert _row(other, "19")[1:] == ["0", "0", "–"] and 'data-count="0"' in _paths(other)["19"]


@pytest.mark.django_db
def test_a_province_map_shows_its_regencies(client, west_java, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1
    response = client.get(reverse("portal:statistics_province", args=["19"]))
    assert response.status_code == 200
    html = response.content.decode()
    # Each regency/city of Bangka Belitung is a shape of its own, shaded by its own count.
    assert set(_paths(html)) == {"19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"}
    assert 'data-count="4"' in _paths(html)["19.06"] and 'data-count="1"' in _paths(html)["19.01"]
    assert 'href="/static/licenses/wilayah-boundaries-MIT.txt" rel="license">MIT</a>' in html
    assert "cahyadsn/wilayah_boundaries" in html
    # The licence served is the one shipped beside the data.
    shipped = Path(__file__).resolve().parents[2] / "regions" / "data" / "geometry" / "LICENSE-wilayah-boundaries.txt"
    served = Path(__file__).resolve().parents[2] / "static" / "licenses" / "wilayah-boundaries-MIT.txt"
    assert served.read_bytes() == shipped.read_bytes()
    # Belitung Timur: four reports and cases, 2 of 3 due in time; Bangka: one each, its one due ignored.
    assert _row(html, "19.06")[1:] == ["4", "4", "67% (2/3)"]
    assert _row(html, "19.01")[1:] == ["1", "1", "0% (0/1)"]
    assert "32.73" not in html
    jabar = client.get(reverse("portal:statistics_province", args=["32"]), {"figure": "cases"}).content.decode()
    assert _row(jabar, "32.73")[1:] == ["2", "1", "–"] and 'data-count="1"' in _paths(jabar)["32.73"]
    # The regencies this installation has not loaded are drawn, unshaded, and say so.
    assert len(_paths(jabar)) == 27 and "map-tn" in _paths(jabar)["32.01"]
    # The province map is a small fraction of the national one.
    national = _svg(client.get(STATISTICS).content.decode())
    assert len(_svg(html).encode()) < len(national.encode()) / 5


@pytest.mark.django_db
def test_small_counts_follow_the_disclosure_rule(client, west_java, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 5
    html = client.get(STATISTICS).content.decode()
    # A province's figures are its totals: exact (issue 20), nothing withheld on the national map.
    assert 'data-count="2"' in _paths(html)["32"] and "map-tw" not in html
    assert _row(html, "32")[1:] == ["2", "1", "–"]
    assert 'data-count="5"' in _paths(html)["19"]
    assert _row(html, "19")[3] == "50% (2/4)"
    # A regency's counts of 1 to K-1 are withheld, and its share over fewer than K due.
    province = client.get(reverse("portal:statistics_province", args=["19"])).content.decode()
    assert _row(province, "19.01")[1:] == ["kurang dari 5", "kurang dari 5", "dirahasiakan"]
    assert _row(province, "19.06")[1:] == ["kurang dari 5", "kurang dari 5", "dirahasiakan"]
    # ... and so are their shapes: shaded as withheld, with no count to read off the page.
    assert "map-tw" in _paths(province)["19.06"] and "data-count" not in _paths(province)["19.06"]


@pytest.mark.django_db
def test_the_map_is_accessible_compact_and_within_the_csp(client, west_java):
    response = client.get(STATISTICS)
    html = response.content.decode()
    svg = _svg(html)
    assert len(svg.encode()) < SVG_LIMIT
    # One shape per province shape of the data, each a link to its province's map with a <title>.
    shapes = re.findall(r'<a href="([^"]+)" class="map-link"><path [^>]*><title>([^<]+)</title></path></a>', svg)
    assert len(shapes) == 34
    assert ("/statistik/32/", "Jawa Barat: Laporan diterima 2") in shapes
    assert re.search(r'role="group" aria-labelledby="map-title map-desc"', svg) and "<desc id=\"map-desc\">" in svg
    # The same figures in a table with a caption and headers, one row per province of the edition.
    assert '<caption id="map-table-caption">' in html and html.count('<tr id="map-row-') == 38
    assert html.count('<th scope="col"') >= 4 and '<th scope="row">' in html
    # Shaded by class, never by a style attribute: the policy allows no inline style.
    assert "style=" not in svg and "<script" not in svg
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    # The Papua provinces of 2022 lie in the shape of Papua, which shows their sum, and say so.
    assert 'data-code="91 93 94 95"' in svg and 'data-code="92 96"' in svg
    assert "Tidak ada batas wilayah sendiri" in re.sub(r"\s+", " ", "".join(_row(html, "94")))
    papua_tengah = client.get(reverse("portal:statistics_province", args=["94"])).content.decode()
    # Its own page draws its own regencies (the regency data postdates the split): no such note.
    assert 'id="map-drawn-within"' not in papua_tengah and 'data-code="94.01"' in papua_tengah


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_rows(client, west_java):
    from regions.models import Region
    from rules.models import Election

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    province_url = reverse("portal:statistics_province", args=["32"])
    public_figures_rebuild()  # stored figures: the pages read them, not computing them inline
    before = queries(STATISTICS), queries(province_url)
    election = Election.objects.get(pk="pilkada-2024")
    cimahi = Region.objects.create(code="32.77", name="Kota Cimahi", level=Region.Level.REGENCY,
                                   parent=Region.objects.get(code="32"))
    for _ in range(3):
        file_report(cimahi, election, known_on=date(2024, 12, 4))
    public_figures_rebuild()  # the new rows are counted by a refresh (followup.public_figures)
    cimahi_area = next(area for area in client.get(province_url).context["map"].areas if area.code == "32.77")
    assert cimahi_area.reports.withheld  # its three reports are counted (fewer than K: withheld)
    assert (queries(STATISTICS), queries(province_url)) == before


@pytest.mark.django_db
def test_unknown_codes_and_figures(client, west_java):
    assert client.get(reverse("portal:statistics_province", args=["99"])).status_code == 404
    # A regency's code is no province page (the route takes two digits only).
    assert client.get("/statistik/32.73/").status_code == 404
    response = client.get(STATISTICS, {"figure": "tidak-ada"})
    assert response.status_code == 200 and response.context["map"].figure == "reports"
    assert 'aria-current="true" id="map-figure-reports"' in response.content.decode()


@pytest.mark.django_db
def test_a_demo_of_one_province_draws_the_others_without_links(client, published):
    html = client.get(STATISTICS).content.decode()
    paths = _paths(html)
    assert len(paths) == 34 and "map-tn" in paths["11"]
    assert '<a href="/statistik/11/"' not in html and '<a href="/statistik/19/"' in html
