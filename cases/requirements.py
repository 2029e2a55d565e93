"""The requirements of a report (rules/data/requirements.yaml) and their pre-filled checks.

Pure: the loader reads the file; ``prefill`` looks at plain facts of a report, not the ORM.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from rules.catalog import CatalogError, DataEntry, Dated, Text, default_catalog, read_entries

DATA = Path(__file__).resolve().parent.parent / "rules" / "data" / "requirements.yaml"
KINDS = ("formal", "material")
AUTO = ("reporter_identity", "reporter_nik", "reported_party", "within_time_limit", "time_and_place",
        "description", "evidence")


class RequirementError(ValueError):
    pass


class _Entry(DataEntry):
    error = RequirementError


@dataclass(frozen=True)
class Requirement(Dated):
    id: str
    kind: str
    regimes: tuple[str, ...]
    title: Text
    source: str
    auto: str | None = None
    verified: bool = True
    note: Text | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    def label(self, language: str) -> str:
        return self.title.get(language)


def load(path: Path = DATA) -> tuple[Requirement, ...]:
    """Read and check the requirements file; a broken entry is named in the error."""
    try:
        entries = read_entries(path.parent, path.name)
    except CatalogError as error:
        raise RequirementError(str(error)) from None
    seen, result = set(), []
    for index, raw in enumerate(entries, start=1):
        entry = _Entry(path.name, index, raw)
        entry.keys(("id", "kind", "regimes", "title", "source"),
                   ("auto", "verified", "note", "valid_from", "valid_until"))
        requirement_id = entry.slug()
        if requirement_id in seen:
            entry.fail("duplicate id")
        seen.add(requirement_id)
        result.append(Requirement(
            id=requirement_id, kind=entry.choice("kind", KINDS),
            regimes=entry.choices("regimes", tuple(default_catalog().regimes)), **entry.validity(),
            title=entry.text("title"), source=entry.string("source"),
            auto=entry.choice("auto", AUTO) if "auto" in raw else None,
            verified=entry.flag("verified", True), note=entry.optional_text("note"),
        ))
    return tuple(result)


@cache
def requirements() -> tuple[Requirement, ...]:
    return load()


def for_regime(regime: str, on: date | None = None) -> list[Requirement]:
    """The requirements of a regime in force on ``on`` (every one when no day is given)."""
    return [r for r in requirements() if regime in r.regimes and r.in_force(on)]


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
    }.get(requirement.auto, False)
