"""The shapes of the public map against the region data (pure: no database)."""

import csv
import json
from pathlib import Path

from regions.geometry import REGENCY_FILE, regency_geometry, regency_map

AREA_DATA = Path(__file__).resolve().parents[1] / "data" / "idn-area-data-4.0.1"


def _regencies() -> dict[str, str]:
    with (AREA_DATA / "regencies.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["province_code"] for row in csv.DictReader(handle)}


def test_every_regency_and_city_of_the_edition_has_a_shape_in_its_province():
    regencies = _regencies()
    drawn = {code: province for province, level in regency_geometry().provinces.items() for code in level.shapes}
    assert drawn == regencies  # 514 regencies and cities, each in its own province's map
    assert len(regencies) == 514


def test_shapes_lie_inside_their_province_s_view_box_and_stay_small():
    for province, level in regency_geometry().provinces.items():
        x, y, width, height = level.view_box
        assert 500 < max(width, height) <= 1000, province  # scaled to 1,000 before the islets were dropped
        size = 0
        for shape in level.shapes.values():
            left, top, right, bottom = shape.bbox
            assert x <= left < right <= x + width and y <= top < bottom <= y + height, shape.code
            assert shape.d.startswith("M") and shape.d.endswith("z")
            size += len(shape.d)
        assert size < 20_000, province  # the province page's map stays light (largest today: 13 KB)


def test_the_source_and_its_license_are_recorded_with_the_data():
    source = json.loads(REGENCY_FILE.read_text(encoding="utf-8"))["source"]
    assert source["license"] == "MIT" and source["commit"] and len(source["files_sha256"]) == 38
    assert "MIT" in source["attribution"]


def test_an_unknown_province_has_no_regency_map():
    assert regency_map("19") is not None and regency_map("00") is None
