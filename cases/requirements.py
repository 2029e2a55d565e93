"""The requirements of a report (rules/data/requirements.yaml) and their pre-filled checks.

Pure: the requirements are law data, read, validated and reloaded on change by
rules.catalog; ``prefill`` looks at plain facts of a report, not the ORM.
"""

from dataclasses import dataclass
from datetime import date

from rules.catalog import Requirement, default_catalog


def requirements() -> tuple[Requirement, ...]:
    return tuple(default_catalog().requirements.values())


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
