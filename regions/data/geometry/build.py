"""Build ``provinces.json`` (the public map's shapes) from the npm package @svg-maps/indonesia.

Run offline, once per new edition of the source; the runtime reads only the JSON it writes
(``regions.geometry``), so the server needs no GIS library. Standard library only::

    cd /tmp && npm pack @svg-maps/indonesia@1.0.0 && tar xzf svg-maps-indonesia-1.0.0.tgz
    python regions/data/geometry/build.py /tmp/package/index.js

The source (CC BY 4.0, based on MapSVG's map of Indonesia) holds 34 province shapes, already
projected (longitude and latitude scaled linearly: an equirectangular projection), as SVG
paths of relative moves. This script

1. maps each shape to its Kemendagri code (``SHAPES``: the source's id and name, checked
   against ``idn-area-data``'s provinces.csv by name, aliases spelled out);
2. simplifies every ring (Douglas-Peucker), drops islets smaller than a few square units
   (a province always keeps its largest ring);
3. scales to a view box ``LEVELS`` units wide and quantizes to whole units, writing each path
   as a start point and relative steps ("M12 34l3-2 5 1z"), with each shape's bounding box;
   twice: coarse for the national map, finer for a province's own map.

The four provinces made in 2022 out of Papua and Papua Barat (93-96) have no shape of their
own in the source, which predates them: ``DRAWN_WITHIN`` draws each inside the shape of the
province it was carved from, and the page says so.
"""

import csv
import hashlib
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROVINCES_CSV = HERE.parent / "idn-area-data-4.0.1" / "provinces.csv"
OUTPUT = HERE / "provinces.json"

SOURCE = {
    "package": "@svg-maps/indonesia",
    "version": "1.0.0",
    "license": "CC-BY-4.0",
    "attribution": "Peta dasar: MapSVG (mapsvg.com), paket npm @svg-maps/indonesia 1.0.0, CC BY 4.0; "
                   "disederhanakan oleh Netral.",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    # The tarball matched the registry's dist.integrity
    # sha512-SDLWMHkLuuqOtfGPWcK703tiI149AOBb5U/jRMxtcGCMUv5ru+xGWHWBgxdz5GoQd71mlHrsXBU66kxjrKyc4A==
    "index_js_sha256": "c2a8e75325db3752e4aeec271c76c070f8d58e7d97eed57c59957316a18a0ffb",
}

# Two levels of detail: the national map (all provinces in one view box WIDTH units wide),
# and a finer one for a province's own map (the same projection, DETAIL_WIDTH units wide).
# Each: (width of the country in view-box units, Douglas-Peucker tolerance in those units,
# islets below this many square units dropped).
LEVELS = {"national": (1000, 0.3, 0.5), "detail": (8000, 1.2, 6.0)}

# The source's id and name -> the Kemendagri province code. The name is the source's; the
# build checks it against provinces.csv (ALIASES where the spelling differs).
SHAPES = {
    "id-ac": ("Aceh", "11"), "id-su": ("Sumatera Utara", "12"), "id-sb": ("Sumatera Barat", "13"),
    "id-ri": ("Riau", "14"), "id-ja": ("Jambi", "15"), "id-ss": ("Sumatera Selatan", "16"),
    "id-be": ("Bengkulu", "17"), "id-la": ("Lampung", "18"), "id-bb": ("Bangka Belitung", "19"),
    "id-kr": ("Kepulauan Riau", "21"), "id-jk": ("Jakarta Raya", "31"), "id-jb": ("Jawa Barat", "32"),
    "id-jt": ("Jawa Tengah", "33"), "id-yo": ("Yogyakarta", "34"), "id-ji": ("Jawa Timur", "35"),
    "id-bt": ("Banten", "36"), "id-ba": ("Bali", "51"), "id-nb": ("Nusa Tenggara Barat", "52"),
    "id-nt": ("Nusa Tenggara Timur", "53"), "id-kb": ("Kalimantan Barat", "61"),
    "id-kt": ("Kalimantan Tengah", "62"), "id-ks": ("Kalimantan Selatan", "63"),
    "id-ki": ("Kalimantan Timur", "64"), "id-ku": ("Kalimantan Utara", "65"),
    "id-sa": ("Sulawesi Utara", "71"), "id-st": ("Sulawesi Tengah", "72"), "id-sn": ("Sulawesi Selatan", "73"),
    "id-sg": ("Sulawesi Tenggara", "74"), "id-go": ("Gorontalo", "75"), "id-sr": ("Sulawesi Barat", "76"),
    "id-ma": ("Maluku", "81"), "id-mu": ("Maluku Utara", "82"), "id-pa": ("Papua", "91"),
    "id-pb": ("Papua Barat", "92"),
}
ALIASES = {
    "Bangka Belitung": "Kepulauan Bangka Belitung",
    "Jakarta Raya": "Daerah Khusus Ibukota Jakarta",
    "Yogyakarta": "Daerah Istimewa Yogyakarta",
}
# Provinces made in 2022 (Undang-Undang 14, 15, 16 and 29 Tahun 2022) -> the shape they lie in.
DRAWN_WITHIN = {"93": "91", "94": "91", "95": "91", "96": "92"}

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
TOKEN = re.compile(r"[MmLlZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_path(d: str) -> list[list[tuple[float, float]]]:
    """Absolute rings of an SVG path made of M/m, L/l and Z/z (what the source uses)."""
    rings: list[list[tuple[float, float]]] = []
    ring: list[tuple[float, float]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = None
    tokens = TOKEN.findall(d)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "MmLlZz":
            command = token
            i += 1
            if command in "Zz":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start
            continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        if command in "Mm":
            if ring:
                rings.append(ring)
            x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
            start = (x, y)
            ring = [(x, y)]
            command = "l" if command == "m" else "L"  # pairs after a move are lines
        elif command in "Ll":
            x, y = (x + dx, y + dy) if command == "l" else (dx, dy)
            ring.append((x, y))
        else:
            raise ValueError(f"unexpected command {command!r}")
    if ring:
        rings.append(ring)
    return rings


def _distance(point, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (long rings would overflow a recursive one)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, None
        for k in range(first + 1, last):
            distance = _distance(points[k], points[first], points[last])
            if distance > farthest:
                farthest, index = distance, k
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def area(ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def encode(rings: list[list[tuple[int, int]]]) -> str:
    """ "M12 34l3-2 5 1z": absolute start, relative steps, numbers joined by space or sign."""
    def pair(a: int, b: int) -> str:
        return f"{a}{'' if b < 0 else ' '}{b}"

    parts = []
    for ring in rings:
        steps = []
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            steps.append(pair(x1 - x0, y1 - y0))
        text = "M" + pair(*ring[0]) + "l" + "".join(
            step if index == 0 or step.startswith("-") else " " + step for index, step in enumerate(steps)) + "z"
        parts.append(text)
    return "".join(parts)


def shape_of(scaled: list[list[tuple[float, float]]], *, tolerance: float, min_area: float) -> dict:
    """One shape from its rings in view-box units: the largest ring always kept, islets under
    ``min_area`` dropped, each ring simplified and quantized; its path, bounding box and points."""
    rings = []
    for index, ring in enumerate(sorted(scaled, key=area, reverse=True)):
        if index and area(ring) < min_area:
            continue
        quantized = []
        for x, y in simplify(ring + [ring[0]], tolerance)[:-1]:
            point = (round(x), round(y))
            if not quantized or quantized[-1] != point:
                quantized.append(point)
        if len(quantized) >= 3 or index == 0:
            rings.append(quantized)
    all_x = [x for ring in rings for x, _y in ring]
    all_y = [y for ring in rings for _x, y in ring]
    return {"d": encode(rings), "bbox": [min(all_x), min(all_y), max(all_x), max(all_y)],
            "points": sum(len(ring) for ring in rings)}


def _key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).casefold().replace("-", " ").strip()


def build(source_index: Path) -> dict:
    digest = hashlib.sha256(source_index.read_bytes()).hexdigest()
    if digest != SOURCE["index_js_sha256"]:
        raise SystemExit(f"{source_index}: SHA-256 {digest} is not the one this script was checked with")
    text = source_index.read_text(encoding="utf-8")
    data = json.loads(text[text.index("{"):text.rindex("}") + 1])
    provinces = {row["code"]: row["name"] for row in csv.DictReader(PROVINCES_CSV.open(encoding="utf-8"))}
    locations = {location["id"]: location for location in data["locations"]}
    if set(locations) != set(SHAPES):
        raise SystemExit(f"the source's shapes differ from SHAPES: {sorted(set(locations) ^ set(SHAPES))}")
    for shape_id, (name, code) in SHAPES.items():
        if locations[shape_id]["name"] != name:
            raise SystemExit(f"{shape_id}: the source says {locations[shape_id]['name']!r}, SHAPES {name!r}")
        if _key(ALIASES.get(name, name)) != _key(provinces[code]):
            raise SystemExit(f"{shape_id} {name!r} is not province {code} {provinces[code]!r}")
    covered = {code for _name, code in SHAPES.values()} | set(DRAWN_WITHIN)
    if covered != set(provinces):
        raise SystemExit(f"provinces without a shape: {sorted(set(provinces) - covered)}")

    raw = {code: parse_path(locations[shape_id]["path"]) for shape_id, (_name, code) in SHAPES.items()}
    result = {"source": SOURCE, "drawn_within": DRAWN_WITHIN}
    for level, (width, tolerance, min_area) in LEVELS.items():
        result[level] = _level(raw, width=width, tolerance=tolerance, min_area=min_area)
    result["names"] = {code: provinces[code] for code in sorted(provinces)}  # provinces.csv's, for titles
    return result


def _level(raw: dict, *, width: int, tolerance: float, min_area: float) -> dict:
    xs = [x for rings in raw.values() for ring in rings for x, _y in ring]
    ys = [y for rings in raw.values() for ring in rings for _x, y in ring]
    left, top = min(xs), min(ys)
    scale = width / (max(xs) - left)
    height = math.ceil((max(ys) - top) * scale)
    shapes, points = {}, 0
    for code in sorted(raw):
        scaled = [[((x - left) * scale, (y - top) * scale) for x, y in ring] for ring in raw[code]]
        shapes[code] = shape_of(scaled, tolerance=tolerance, min_area=min_area)
        points += shapes[code].pop("points")
    return {"width": width, "tolerance": tolerance, "min_area": min_area, "points": points,
            "view_box": [0, 0, width, height], "shapes": shapes}


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    result = build(Path(argv[1]))
    OUTPUT.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":"), indent=None) + "\n",
                      encoding="utf-8")
    for level in LEVELS:
        shapes = result[level]["shapes"]
        size = sum(len(shape["d"]) for shape in shapes.values())
        print(f"{level}: {len(shapes)} shapes, {result[level]['points']} points, {size} bytes of paths")


if __name__ == "__main__":
    main(sys.argv)
