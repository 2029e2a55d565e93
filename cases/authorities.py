"""The receiving civil-service authority on a date (rules/data/authorities.yaml), pure."""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "rules" / "data" / "authorities.yaml"


class AuthorityError(ValueError):
    pass


@dataclass(frozen=True)
class Authority:
    id: str
    name: dict
    addressee: str
    address: str
    valid_from: date
    valid_until: date | None
    source: str

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


def load(path: Path = DATA) -> tuple[Authority, ...]:
    result = []
    for index, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
        name = entry.get("id") or f"#{index + 1}"
        try:
            authority = Authority(id=entry["id"], name=entry["name"], addressee=entry["addressee"],
                                  address=entry.get("address", ""), valid_from=entry["valid_from"],
                                  valid_until=entry.get("valid_until"), source=entry["source"])
        except KeyError as error:
            raise AuthorityError(f"{path.name}: entry \"{name}\": missing {error.args[0]}") from None
        if not isinstance(authority.valid_from, date) or not authority.source:
            raise AuthorityError(f"{path.name}: entry \"{name}\": valid_from must be a date and source given")
        result.append(authority)
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
