"""Writes to the region table: loading the official codes from a data file or an edition."""

import re
from collections import defaultdict
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from regions.editions import LEVELS, Edition, EditionError, time_zones
from regions.models import Region, RegionChange, RegionEdition

# The region files shipped with Netral (Kemendagri codes with their source).
DATA_DIR = Path(__file__).resolve().parent / "data"

# Country "ID", then Kemendagri codes nesting by prefix: "19", "19.06", "19.06.01".
_CODE = re.compile(r"^(ID|\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)$")


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


BATCH = 2000
COUNT_KEYS = ("created", "renamed", "retired", "restored", "unchanged")


def _country() -> Region:
    country, _created = Region.objects.get_or_create(
        code="ID", defaults={"name": "Indonesia", "level": Region.Level.COUNTRY, "time_zone": Region.TimeZone.WIB})
    return country


def _bulk_update(updates: list[tuple[int, dict]]) -> None:
    """Write the changed fields, grouped by which fields changed, in batches."""
    groups: dict[tuple[str, ...], list[Region]] = defaultdict(list)
    for pk, fields in updates:
        groups[tuple(sorted(fields))].append(Region(pk=pk, **fields))
    for fields, regions in groups.items():
        Region.objects.bulk_update(regions, [name.removesuffix("_id") for name in fields], batch_size=BATCH)


@transaction.atomic
def regions_apply_edition(*, edition: Edition, levels: list[str], actor=None) -> dict[str, dict[str, int]]:
    """Apply an edition of the region codes (regions.editions.read_edition) as a difference.

    Matched by code, level by level from the province down, in bulk: a new code is created; a
    code whose name changed is renamed, its old name kept in a RegionChange with the edition; a
    code the edition no longer lists (a split, a merge, a renumbering) is retired with the
    edition's name, never deleted, so every record pointing to it keeps working; a retired code
    listed again is restored. ``replacements.csv`` of the edition sets "replaced by" on retired
    codes; without it an administrator sets it in the admin. Only the given levels are compared:
    loading provinces and regencies retires no district. Idempotent: applying the same edition
    again writes nothing. Returns the counts per level (and "replaced").
    """
    now = timezone.now()
    zones = time_zones()
    country = _country()
    counts: dict[str, dict[str, int]] = {level: dict.fromkeys(COUNT_KEYS, 0) for level in levels}
    changes: list[RegionChange] = []
    parents = {"ID": (country.pk, country.time_zone)}
    for level in levels:
        number = LEVELS[level][0]
        tally = counts[level]
        existing = {
            code: (pk, name, parent_id, zone, retired_in)
            for code, pk, name, parent_id, zone, retired_in in Region.objects.filter(level=number).values_list(
                "code", "pk", "name", "parent_id", "time_zone", "retired_in")
        }
        new: list[Region] = []
        updates: list[tuple[int, dict]] = []
        listed = set()
        for row in edition.rows[level]:
            listed.add(row.code)
            parent_pk, parent_zone = parents[row.parent_code or "ID"]
            zone = zones.get(row.code, Region.TimeZone.WIB) if level == "province" else parent_zone
            current = existing.get(row.code)
            if current is None:
                new.append(Region(code=row.code, name=row.name, level=number, parent_id=parent_pk, time_zone=zone))
                continue
            pk, name, parent_id, current_zone, retired_in = current
            fields = {}
            if name != row.name:
                fields["name"] = row.name
                changes.append(RegionChange(region_id=pk, edition=edition.name, kind=RegionChange.Kind.RENAMED,
                                            old_name=name, new_name=row.name))
                tally["renamed"] += 1
            if parent_id != parent_pk:
                fields["parent_id"] = parent_pk
            if current_zone != zone:
                fields["time_zone"] = zone
            if retired_in:
                fields["retired_in"], fields["replaced_by_id"] = "", None
                changes.append(RegionChange(region_id=pk, edition=edition.name, kind=RegionChange.Kind.RESTORED,
                                            new_name=row.name))
                tally["restored"] += 1
            if fields:
                updates.append((pk, fields))
            else:
                tally["unchanged"] += 1
        Region.objects.bulk_create(new, batch_size=BATCH)
        tally["created"] = len(new)
        _bulk_update(updates)
        gone = [(code, values[0], values[1]) for code, values in existing.items()
                if code not in listed and not values[4]]
        for start in range(0, len(gone), BATCH):
            Region.objects.filter(pk__in=[pk for _code, pk, _name in gone[start:start + BATCH]]).update(
                retired_in=edition.name)
        changes.extend(RegionChange(region_id=pk, edition=edition.name, kind=RegionChange.Kind.RETIRED, old_name=name)
                       for _code, pk, name in gone)
        tally["retired"] = len(gone)
        parents = {code: (pk, zone) for code, pk, zone in Region.objects.filter(level=number).values_list(
            "code", "pk", "time_zone")}
    counts["replaced"] = {"set": _apply_replacements(edition, levels, changes)}
    RegionChange.objects.bulk_create(changes, batch_size=BATCH)
    changed = bool(changes) or any(counts[level]["created"] for level in levels)
    record = RegionEdition.objects.filter(name=edition.name).first()
    if changed or record is None or set(record.levels.split(",")) < set(levels):
        RegionEdition.objects.update_or_create(name=edition.name, defaults={
            "source": edition.source, "regulation": edition.regulation, "license": edition.license,
            "levels": ",".join(levels), "applied_at": now, "counts": counts,
        })
    if changed:
        audit_record(actor=actor, action="regions.edition_applied", target=f"regions.regionedition:{edition.name}",
                     data={"edition": edition.name, "levels": levels, "counts": counts})
    return counts


def _apply_replacements(edition: Edition, levels: list[str], changes: list[RegionChange]) -> int:
    """Set "replaced by" on retired codes from the edition's replacements.csv (for the levels
    loaded); how many were set."""
    loaded = {LEVELS[level][0] for level in levels}
    pairs = sorted((old, new) for old, new in edition.replacements.items() if old.count(".") + 1 in loaded)
    if not pairs:
        return 0
    codes = {code for pair in pairs for code in pair}
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    done = 0
    for old_code, new_code in pairs:
        old, new = regions.get(old_code), regions.get(new_code)
        if old is None or new is None:
            raise EditionError(f"{edition.path}/replacements.csv: {old_code} → {new_code}: "
                               f"{old_code if old is None else new_code} is not a known region")
        if not old.retired_in or new.retired_in:
            raise EditionError(f"{edition.path}/replacements.csv: {old_code} → {new_code}: only a retired code "
                               "can be replaced, and only by a current one")
        if old.replaced_by_id != new.pk:
            Region.objects.filter(pk=old.pk).update(replaced_by=new)
            changes.append(RegionChange(region=old, edition=edition.name, kind=RegionChange.Kind.REPLACED,
                                        replaced_by=new))
            done += 1
    return done
