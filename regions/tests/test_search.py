"""Finding a region by what a reporter types (regions.names, regions.selectors)."""

import pytest

from regions.models import Region
from regions.names import place_label, rank_by_name, region_key, split_place
from regions.selectors import region_candidates, region_filter_choices, region_label, region_resolve


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param("Kab. Belitung  Timur", "belitung timur", id="abbreviated-prefix"),
        pytest.param("KOTA Pangkal Pinang", "pangkal pinang", id="city"),
        pytest.param("Kecamatan Manggar", "manggar", id="district"),
        pytest.param("  ", "", id="blank"),
    ],
)
def test_region_key(text, key):
    assert region_key(text) == key


def test_a_suggestion_label_splits_back_into_name_and_where_it_lies():
    assert split_place(place_label("Manggar", "Kabupaten Belitung Timur")) == ("manggar", "belitung timur")
    assert place_label("Belitung Timur", "") == "Belitung Timur"


@pytest.mark.parametrize(
    ("key", "names", "expected"),
    [
        pytest.param("manggar", ["Manggarai", "Manggar", "Manggar Selatan"], ["Manggar"], id="equal-wins"),
        pytest.param(
            "belitung",
            ["Kabupaten Belitung Timur", "Belitung Selatan"],
            ["Kabupaten Belitung Timur", "Belitung Selatan"],
            id="words",
        ),
        pytest.param("mangg", ["Manggarai", "Sijuk"], ["Manggarai"], id="part-of-a-word"),
        pytest.param("", ["Manggar"], [], id="nothing-typed"),
    ],
)
def test_rank_by_name(key, names, expected):
    assert rank_by_name(key, [(name, name) for name in names]) == expected


@pytest.mark.django_db
def test_candidates_leave_out_retired_regions_and_villages(places):
    Region.objects.create(code="19.06.01.2001", name="Manggar Desa", level=4, parent=places["manggar"])
    gone = Region.objects.create(
        code="19.06.07", name="Manggar Lama", level=3, parent=places["beltim"], retired_in="test-second"
    )
    found = region_candidates("manggar")
    assert found == [places["manggar"]] and gone not in found
    assert region_label(found[0]) == "Manggar, Kab. Belitung Timur"
    assert region_label(places["beltim"]) == "Kabupaten Belitung Timur, Kepulauan Bangka Belitung"


@pytest.mark.django_db
def test_candidates_are_one_query_and_the_named_parent_narrows_them(places, django_assert_num_queries):
    Region.objects.create(code="19.01.09", name="Manggar", level=3, parent=places["bangka"])
    assert len(region_resolve("Manggar")) == 2
    with django_assert_num_queries(1):
        assert region_resolve("Manggar, Kab. Bangka")[0].parent.code == "19.01"


@pytest.mark.django_db
def test_the_filter_cascade_of_a_province_and_a_regency(places):
    assert [r.code for r in region_filter_choices(places["babel"])] == ["19.01", "19.06"]
    assert [r.code for r in region_filter_choices(places["babel"], chosen="19.06")] == [
        "19.01",
        "19.06",
        "19.06.01",
    ]
    assert [r.code for r in region_filter_choices(places["beltim"], chosen="19.01")] == ["19.06.01"]
    assert [r.code for r in region_filter_choices(places["country"], chosen="19.06.01")] == [
        "19",
        "19.01",
        "19.06",
        "19.06.01",
    ]
