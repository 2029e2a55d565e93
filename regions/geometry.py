"""The shapes of the provinces for the public map, by Kemendagri code (no GIS library needed).

``regions/data/geometry/provinces.json`` is written offline by ``build.py`` beside it from an
open data set (source, licence and simplification are recorded in the file and in
docs/dependencies.md): SVG path data already projected, simplified and quantized, at two
levels of detail: ``national`` (every province in one view box) and ``detail`` (finer, for a
province's own map). The file is read once per process.

Provinces made after the source was drawn (the 2022 split of Papua) have no shape of their
own: ``drawn_within`` names the shape they lie in, and ``shape_for`` answers with it.

``regencies.json`` (written by ``build_regencies.py`` from another open data set, recorded the
same way) holds the regencies and cities of each province, each province in its own view box:
``regency_map`` answers with one province's, for the province's own map.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GEOMETRY_FILE = Path(__file__).resolve().parent / "data" / "geometry" / "provinces.json"
REGENCY_FILE = GEOMETRY_FILE.with_name("regencies.json")
NATIONAL, DETAIL = "national", "detail"


@dataclass(frozen=True)
class Shape:
    """One drawn shape: its path data and bounding box in the level's view-box units."""

    code: str
    d: str
    bbox: tuple[int, int, int, int]


@dataclass(frozen=True)
class Geometry:
    source: dict
    view_boxes: dict  # level -> (x, y, width, height)
    shapes: dict  # level -> {code: Shape}
    drawn_within: dict  # province code without a shape -> the code of the shape it lies in
    names: dict  # province code -> name in the region edition the shapes were checked against

    def shape_for(self, code: str, *, level: str = NATIONAL) -> Shape | None:
        """The shape that draws province ``code``: its own, or the one it lies in, or None."""
        shapes = self.shapes[level]
        return shapes.get(code) or shapes.get(self.drawn_within.get(code, ""))

    def shares_with(self, code: str) -> list[str]:
        """The provinces drawn inside the shape of ``code`` (besides ``code`` itself)."""
        return sorted(other for other, within in self.drawn_within.items() if within == code)


@lru_cache(maxsize=1)
def geometry() -> Geometry:
    data = json.loads(GEOMETRY_FILE.read_text(encoding="utf-8"))
    shapes, view_boxes = {}, {}
    for level in (NATIONAL, DETAIL):
        view_boxes[level] = tuple(data[level]["view_box"])
        shapes[level] = {code: Shape(code=code, d=item["d"], bbox=tuple(item["bbox"]))
                         for code, item in data[level]["shapes"].items()}
    return Geometry(source=data["source"], view_boxes=view_boxes, shapes=shapes,
                    drawn_within=dict(data["drawn_within"]), names=dict(data["names"]))


def province_shapes() -> dict[str, Shape]:
    """Every shape of the national map, by province code."""
    return geometry().shapes[NATIONAL]


def province_shape(code: str, *, level: str = DETAIL) -> Shape | None:
    """The shape of one province (its own, or the one a newer province lies in)."""
    return geometry().shape_for(code, level=level)


@dataclass(frozen=True)
class RegencyMap:
    """The regencies and cities of one province, drawn in the province's own view box."""

    view_box: tuple[int, int, int, int]
    shapes: dict  # regency code -> Shape


@dataclass(frozen=True)
class RegencyGeometry:
    source: dict
    provinces: dict  # province code -> RegencyMap


@lru_cache(maxsize=1)
def regency_geometry() -> RegencyGeometry:
    data = json.loads(REGENCY_FILE.read_text(encoding="utf-8"))
    provinces = {
        code: RegencyMap(view_box=tuple(level["view_box"]),
                         shapes={regency: Shape(code=regency, d=item["d"], bbox=tuple(item["bbox"]))
                                 for regency, item in level["shapes"].items()})
        for code, level in data["provinces"].items()}
    return RegencyGeometry(source=data["source"], provinces=provinces)


def regency_map(province_code: str) -> RegencyMap | None:
    """The regency/city shapes of one province, or None for a province the data does not hold."""
    return regency_geometry().provinces.get(province_code)
