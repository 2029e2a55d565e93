"""Build ``regencies.json`` (the regency/city shapes of a province's public map) from cahyadsn/wilayah_boundaries.

Run offline, once per new edition of the source; the runtime reads only the JSON it writes
(``regions.geometry``). Standard library only::

    git clone https://github.com/cahyadsn/wilayah_boundaries /tmp/wilayah_boundaries
    git -C /tmp/wilayah_boundaries checkout 3c5a7960f4d227a38489094d84252bdbb3f978a5
    python regions/data/geometry/build_regencies.py /tmp/wilayah_boundaries/db/kab

The source (MIT licence, by Cahya DSN; codes of Kepmendagri 300.2.2-2430 Tahun 2025) holds one
SQL file per province with a row per regency/city: its Kemendagri code, its name and its
boundary as a JSON list of polygons of [latitude, longitude] points, already simplified by the
source. This script

1. reads the rows of every file (the file's SHA-256 must be the one listed in ``SOURCE``);
2. checks each code against ``idn-area-data``'s regencies.csv (the edition the region loader
   uses) and fails on a regency without a shape; a shape without a regency of that edition is
   reported and left out;
3. projects each province on its own (equirectangular, longitudes scaled by the cosine of the
   province's middle latitude), scales it to a view box ``WIDTH`` units wide, simplifies
   every ring (Douglas-Peucker: build.py's shape_of), drops islets smaller than ``MIN_AREA`` square
   units (a regency always keeps its largest ring) and writes each path as build.py does.
"""

import csv
import hashlib
import json
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import shape_of  # noqa: E402  (the province build's simplification)

HERE = Path(__file__).resolve().parent
REGENCIES_CSV = HERE.parent / "idn-area-data-4.0.1" / "regencies.csv"
OUTPUT = HERE / "regencies.json"

SOURCE = {
    "repository": "https://github.com/cahyadsn/wilayah_boundaries",
    "commit": "3c5a7960f4d227a38489094d84252bdbb3f978a5",
    "license": "MIT",
    "attribution": "Batas kabupaten/kota: cahyadsn/wilayah_boundaries (Cahya DSN), lisensi MIT; "
                   "disederhanakan oleh Netral.",
    "license_url": "https://github.com/cahyadsn/wilayah_boundaries/blob/main/LICENSE",
    "regulation": "Kepmendagri Nomor 300.2.2-2430 Tahun 2025 (kode wilayah)",
}

# A province's map: WIDTH view-box units wide; Douglas-Peucker tolerance and smallest islet kept
# in those units.
WIDTH, TOLERANCE, MIN_AREA = 1000, 0.8, 4.0

ROW = re.compile(r"\('(?P<code>\d\d\.\d\d)','(?P<name>(?:[^']|'')*)',(?P<lat>[-0-9.eE]+),(?P<lng>[-0-9.eE]+),"
                 r"'(?P<path>\[[-0-9.eE,\[\] ]*\])'\)")


def _polygons(value) -> list[list[list[tuple[float, float]]]]:
    """The source's path as polygons of rings of (lat, lng): it nests a polygon or a multipolygon."""
    def depth(item) -> int:
        return 1 + depth(item[0]) if isinstance(item, list) and item else 0

    if depth(value) == 3:  # one polygon: rings of points
        value = [value]
    return [[[(point[0], point[1]) for point in ring] for ring in polygon] for polygon in value]


def read_rows(folder: Path) -> tuple[dict[str, dict], dict[str, str]]:
    """Every regency/city row of the source folder by code, and each file's SHA-256."""
    rows, digests = {}, {}
    for path in sorted(folder.glob("wilayah_boundaries_kab_*.sql")):
        data = path.read_bytes()
        digests[path.name] = hashlib.sha256(data).hexdigest()
        for match in ROW.finditer(data.decode("utf-8")):
            polygons = _polygons(json.loads(match["path"]))
            rows[match["code"]] = {"name": match["name"].replace("''", "'"), "polygons": polygons}
    return rows, digests


def _project(rows: dict[str, dict]) -> dict[str, list[list[tuple[float, float]]]]:
    """Outer rings of every polygon (holes are rare at this scale and left out) as (x, y)."""
    lats = [lat for row in rows.values() for polygon in row["polygons"] for lat, _lng in polygon[0]]
    factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
    return {code: [[(lng * factor, -lat) for lat, lng in polygon[0]] for polygon in row["polygons"] if polygon]
            for code, row in rows.items()}


def province_level(rows: dict[str, dict]) -> dict:
    raw = _project(rows)
    xs = [x for rings in raw.values() for ring in rings for x, _y in ring]
    ys = [y for rings in raw.values() for ring in rings for _x, y in ring]
    left, top = min(xs), min(ys)
    span = max(max(xs) - left, (max(ys) - top))  # a tall province fits the same square
    scale = WIDTH / span
    width, height = round((max(xs) - left) * scale), round((max(ys) - top) * scale)  # the points round alike
    shapes, points = {}, 0
    for code in sorted(raw):
        scaled = [[((x - left) * scale, (y - top) * scale) for x, y in ring] for ring in raw[code]]
        shapes[code] = shape_of(scaled, tolerance=TOLERANCE, min_area=MIN_AREA)
        points += shapes[code].pop("points")
    # The view box is what is drawn: islets dropped above may lie far out (Bangka Belitung's lie south).
    boxes = [shape["bbox"] for shape in shapes.values()]
    left, top = min(box[0] for box in boxes), min(box[1] for box in boxes)
    right, bottom = max(box[2] for box in boxes), max(box[3] for box in boxes)
    assert 0 <= left and 0 <= top and right <= width and bottom <= height
    return {"view_box": [left, top, right - left, bottom - top], "points": points, "shapes": shapes}


def build(folder: Path) -> dict:
    rows, digests = read_rows(folder)
    regencies = {row["code"]: row for row in csv.DictReader(REGENCIES_CSV.open(encoding="utf-8"))}
    missing = sorted(set(regencies) - set(rows))
    if missing:
        raise SystemExit(f"regencies of {REGENCIES_CSV.parent.name} without a shape: {missing}")
    extra = sorted(set(rows) - set(regencies))
    if extra:
        print(f"left out (not in {REGENCIES_CSV.parent.name}): {extra}")
    provinces: dict[str, dict[str, dict]] = {}
    for code in sorted(regencies):
        provinces.setdefault(regencies[code]["province_code"], {})[code] = rows[code]
    return {"source": {**SOURCE, "files_sha256": digests},
            "width": WIDTH, "tolerance": TOLERANCE, "min_area": MIN_AREA,
            "provinces": {code: province_level(members) for code, members in sorted(provinces.items())}}


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    result = build(Path(argv[1]))
    OUTPUT.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    for code, level in result["provinces"].items():
        size = sum(len(shape["d"]) for shape in level["shapes"].values())
        print(f"{code}: {len(level['shapes'])} shapes, {level['points']} points, {size} bytes of paths")
    print(f"{OUTPUT.name}: {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv)
