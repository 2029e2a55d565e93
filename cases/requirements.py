"""The requirements of a report (rules/data/requirements.yaml) and their pre-filled checks.

Pure: the loader reads the file; ``prefill`` looks at plain facts of a report, not the ORM.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "rules" / "data" / "requirements.yaml"
KINDS = {"formal", "material"}
REGIMES = {"pemilu", "pilkada"}
AUTO = {"reporter_identity", "reporter_nik", "reported_party", "within_time_limit", "time_and_place",
        "description", "evidence", None}


class RequirementError(ValueError):
    pass


@dataclass(frozen=True)
class Requirement:
    id: str
    kind: str
    regimes: tuple[str, ...]
    title: dict
    source: str
    auto: str | None = None
    verified: bool = True
    note: dict = field(default_factory=dict)

    def label(self, language: str) -> str:
        return self.title["en" if language.startswith("en") else "id"]


def load(path: Path = DATA) -> tuple[Requirement, ...]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    seen, result = set(), []
    for index, entry in enumerate(entries):
        name = entry.get("id") or f"#{index + 1}"
        problem = None
        if not entry.get("id") or entry["id"] in seen:
            problem = "missing or duplicate id"
        elif entry.get("kind") not in KINDS:
            problem = f"unknown kind {entry.get('kind')!r}"
        elif not set(entry.get("regimes") or []) or not set(entry["regimes"]) <= REGIMES:
            problem = "regimes must be pemilu and/or pilkada"
        elif entry.get("auto") not in AUTO:
            problem = f"unknown auto check {entry.get('auto')!r}"
        elif not (entry.get("title") or {}).get("id") or not entry["title"].get("en"):
            problem = "title needs id and en"
        elif not entry.get("source"):
            problem = "source is missing"
        if problem:
            raise RequirementError(f"{path.name}: entry \"{name}\": {problem}")
        seen.add(entry["id"])
        result.append(Requirement(id=entry["id"], kind=entry["kind"], regimes=tuple(entry["regimes"]),
                                  title=entry["title"], source=entry["source"], auto=entry.get("auto"),
                                  verified=entry.get("verified", True), note=entry.get("note") or {}))
    return tuple(result)


@cache
def requirements() -> tuple[Requirement, ...]:
    return load()


def for_regime(regime: str) -> list[Requirement]:
    return [r for r in requirements() if regime in r.regimes]


@dataclass(frozen=True)
class ReportFacts:
    anonymous: bool
    has_name_and_address: bool
    has_nik: bool
    has_reported_party: bool
    place: str
    occurred_on: date | None
    description: str
    evidence_count: int
    links_count: int
    filed_on: date
    report_due: date


def prefill(requirement: Requirement, facts: ReportFacts) -> bool:
    """What the report itself shows for a requirement; staff confirm or correct it."""
    return {
        "reporter_identity": facts.has_name_and_address,
        "reporter_nik": facts.has_nik,
        "reported_party": facts.has_reported_party,
        "within_time_limit": facts.filed_on <= facts.report_due,
        "time_and_place": bool(facts.place.strip()) and facts.occurred_on is not None,
        "description": len(facts.description.strip()) >= 20,
        "evidence": facts.evidence_count + facts.links_count > 0,
        None: False,
    }[requirement.auto]
