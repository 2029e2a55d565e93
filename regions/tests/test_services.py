import pytest

from regions.models import Region
from regions.services import DATA_DIR, RegionDataError, regions_load

DATA_FILE = DATA_DIR / "bangka_belitung.yaml"

pytestmark = pytest.mark.django_db


def write(tmp_path, text):
    path = tmp_path / "regions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loading_the_demo_file_builds_the_tree():
    counts = regions_load(DATA_FILE)
    assert counts == {"created": 24, "updated": 0, "unchanged": 0}
    manggar = Region.objects.get(code="19.06.01")
    assert (manggar.name, manggar.level, manggar.time_zone) == (
        "Manggar", Region.Level.DISTRICT, "Asia/Jakarta")
    regency = manggar.parent
    assert [regency.code, regency.parent.code, regency.parent.parent.code] == ["19.06", "19", "ID"]
    assert Region.objects.get(code="ID").parent is None


def test_loading_twice_changes_nothing():
    regions_load(DATA_FILE)
    before = list(Region.objects.values_list("pk", "code", "name", "level", "parent_id", "time_zone"))
    assert regions_load(DATA_FILE) == {"created": 0, "updated": 0, "unchanged": 24}
    assert list(Region.objects.values_list("pk", "code", "name", "level", "parent_id", "time_zone")) == before


def test_existing_regions_are_updated_in_place_not_duplicated(places):
    places["beltim"].name = "Kab. Beltim (old name)"
    places["beltim"].save()
    counts = regions_load(DATA_FILE)
    assert counts["updated"] >= 1
    assert Region.objects.filter(code="19.06").count() == 1
    places["beltim"].refresh_from_db()
    assert places["beltim"].name == "Kabupaten Belitung Timur"


def test_a_region_whose_parent_is_already_in_the_database_can_be_added(tmp_path, places):
    path = write(tmp_path, 'source: test\nregions:\n  - {code: "19.06.02", name: Gantung, level: 3}\n')
    regions_load(path)
    assert Region.objects.get(code="19.06.02").parent == places["beltim"]


@pytest.mark.parametrize(("text", "message"), [
    pytest.param('regions:\n  - {code: "ID", name: Indonesia, level: 0}\n', "source", id="no-source"),
    pytest.param("source: x\n", "regions", id="no-list"),
    pytest.param('source: x\nregions:\n  - {code: "19.6", name: Belitung Timur}\n', "19.6", id="bad-code"),
    pytest.param('source: x\nregions:\n  - {code: "19", name: Babel, level: 2}\n', "level", id="wrong-level"),
    pytest.param('source: x\nregions:\n  - {code: "19"}\n', "name", id="no-name"),
    pytest.param('source: x\nregions:\n  - {code: "ID", name: Indonesia}\n'
                 '  - {code: "ID", name: Indonesia}\n', "twice", id="duplicate"),
    pytest.param('source: x\nregions:\n  - {code: "ID", name: Indonesia, time_zone: UTC}\n', "time_zone",
                 id="bad-time-zone"),
    pytest.param('source: x\nregions:\n  - {code: "88.01", name: Nowhere}\n', "parent 88", id="orphan"),
])
def test_a_broken_file_is_refused_with_the_entry_named_and_nothing_written(tmp_path, text, message):
    with pytest.raises(RegionDataError, match=message):
        regions_load(write(tmp_path, text))
    assert not Region.objects.exists()
