"""How much of a reported person's place the public pages may show (pure): k-anonymity.

A position held by one person names that person: "Kepala Desa, Pemerintah Desa Lalang" is
one man, masked name or not. So the public pages show a unit together with a class of
position only when at least K people of that unit hold that class in the register, and
climb a ladder otherwise (``generalise``):

1. ``UNIT``: the class and the unit (K or more of the class in the unit);
2. ``AGENCY``: the class, the unit withheld (K or more of the class in the whole agency);
3. ``WITHHELD``: neither class nor unit ("dirahasiakan").

The agency itself (the PPK's government, the addressee whose follow-up is published) stays:
it is the body held to account, and a whole government. A register that has not been
imported for the agency counts 0 people, so its rows are withheld until it is. K is the
setting ``NETRAL_PUBLIC_K_ANONYMITY`` (``k_anonymity``); the counts come from
``registry.selectors.position_counts``, one grouped query for a page of rows.
"""

from dataclasses import dataclass

from django.conf import settings

UNIT, AGENCY, WITHHELD = "unit", "agency", "withheld"
DEFAULT_K = 5


def k_anonymity() -> int:
    """The smallest group the public pages may point at (``NETRAL_PUBLIC_K_ANONYMITY``, at least 1)."""
    try:
        return max(1, int(getattr(settings, "NETRAL_PUBLIC_K_ANONYMITY", DEFAULT_K)))
    except (TypeError, ValueError):
        return DEFAULT_K


def unit_key(name: str) -> str:
    """A unit's name as compared: case and spacing ignored (as the register import matches units)."""
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True)
class Disclosure:
    """What may be shown: ``unit`` and ``position_class`` are "" where withheld."""

    level: str
    unit: str
    position_class: str

    @property
    def withheld(self) -> bool:
        return self.level == WITHHELD


def generalise(*, unit: str, position_class: str, in_unit: int, in_agency: int, k: int) -> Disclosure:
    """The most precise rung of the ladder whose group holds at least ``k`` people.

    ``in_unit``: active employees of the unit with this class in the register; ``in_agency``:
    of the whole agency with this class. An empty class or unit is never a group.
    """
    if not position_class:
        return Disclosure(WITHHELD, "", "")
    if unit and in_unit >= k:
        return Disclosure(UNIT, unit, position_class)
    if in_agency >= k:
        return Disclosure(AGENCY, "", position_class)
    return Disclosure(WITHHELD, "", "")


@dataclass(frozen=True)
class PositionCounts:
    """Active employees per (agency, unit, class) and per (agency, class), from one grouped query."""

    by_unit: dict
    by_agency: dict

    @classmethod
    def from_groups(cls, groups) -> "PositionCounts":
        """``groups``: (agency id, unit name or None, class, count) rows."""
        by_unit, by_agency = {}, {}
        for agency_id, unit_name, position_class, count in groups:
            if unit_name:
                key = (agency_id, unit_key(unit_name), position_class)
                by_unit[key] = by_unit.get(key, 0) + count
            by_agency[(agency_id, position_class)] = by_agency.get((agency_id, position_class), 0) + count
        return cls(by_unit, by_agency)

    def disclose(self, *, agency_id: int | None, unit: str, position_class: str, k: int) -> Disclosure:
        return generalise(unit=unit, position_class=position_class, k=k,
                          in_unit=self.by_unit.get((agency_id, unit_key(unit), position_class), 0),
                          in_agency=self.by_agency.get((agency_id, position_class), 0))
