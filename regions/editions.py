"""Reading one edition of the official region codes from its files (pure: no ORM).

An edition is a folder with an ``edition.yaml`` (its name, source, regulation, license and the
SHA-256 of each file) and the CSV files of idn-area-data's layout:

    provinces.csv   code,name                      11,Aceh
    regencies.csv   code,province_code,name        11.01,11,Kabupaten Aceh Selatan
    districts.csv   code,regency_code,name         11.01.01,11.01,Bakongan
    villages.csv    code,district_code,name        11.01.01.2001,11.01.01,Keude Bakongan

and, optionally, ``replacements.csv`` (``old_code,new_code``): a retired code and the one that
took its place, where the source says so. A file whose digest differs from the manifest is
refused before anything is read from it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_EDITION = "idn-area-data@4.0.1"

# level → (file, the column naming the parent, the code's shape)
LEVELS = {
    "province": (1, "provinces.csv", None, re.compile(r"^\d{2}$")),
    "regency": (2, "regencies.csv", "province_code", re.compile(r"^\d{2}\.\d{2}$")),
    "district": (3, "districts.csv", "regency_code", re.compile(r"^\d{2}\.\d{2}\.\d{2}$")),
    "village": (4, "villages.csv", "district_code", re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")),
}
LEVEL_NAMES = tuple(LEVELS)


class EditionError(ValueError):
    """An edition that cannot be read; the message names the file and the row."""


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    parent_code: str | None


@dataclass
class Edition:
    name: str
    path: Path
    source: str
    regulation: str
    license: str
    rows: dict[str, list[Row]] = field(default_factory=dict)  # level name → rows, in code order
    replacements: dict[str, str] = field(default_factory=dict)


def edition_path(name: str) -> Path:
    """The folder of an edition shipped with Netral: ``idn-area-data@4.0.1`` → data/idn-area-data-4.0.1."""
    path = DATA_DIR / name.replace("@", "-")
    if not (path / "edition.yaml").is_file():
        shipped = sorted(p.parent.name for p in DATA_DIR.glob("*/edition.yaml"))
        raise EditionError(f"no edition {name!r} in {DATA_DIR} (shipped: {', '.join(shipped) or 'none'})")
    return path


def parse_levels(text: str) -> list[str]:
    """``"province,regency"`` → the levels in their order; every level needs those above it."""
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [level for level in wanted if level not in LEVELS]
    if unknown:
        raise EditionError(f"unknown level(s) {', '.join(unknown)} (known: {', '.join(LEVEL_NAMES)})")
    levels = [level for level in LEVEL_NAMES if level in wanted]
    if levels != list(LEVEL_NAMES[: len(levels)]):
        raise EditionError("the levels must start at province and skip none, e.g. province,regency")
    return levels


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verified_text(path: Path, manifest: dict, filename: str) -> str:
    expected = (manifest.get("files") or {}).get(filename)
    if not expected:
        raise EditionError(f"{path}: edition.yaml lists no SHA-256 for {filename}")
    if _digest(path / filename) != expected:
        raise EditionError(
            f"{path / filename}: its SHA-256 differs from edition.yaml: the file was changed "
            "or is not the edition's"
        )
    return (path / filename).read_text(encoding="utf-8-sig")


def _read_level(path: Path, manifest: dict, level: str, parents: set[str] | None) -> list[Row]:
    _number, filename, parent_column, shape = LEVELS[level]
    reader = csv.DictReader(io.StringIO(_verified_text(path, manifest, filename)))
    needed = {"code", "name"} | ({parent_column} if parent_column else set())
    if not needed <= set(reader.fieldnames or ()):
        raise EditionError(f"{path / filename}: expected the columns {', '.join(sorted(needed))}")
    rows, seen = [], set()
    for line, record in enumerate(reader, start=2):
        code, name = (record["code"] or "").strip(), " ".join((record["name"] or "").split())
        where = f"{path / filename}, line {line} ({code or 'no code'})"
        if not shape.match(code):
            raise EditionError(f"{where}: the code does not have the shape of a {level} code")
        if code in seen:
            raise EditionError(f"{where}: the code appears twice")
        if not name or len(name) > 100:
            raise EditionError(f"{where}: the name is missing or longer than 100 characters")
        parent = None
        if parent_column:
            parent = (record[parent_column] or "").strip()
            if parent != code.rsplit(".", 1)[0]:
                raise EditionError(f"{where}: its parent {parent!r} is not the start of its code")
            if parents is not None and parent not in parents:
                raise EditionError(f"{where}: its parent {parent} is not in the edition")
        seen.add(code)
        rows.append(Row(code=code, name=name, parent_code=parent))
    rows.sort(key=lambda row: row.code)
    return rows


def read_edition(path: Path | str, levels: list[str]) -> Edition:
    """Read and check the files of the given levels (in order, from province down)."""
    path = Path(path)
    try:
        manifest = yaml.safe_load((path / "edition.yaml").read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise EditionError(f"{path}: no edition.yaml") from None
    for key in ("name", "source"):
        if not manifest.get(key):
            raise EditionError(f"{path}/edition.yaml: '{key}' is missing")
    edition = Edition(
        name=str(manifest["name"]),
        path=path,
        source=" ".join(str(manifest["source"]).split()),
        regulation=" ".join(str(manifest.get("regulation", "")).split()),
        license=str(manifest.get("license", "")),
    )
    parents = None
    for level in levels:
        rows = _read_level(path, manifest, level, parents)
        edition.rows[level] = rows
        parents = {row.code for row in rows}
    if (path / "replacements.csv").is_file():
        reader = csv.DictReader(io.StringIO(_verified_text(path, manifest, "replacements.csv")))
        for line, record in enumerate(reader, start=2):
            old, new = (record.get("old_code") or "").strip(), (record.get("new_code") or "").strip()
            if not old or not new or old == new:
                raise EditionError(
                    f"{path / 'replacements.csv'}, line {line}: needs old_code and a different new_code"
                )
            edition.replacements[old] = new
    return edition


def time_zones() -> dict[str, str]:
    """Province code → IANA time zone, from data/time_zones.yaml (WIB when not listed)."""
    document = yaml.safe_load((DATA_DIR / "time_zones.yaml").read_text(encoding="utf-8"))
    zones = {}
    for label, zone in (("WITA", "Asia/Makassar"), ("WIT", "Asia/Jayapura")):
        for code in document.get(label) or []:
            zones[str(code)] = zone
    return zones
