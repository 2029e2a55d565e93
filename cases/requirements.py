"""The requirements of a report (rules/data/requirements.yaml) and their pre-filled checks.

Pure: the requirements are law data, read, validated and reloaded on change by
rules.catalog; ``prefill`` looks at plain facts of a report, not the ORM.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rules.catalog import Requirement, default_catalog
from rules.deadlines import format_day


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


# The checks Netral verifies itself (a date computed against the time limit). Every other
# requirement starts unticked: the form shows what it holds, staff judge it (issue 18: a KTP
# and a signature are never collected online, so nothing may tick them for the staff).
TIME_LIMIT_CHECK = "within_time_limit"  # also checked on a finding, against the finding's own limit
SYSTEM_VERIFIED = frozenset({TIME_LIMIT_CHECK})


@dataclass(frozen=True)
class Prefill:
    ticked: bool
    evidence: str  # where the staff find what the requirement asks for


def prefills(requirements: list[Requirement], facts: ReportFacts) -> dict[str, Prefill]:
    """``prefill`` of each requirement, reading the report's facts once."""
    shown = _shown(facts)
    return {requirement.id: _prefill(requirement, shown) for requirement in requirements}


def prefill(requirement: Requirement, facts: ReportFacts) -> Prefill:
    """What the report shows for a requirement: ticked only if Netral verified it itself."""
    return _prefill(requirement, _shown(facts))


def _prefill(requirement: Requirement, shown_by_check: dict) -> Prefill:
    shown = shown_by_check.get(requirement.auto)
    if shown is None:
        return Prefill(ticked=False, evidence=_("Not in the online form: check it yourself."))
    holds, evidence = shown
    return Prefill(ticked=holds and requirement.auto in SYSTEM_VERIFIED, evidence=str(evidence))


def _shown(facts: ReportFacts) -> dict:
    """Per pre-filled check: whether the report's facts hold it, and where they are."""
    has = _("given in the form")
    missing = _("missing in the form")
    return {
        "reporter_identity": (facts.has_name_and_address, _("Name and address: %(state)s.") % {
            "state": has if facts.has_name_and_address else missing}),
        "reporter_nik": (facts.has_nik, _("NIK: %(state)s. The ID card itself and a signature are not collected "
                                          "online: see them at the clarification.") % {
            "state": has if facts.has_nik else missing}),
        "reported_party": (facts.has_reported_party, _("Reported persons: %(state)s.") % {
            "state": has if facts.has_reported_party else missing}),
        "within_time_limit": (facts.filed_on <= facts.report_due, _(
            "Computed by Netral: filed on %(filed)s, time limit %(due)s.") % {
            "filed": facts.filed_on.isoformat(), "due": facts.report_due.isoformat()}),
        "time_and_place": (bool(facts.place.strip()) and facts.occurred_on is not None, _(
            "Place and date of the event: %(state)s.") % {
            "state": has if facts.place.strip() and facts.occurred_on else missing}),
        "description": (len(facts.description.strip()) >= 20, _(
            "Description of %(count)d characters.") % {"count": len(facts.description.strip())}),
        "evidence": (facts.evidence_count + facts.links_count > 0, _(
            "%(files)d files and %(links)d links attached.") % {
            "files": facts.evidence_count, "links": facts.links_count}),
    }


@dataclass(frozen=True)
class FindingTimeLimit:
    """The time limit to set a finding (deadlines.yaml, step ``finding``), as counted for one finding."""

    found_on: date  # the discovery: day 0 of the clock
    registered_on: date
    due: date
    citation: str
    explanation: str  # the rule in plain words, from the data

    @property
    def holds(self) -> bool:
        return self.registered_on <= self.due


def finding_time_limit_refusal(limit: FindingTimeLimit) -> str:
    """Why a finding cannot be registered under ``limit``; "" when it can (pure)."""
    if limit.found_on > limit.registered_on:
        return _("The date the finding was discovered cannot be after the registration day.")
    if limit.holds:
        return ""
    return _("This finding cannot be registered: it was discovered on %(found)s and the time limit to set it "
             "ended on %(due)s. %(rule)s (%(citation)s)") % {
        "found": format_day(limit.found_on, get_language()), "due": format_day(limit.due, get_language()), "rule": limit.explanation,
        "citation": limit.citation}


def finding_time_limit_evidence(limit: FindingTimeLimit) -> str:
    """The registration checklist's note for ``within_time_limit`` on a finding."""
    return _("Computed by Netral: discovered on %(found)s, registered on %(registered)s, time limit %(due)s "
             "(%(citation)s).") % {
        "found": limit.found_on.isoformat(), "registered": limit.registered_on.isoformat(),
        "due": limit.due.isoformat(), "citation": limit.citation}
