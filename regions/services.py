"""Writes to the region table: loading the official codes from a data file."""

import re
from pathlib import Path

import yaml
from django.db import transaction

from regions.models import Region

# The region files shipped with Netral (Kemendagri codes with their source).
DATA_DIR = Path(__file__).resolve().parent / "data"

# Country "ID", then Kemendagri codes nesting by prefix: "19", "19.06", "19.06.01".
_CODE = re.compile(r"^(ID|\d{2}(\.\d{2}){0,2})$")


class RegionDataError(ValueError):
    """A region data file that cannot be loaded; the message names the broken entry."""


def _level_of(code: str) -> int:
    return Region.Level.COUNTRY if code == "ID" else code.count(".") + 1


def _parent_code(code: str) -> str | None:
    if code == "ID":
        return None
    return code.rsplit(".", 1)[0] if "." in code else "ID"


def _entries(path: Path) -> list[dict]:
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(document, dict) or not isinstance(document.get("regions"), list):
        raise RegionDataError(f"{path}: expected a mapping with a 'regions' list")
    if not document.get("source"):
        raise RegionDataError(f"{path}: the file needs a 'source' for its codes")
    entries, seen = [], set()
    zones = set(Region.TimeZone.values)
    for index, entry in enumerate(document["regions"], start=1):
        where = f"{path}: entry {index}"
        if not isinstance(entry, dict):
            raise RegionDataError(f"{where}: expected a mapping")
        code, name = str(entry.get("code", "")).strip(), str(entry.get("name", "")).strip()
        where = f"{where} ({code or 'no code'})"
        if not _CODE.match(code):
            raise RegionDataError(f"{where}: the code must be 'ID' or like '19', '19.06', '19.06.01'")
        if code in seen:
            raise RegionDataError(f"{where}: the code appears twice")
        if not name:
            raise RegionDataError(f"{where}: the name is missing")
        level = entry.get("level", _level_of(code))
        if level != _level_of(code):
            raise RegionDataError(f"{where}: level {level} does not match the code (level {_level_of(code)})")
        time_zone = entry.get("time_zone")
        if time_zone is not None and time_zone not in zones:
            raise RegionDataError(f"{where}: time_zone must be one of {sorted(zones)}")
        seen.add(code)
        entries.append({"code": code, "name": name, "level": level, "time_zone": time_zone})
    return entries


@transaction.atomic
def regions_load(path) -> dict[str, int]:
    """Create or update the regions listed in the YAML file at ``path``, matched by code.

    Idempotent: a second load of the same file changes nothing. Regions in the database
    that the file does not list are left alone. Parents come from the codes and must be
    in the file or already in the database. The caller records the audit entry.
    Returns how many regions were created, updated and left unchanged.
    """
    entries = sorted(_entries(path), key=lambda entry: (entry["level"], entry["code"]))
    existing = {
        region.code: region
        for region in Region.objects.filter(code__in=[e["code"] for e in entries] + ["ID"])
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for entry in entries:
        parent = None
        parent_code = _parent_code(entry["code"])
        if parent_code is not None:
            parent = existing.get(parent_code) or Region.objects.filter(code=parent_code).first()
            if parent is None:
                raise RegionDataError(f"{path}: {entry['code']}: its parent {parent_code} is neither in the "
                                      "file nor in the database")
            existing[parent_code] = parent
        wanted = {
            "name": entry["name"],
            "level": entry["level"],
            "parent_id": parent.pk if parent else None,
            "time_zone": entry["time_zone"] or (parent.time_zone if parent else Region.TimeZone.WIB),
        }
        region = existing.get(entry["code"])
        if region is None:
            existing[entry["code"]] = Region.objects.create(code=entry["code"], **wanted)
            counts["created"] += 1
            continue
        changed = [field for field, value in wanted.items() if getattr(region, field) != value]
        if changed:
            for field in changed:
                setattr(region, field, wanted[field])
            region.save(update_fields=[field.removesuffix("_id") for field in changed])
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
