"""Invented people for the demo register: pure functions, no database.

Everything is drawn from a ``random.Random`` seeded with the agency's name, so the same
data files give the same people on every run and every machine. Numbers come from
``registry.nip.synthetic_nip`` and are checked again by ``Employee.clean`` when saved.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

from registry.nip import parse_pns_nip, parse_pppk_ni, synthetic_nip

DATA_DIR = Path(__file__).resolve().parent / "data"
# The register is drawn as it stood on this day, so that its numbers and ranks do not
# change with the day the seed runs.
REFERENCE_DATE = date(2024, 11, 1)

PNS, PPPK, CONTRACT = "pns", "pppk", "contract"


@cache
def load_data(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Person:
    kind: str
    name: str
    gender: str
    nip: str | None
    birth_date: date | None
    rank: str
    position: str
    active: bool = True


@dataclass
class UnitPlan:
    name: str
    short_name: str
    region: str
    head_position: str
    parent: str | None
    people: list[Person] = field(default_factory=list)

    @property
    def head(self) -> Person:
        return self.people[0]


@dataclass
class AgencyPlan:
    agency: str
    units: list[UnitPlan]

    @property
    def people(self) -> list[Person]:
        return [person for unit in self.units for person in unit.people]


def flatten_units(spec: dict) -> list[tuple[dict, str | None]]:
    """The units of an agency spec, parents before children, with their parent's name."""
    flat = []

    def walk(units, parent):
        for unit in units:
            flat.append((unit, parent))
            walk(unit.get("children", []), unit["name"])

    walk(spec["units"], None)
    return flat


def head_position(unit: dict) -> str:
    return unit["head_position"].format(name=unit["name"])


def split_by_weight(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder, so it adds up)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


class PeopleMaker:
    """Draws names, numbers, ranks and positions following ``people.yaml``."""

    def __init__(self, data: dict, *, today: date = REFERENCE_DATE, used_nips: set[str] | None = None):
        self.data = data
        self.today = today
        self.used_nips = used_nips if used_nips is not None else set()
        self.rank_codes = list(data["ranks"])
        self.profiles = {
            name: {
                "asn": [entry for group in profile["asn"] for entry in group],
                "contract": profile["contract"],
            }
            for name, profile in data["profiles"].items()
        }

    # Names -------------------------------------------------------------------------

    def _degree(self, rng: random.Random, degrees) -> str:
        if degrees is None:
            return ""
        options = self.data["degrees"][degrees] if isinstance(degrees, str) else degrees
        return rng.choice(options)

    def name(self, rng: random.Random, gender: str, *, prefix: str = "", degrees=None,
             suffix: str | None = None) -> str:
        """A name with its academic titles: ``degrees`` names a list in people.yaml or gives
        the options; ``suffix`` gives the titles outright."""
        names = self.data["names"]
        key = "male" if gender == "M" else "female"
        parts = [rng.choice(names[key])]
        if rng.randrange(100) >= names["one_word"]:
            parts.append(rng.choice(names[f"{key}_second"]))
        name = " ".join(parts)
        if prefix:
            name = f"{prefix} {name}"
        if suffix is None:
            suffix = self._degree(rng, degrees)
        return f"{name}, {suffix}" if suffix else name

    # Numbers and ranks -----------------------------------------------------------------

    def nip(self, rng: random.Random, kind: str, gender: str, *, born_from: date | None = None,
            appointed_by: date | None = None) -> str:
        """A synthetic number not used before in this run (and within the bounds given)."""
        parse = parse_pns_nip if kind == PNS else parse_pppk_ni
        while True:
            nip = synthetic_nip(kind, rng, gender=gender, today=appointed_by or self.today)
            if nip in self.used_nips:
                continue
            if born_from and parse(nip, today=self.today).birth_date < born_from:
                continue
            self.used_nips.add(nip)
            return nip

    def pns_rank(self, track: dict, appointed_year: int, *, at_least: str | None = None) -> str:
        entry, cap = self.rank_codes.index(track["entry"]), self.rank_codes.index(track["cap"])
        steps = (self.today.year - appointed_year) // self.data["years_per_rank"]
        index = max(min(entry + steps, cap), entry)
        if at_least:
            index = max(index, self.rank_codes.index(at_least))
        return self.rank_codes[index]

    def rank_label(self, code: str) -> str:
        return f"{self.data['ranks'][code]} ({code})"

    def level(self, track: dict, rank_code: str | None) -> str:
        levels = track.get("levels")
        if not levels:
            return ""
        if rank_code is None:  # a PPPK holds the first level of the track
            return levels[0][1]
        held = levels[0][1]
        for from_rank, label in levels:
            if self.rank_codes.index(rank_code) >= self.rank_codes.index(from_rank):
                held = label
        return held

    # People --------------------------------------------------------------------------

    def head(self, rng: random.Random, *, position: str, rank: str, profile: str) -> Person:
        """A PNS unit head: older, appointed before 2001, with the unit's head rank."""
        gender = "M" if rng.randrange(100) < 70 else "F"
        nip = self.nip(rng, PNS, gender, born_from=date(1966, 1, 1), appointed_by=date(2000, 12, 31))
        parts = parse_pns_nip(nip, today=self.today)
        if profile in {"puskesmas", "hospital"}:
            name = self.name(rng, gender, prefix="dr.", suffix="M.Kes." if rng.random() < 0.5 else "")
        elif profile == "school":
            name = self.name(rng, gender, suffix="S.Pd., M.Pd." if rng.random() < 0.4 else "S.Pd.")
        else:
            name = self.name(rng, gender, suffix=f"{self._degree(rng, 's1')}, {self._degree(rng, 's2')}")
        return Person(PNS, name, gender, nip, parts.birth_date, self.rank_label(rank), position)

    def _position(self, rng: random.Random, kind: str, profile: str):
        entries = self.profiles[profile]["asn"]
        if kind == PPPK:  # a PPPK holds functional or implementing positions, not structural ones
            entries = [entry for entry in entries if "min_rank" not in entry]
        return rng.choices(entries, weights=[entry["weight"] for entry in entries])[0]

    def employee(self, rng: random.Random, *, kind: str, profile: str, active: bool = True) -> Person:
        gender = rng.choice("MF")
        if kind == CONTRACT:
            entries = self.profiles[profile]["contract"]
            entry = rng.choices(entries, weights=[e["weight"] for e in entries])[0]
            born = date(1975, 1, 1) + timedelta(days=rng.randint(0, 365 * 28))
            name = self.name(rng, gender, prefix=entry.get("prefix", ""), degrees=entry.get("degrees"))
            return Person(CONTRACT, name, gender, None, born, "", entry["title"], active)
        entry = self._position(rng, kind, profile)
        track = self.data["tracks"][entry["track"]]
        nip = self.nip(rng, kind, gender)
        if kind == PNS:
            parts = parse_pns_nip(nip, today=self.today)
            code = self.pns_rank(track, parts.appointed_year)
            if "min_rank" in entry and self.rank_codes.index(code) < self.rank_codes.index(entry["min_rank"]):
                # Too junior for a structural post: an implementing position instead.
                entry = rng.choice([e for e in self.profiles[profile]["asn"] if "min_rank" not in e])
                track = self.data["tracks"][entry["track"]]
                code = self.pns_rank(track, parts.appointed_year)
            rank, level = self.rank_label(code), self.level(track, code)
        else:
            parts = parse_pppk_ni(nip, today=self.today)
            rank, level = f"Golongan {track['pppk']}", self.level(track, None)
        name = self.name(rng, gender, prefix=entry.get("prefix", ""), degrees=entry.get("degrees"))
        position = entry["title"].format(level=level).strip()
        return Person(kind, name, gender, nip, parts.birth_date, rank, position, active)


def plan_register(register: dict | None = None, people: dict | None = None, *,
                  today: date = REFERENCE_DATE) -> list[AgencyPlan]:
    """The whole demo register, drawn from the data files: same files, same people."""
    register = register or load_data("register.yaml")
    maker = PeopleMaker(people or load_data("people.yaml"), today=today)
    plans = []
    for spec in register["agencies"]:
        rng = random.Random(f"netral-demo:{spec['agency']}")
        units = flatten_units(spec)
        sizes = split_by_weight(spec["employees"], [unit["size"] for unit, _parent in units])
        plan = AgencyPlan(spec["agency"], [
            UnitPlan(unit["name"], unit.get("short_name", ""), unit.get("region", spec["region"]),
                     head_position(unit), parent)
            for unit, parent in units
        ])
        # Unit heads are PNS; the other places are shared out by kind, then shuffled.
        others = spec["employees"] - len(units)
        kinds = spec["kinds"]
        pppk = round(spec["employees"] * kinds["pppk"] / 100)
        contract = round(spec["employees"] * kinds["contract"] / 100)
        pool = [PPPK] * pppk + [CONTRACT] * contract
        pool += [PNS] * (others - len(pool))
        rng.shuffle(pool)
        inactive = set(rng.sample(range(others), round(spec["employees"] * spec["inactive"] / 100)))
        slot = 0
        for (unit, _parent), unit_plan, size in zip(units, plan.units, sizes):
            unit_plan.people.append(maker.head(rng, position=unit_plan.head_position, rank=unit["head_rank"],
                                               profile=unit["profile"]))
            names = {unit_plan.head.name}
            for _ in range(max(size - 1, 0)):
                while True:
                    person = maker.employee(rng, kind=pool[slot], profile=unit["profile"],
                                            active=slot not in inactive)
                    if person.name not in names:  # one name per unit keeps the demo searches clear
                        break
                names.add(person.name)
                unit_plan.people.append(person)
                slot += 1
        plans.append(plan)
    return plans
