"""How long the addressee of a recommendation has to act, and where an ignored one escalates.

A query layer over the law catalog: rules/data/followup_limits.yaml and escalation.yaml
are read, validated (against the legal bases and the civil-service authorities of
authorities.yaml) and reloaded on change by rules.catalog, with the rest of the law.
This module answers "which limit applies to a recommendation of this stage, from this
authority, issued on this day" and "which level does an ignored one reach". Counting is
done by rules.deadlines, the same engine as the case deadlines.
"""

from datetime import date

from rules.catalog import ESCALATION_TARGETS, FOLLOWUP_STAGES, EscalationLevel, default_catalog
from rules.catalog import FollowupLimit as Limit

AUTHORITY, PPK = FOLLOWUP_STAGES
AUTHORITY_HEAD, BAWASLU_ABOVE = ESCALATION_TARGETS


class LimitError(LookupError):
    """No limit is set for a stage and authority on a day."""


def limits() -> tuple[Limit, ...]:
    """Every follow-up limit, in the file's order."""
    return tuple(default_catalog().followup_limits.values())


def escalation_levels() -> tuple[EscalationLevel, ...]:
    """Every escalation level, by stage and level."""
    return tuple(sorted(default_catalog().escalation.values(), key=lambda entry: (entry.stage, entry.level)))


def limit_for(stage: str, authority: str, on: date) -> Limit:
    """The limit for a recommendation of ``stage`` from ``authority`` issued ``on``."""
    limit = default_catalog().followup_limit(stage, authority, on)
    if limit is None:
        raise LimitError(f"No follow-up limit is set for stage {stage}, authority {authority} on {on:%Y-%m-%d}.")
    return limit


def escalation_level(stage: str, level: int, on: date | None = None) -> EscalationLevel | None:
    """The escalation reached at ``level`` (1 = first) in force on ``on`` (today), or None past the last."""
    return next((entry for entry in default_catalog().escalation_levels(stage, on or date.today())
                 if entry.level == level), None)


def max_level(stage: str, on: date | None = None) -> int:
    return len(default_catalog().escalation_levels(stage, on or date.today()))
