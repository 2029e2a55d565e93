"""The receiving civil-service authority on a date (rules/data/authorities.yaml), pure."""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from rules.catalog import CatalogError, DataEntry, Text, read_entries

DATA = Path(__file__).resolve().parent.parent / "rules" / "data" / "authorities.yaml"


class AuthorityError(ValueError):
    pass


@dataclass(frozen=True)
class Authority:
    id: str
    name: Text
    addressee: str
    address: str
    valid_from: date
    valid_until: date | None
    source: str

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


class _Entry(DataEntry):
    error = AuthorityError


def load(path: Path = DATA) -> tuple[Authority, ...]:
    """Read and check the authorities file: dates, sources, and no two authorities at once."""
    try:
        entries = read_entries(path.parent, path.name)
    except CatalogError as error:
        raise AuthorityError(str(error)) from None
    result = []
    for index, raw in enumerate(entries, start=1):
        entry = _Entry(path.name, index, raw)
        entry.keys(("id", "name", "addressee", "valid_from", "source"), ("address", "valid_until", "note"))
        result.append(Authority(
            id=entry.slug(), name=entry.text("name"), addressee=entry.string("addressee"),
            address=entry.string("address") if "address" in raw else "", valid_from=entry.day("valid_from"),
            valid_until=entry.day("valid_until") if "valid_until" in raw else None, source=entry.string("source"),
        ))
        entry.optional_text("note")
    ordered = sorted(result, key=lambda a: a.valid_from)
    for before, after in zip(ordered, ordered[1:]):
        if before.valid_until is None or before.valid_until >= after.valid_from:
            raise AuthorityError(f"{path.name}: entry \"{before.id}\" overlaps \"{after.id}\"")
    return tuple(ordered)


@cache
def authorities() -> tuple[Authority, ...]:
    return load()


def authority_on(on: date) -> Authority:
    for authority in authorities():
        if authority.covers(on):
            return authority
    raise AuthorityError(f"No civil-service authority is set for {on:%Y-%m-%d}.")
