"""The report form's place (issue 20): typed and found by name, with suggestions, never one <select>
of every regency and district of the country."""

import gzip

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from regions.models import Region
from reports.models import Report, StagedFile

pytestmark = pytest.mark.django_db
URL = reverse("reports:submit")
SEARCH = reverse("reports:region_search")


@pytest.fixture
def typed(report_data):
    """The public form as a reporter without JavaScript sends it: the place typed, no region id."""
    data = {**report_data, "region_name": "Manggar"}
    del data["region"]
    return data


@pytest.fixture
def two_sijuk(places):
    """Two districts of the same name in two regencies (as Indonesia has many)."""
    return [
        Region.objects.create(code="19.06.09", name="Sijuk", level=3, parent=places["beltim"]),
        Region.objects.create(code="19.01.09", name="Sijuk", level=3, parent=places["bangka"]),
    ]


def test_a_typed_name_that_matches_one_district_is_taken(client, typed, places):
    response = client.post(URL, typed)
    assert response.status_code == 200, response.context["form"].errors
    assert Report.objects.get().region == places["manggar"]


@pytest.mark.parametrize("text", ["Kab. Belitung Timur", "kabupaten belitung timur", "Belitung Timur"])
def test_a_regency_is_found_with_or_without_its_prefix(client, typed, places, text):
    response = client.post(URL, {**typed, "region_name": text})
    assert response.status_code == 200, response.context["form"].errors
    assert Report.objects.get().region == places["beltim"]


def test_an_equal_name_wins_over_names_that_contain_it(client, typed, places):
    Region.objects.create(code="19.06.08", name="Manggar Selatan", level=3, parent=places["beltim"])
    assert client.post(URL, typed).status_code == 200
    assert Report.objects.get().region == places["manggar"]


def test_several_places_of_the_name_come_back_as_choices_keeping_what_was_typed(client, typed, two_sijuk):
    response = client.post(URL, {**typed, "region_name": "Sijuk"})
    assert response.status_code == 400
    assert not Report.objects.exists()
    page = response.content.decode()
    assert "Sijuk, Kab. Belitung Timur" in page and "Sijuk, Kab. Bangka" in page
    assert page.count('type="radio" name="region"') == 2
    assert 'name="region" value=""' not in page  # no hidden id beside the choices
    assert "Seorang kepala dinas memasang baliho" in page and 'value="Budi Santoso"' in page
    assert 'value="Sijuk"' in page
    # The reporter picks one: the report goes there.
    response = client.post(URL, {**typed, "region_name": "Sijuk", "region": two_sijuk[1].pk})
    assert response.status_code == 200, response.context["form"].errors
    assert Report.objects.get().region == two_sijuk[1]


def test_a_name_and_its_regency_as_a_suggestion_writes_them_pick_one(client, typed, two_sijuk):
    response = client.post(URL, {**typed, "region_name": "Sijuk, Kab. Bangka"})
    assert response.status_code == 200, response.context["form"].errors
    assert Report.objects.get().region == two_sijuk[1]


def test_an_unknown_name_is_said_in_plain_words(client, typed):
    response = client.post(URL, {**typed, "region_name": "Atlantis"})
    assert response.status_code == 400
    assert "Tidak ditemukan kabupaten/kota atau kecamatan dengan nama ini" in str(response.context["form"].errors["region_name"])
    assert not Report.objects.exists()


def test_no_place_at_all_is_asked_for(client, typed):
    response = client.post(URL, {**typed, "region_name": ""})
    assert response.status_code == 400
    assert "Tulis kecamatan atau kabupaten/kota" in str(response.context["form"].errors["region_name"])


def test_a_region_id_alone_still_works_for_partner_and_bench_posts(client, report_data, places):
    assert "region_name" not in report_data
    assert client.post(URL, report_data).status_code == 200
    assert Report.objects.get().region == places["manggar"]


@pytest.mark.parametrize("value", ["999999", "x" * 20, "1" * 19])
def test_a_bad_region_id_falls_back_to_the_typed_name(client, typed, places, value):
    response = client.post(URL, {**typed, "region": value})
    assert response.status_code == 200, response.context["form"].errors
    assert Report.objects.get().region == places["manggar"]


def test_a_retired_region_is_never_taken_nor_suggested(client, typed, places):
    Region.objects.filter(pk=places["manggar"].pk).update(retired_in="test-second")
    response = client.post(URL, typed)
    assert response.status_code == 400 and not Report.objects.exists()
    response = client.post(URL, {**typed, "region_name": "", "region": places["manggar"].pk})
    assert response.status_code == 400 and not Report.objects.exists()
    assert "Manggar" not in client.get(SEARCH, {"region_name": "Mangg"}).content.decode()


def test_files_sent_with_an_ambiguous_place_are_kept_for_the_next_try(client, typed, two_sijuk, photo):
    response = client.post(URL, {**typed, "region_name": "Sijuk", "evidence": [photo]})
    assert response.status_code == 400
    staged = list(StagedFile.objects.values_list("pk", flat=True))
    assert len(staged) == 1
    response = client.post(
        URL,
        {
            **typed,
            "region_name": "Sijuk",
            "region": two_sijuk[0].pk,
            "keep_staged": [str(pk) for pk in staged],
        },
    )
    assert response.status_code == 200, response.context["form"].errors
    report = Report.objects.get()
    assert report.region == two_sijuk[0] and report.attachments.count() == 1
    # The same form sent again (a double submit) gives the same report.
    client.post(URL, {**typed, "region_name": "Sijuk", "region": two_sijuk[0].pk})
    assert Report.objects.count() == 1


# --- The suggestions ------------------------------------------------------------------------------


def test_suggestions_are_buttons_with_the_name_and_where_it_lies(client, places, two_sijuk):
    response = client.get(SEARCH, {"region_name": "sijuk"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<button") == 2
    assert f'data-region="{two_sijuk[0].pk}" data-label="Sijuk, Kab. Belitung Timur"' in page


def test_at_most_ten_suggestions_shortest_names_first(client, places):
    Region.objects.bulk_create(
        [
            Region(code=f"19.06.{n + 10}", name="Panjang" + " Ilir" * n, level=3, parent=places["beltim"])
            for n in range(15)
        ]
    )
    page = client.get(SEARCH, {"region_name": "panjang"}).content.decode()
    assert page.count("<button") == 10
    assert 'data-label="Panjang, Kab. Belitung Timur"' in page.split("<button")[1]
    assert "Panjang" + " Ilir" * 10 + "," not in page


def test_one_letter_suggests_nothing_and_an_unknown_name_says_so(client, places):
    assert "<button" not in client.get(SEARCH, {"region_name": "m"}).content.decode()
    assert (
        "Tidak ada kabupaten/kota atau kecamatan dengan nama ini"
        in client.get(SEARCH, {"region_name": "Atlantis"}).content.decode()
    )


def test_suggestions_are_compressed_and_rate_limited_per_address(client, two_sijuk, settings):
    cache.clear()
    settings.NETRAL_REGION_SEARCHES_PER_ADDRESS = "2/h"
    response = client.get(SEARCH, {"region_name": "Sijuk"}, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"  # region names only: no secret to leak (BREACH)
    assert b"Sijuk, Kab. Bangka" in gzip.decompress(response.content)
    client.get(SEARCH, {"region_name": "Manggar"})
    assert client.get(SEARCH, {"region_name": "Manggar"}).status_code == 429
    cache.clear()


# --- The page does not grow with the country -------------------------------------------------------


def test_the_form_weighs_the_same_with_the_whole_country_loaded(client, places, offices):
    before = len(client.get(URL).content)
    call_command("load_regions", levels="province,regency", stdout=open("/dev/null", "w"))  # noqa: SIM115
    regencies = list(Region.objects.filter(level=Region.Level.REGENCY, retired_in=""))
    assert len(regencies) >= 514
    Region.objects.bulk_create(
        [
            Region(
                code=f"{regency.code}.{n + 50:02d}",
                name=f"Kecamatan Uji {regency.code} {n}",
                level=3,
                parent=regency,
            )
            for regency in regencies
            for n in range(6)
        ]
    )
    assert Region.objects.filter(level=Region.Level.DISTRICT).count() > 3000
    page = client.get(URL, headers={"accept-encoding": "gzip"})
    html = gzip.decompress(page.content)
    assert abs(len(html) - before) < 100, "the report form grows with the regions loaded"
    assert len(page.content) < 30 * 1024 / 3  # far under the 30 KB budget (bench/page_weight.py)
    assert b"<option" not in html.split(b'id="id_region_name"')[1].split(b"</fieldset>")[0]


# --- The staff inbox's region filter: a cascade ----------------------------------------------------

INBOX = reverse("reports:inbox")


@pytest.fixture
def staff_national(places):
    from conftest import _user
    from organizations.models import BawasluOffice

    office = BawasluOffice.objects.create(
        region=places["country"], name="Bawaslu RI", short_name="Bawaslu RI", number_code="RI"
    )
    return _user("staf.ri", "bawaslu_staff", bawaslu_office=office)


def region_options(response) -> list[str]:
    return [code for code, _label in response.context["filters"].fields["region"].choices if code]


def test_a_national_inbox_offers_provinces_then_what_lies_in_the_chosen_one(client, staff_national, places):
    call_command("load_regions", levels="province,regency", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(staff_national)
    assert len(region_options(client.get(INBOX))) == 38
    options = region_options(client.get(INBOX, {"region": "19.06"}))
    assert "19.06.01" in options and "19.01" in options and "11" in options  # Manggar, the regencies, Aceh
    assert not any(code.startswith("11.") for code in options)  # nothing inside the other provinces
    assert len(options) == 38 + 7 + 1


def test_the_inbox_filter_takes_the_same_queries_with_the_whole_country(
    client, staff_national, places, django_assert_max_num_queries
):
    client.force_login(staff_national)
    client.get(INBOX, {"region": "19.06.01"})
    with django_assert_max_num_queries(30) as before:
        client.get(INBOX, {"region": "19.06.01"})
    call_command("load_regions", levels="province,regency", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(INBOX, {"region": "19.06.01"})
    assert response.context["filters"].is_valid()


def test_the_load_benchs_plan_of_a_submission_is_accepted(client, places, offices):
    """bench/run.py (the load run, locust, the fault runs) types the place as a reporter does."""
    import sys
    from pathlib import Path

    from django.conf import settings

    sys.path.insert(0, str(Path(settings.BASE_DIR) / "bench"))
    try:
        import run as bench_run
    finally:
        sys.path.pop(0)
    page = client.get(URL)
    plan = bench_run.plan_submission(page.content, "Belitung Timur")
    data: dict[str, list[str]] = {"submission_token": [page.context["form"].initial["submission_token"]]}
    for name, value in plan.fields:
        data.setdefault(name, []).append(value)
    # Within the 2024 Pilkada's supervised stages (the bench uses today, on a server whose election is open).
    data["occurred_on"] = data["known_on"] = ["2024-11-11"]
    response = client.post(URL, data)
    assert response.status_code == 200, response.context["form"].errors
    assert Report.objects.get().region == places["beltim"]
