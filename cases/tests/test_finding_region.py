"""The finding form's place (issue 20): typed and found by name within the user's jurisdiction,
never one <select> of every regency and district of the country."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case
from cases.tests.conftest import file_report
from regions.models import Region

pytestmark = pytest.mark.django_db
URL = reverse("cases:new_finding")


@pytest.fixture
def finding(election):
    return {"election": election.pk, "place": "Lapangan Manggar", "known_on": "2024-11-12",
            "summary": "Seorang camat ikut kampanye terbuka pasangan calon.", "person_name": "Budi"}


@pytest.fixture
def two_damar(places):
    """Two districts of the same name in one regency's jurisdiction, and one elsewhere."""
    return [
        Region.objects.create(code="19.06.08", name="Damar", level=3, parent=places["beltim"]),
        Region.objects.create(code="19.06.09", name="Damar Baru", level=3, parent=places["beltim"]),
        Region.objects.create(code="19.01.08", name="Damar", level=3, parent=places["bangka"]),
    ]


def test_one_match_is_taken(client, staff_beltim, places, finding):
    client.force_login(staff_beltim)
    response = client.post(URL, {**finding, "region_name": "manggar"})
    assert response.status_code == 302, response.context["form"].errors
    assert Case.objects.get().region == places["manggar"]


def test_only_regions_of_the_jurisdiction_are_found(client, staff_beltim, two_damar, finding):
    """"Damar" names a district of Beltim and one of Bangka: for Beltim's staff it is one match."""
    client.force_login(staff_beltim)
    response = client.post(URL, {**finding, "region_name": "Damar"})
    assert response.status_code == 302, response.context["form"].errors
    assert Case.objects.get().region == two_damar[0]


def test_a_region_outside_the_jurisdiction_is_not_found_even_by_id(client, staff_beltim, places, finding):
    client.force_login(staff_beltim)
    response = client.post(URL, {**finding, "region_name": "Sungailiat"})
    assert response.status_code == 400 and not Case.objects.exists()
    assert "di wilayah Anda" in str(response.context["form"].errors["region_name"])
    response = client.post(URL, {**finding, "region_name": "", "region": places["sungailiat"].pk})
    assert response.status_code == 400 and not Case.objects.exists()


def test_several_matches_come_back_as_choices_keeping_what_was_typed(client, staff_babel, two_damar, finding):
    client.force_login(staff_babel)
    response = client.post(URL, {**finding, "region_name": "Damar"})
    assert response.status_code == 400 and not Case.objects.exists()
    page = response.content.decode()
    assert "Damar, Kab. Belitung Timur" in page and "Damar, Kab. Bangka" in page
    assert page.count('type="radio" name="region"') == 2
    assert 'value="Damar"' in page and "Seorang camat ikut kampanye" in page and 'value="Lapangan Manggar"' in page
    response = client.post(URL, {**finding, "region_name": "Damar", "region": two_damar[2].pk})
    assert response.status_code == 302, response.context["form"].errors
    assert Case.objects.get().region == two_damar[2]


def test_no_match_and_no_place_are_said(client, staff_beltim, places, finding):
    client.force_login(staff_beltim)
    response = client.post(URL, {**finding, "region_name": "Atlantis"})
    assert response.status_code == 400
    assert 'value="Atlantis"' in response.content.decode()
    response = client.post(URL, {**finding, "region_name": ""})
    assert response.status_code == 400
    assert "Tulis kecamatan atau kabupaten/kota" in str(response.context["form"].errors["region_name"])
    assert not Case.objects.exists()


def test_a_finding_from_a_report_starts_from_its_place_by_name(client, staff_beltim, places, election, finding):
    report = file_report(places["manggar"], election, anonymous=True)
    client.force_login(staff_beltim)
    url = reverse("cases:finding_from_report", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'value="Manggar, Kab. Belitung Timur"' in page
    assert f'name="region" value="{places["manggar"].pk}"' not in page  # a typed name is not overruled by an id
    response = client.post(url, {**finding, "region_name": "Manggar, Kab. Belitung Timur"})
    assert response.status_code == 302, response.context["form"].errors
    assert Case.objects.get().region == places["manggar"]


def test_the_finding_page_does_not_grow_with_the_country(client, staff_babel, places):
    client.force_login(staff_babel)
    before = len(client.get(URL).content)
    call_command("load_regions", levels="province,regency", stdout=open("/dev/null", "w"))  # noqa: SIM115
    regencies = list(Region.objects.filter(level=Region.Level.REGENCY, retired_in=""))
    assert len(regencies) >= 514
    Region.objects.bulk_create([
        Region(code=f"{regency.code}.{n + 50:02d}", name=f"Kecamatan Uji {regency.code} {n}", level=3, parent=regency)
        for regency in regencies for n in range(6)
    ])
    assert abs(len(client.get(URL).content) - before) < 100, "the finding form grows with the regions loaded"
