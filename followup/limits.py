"""How long the addressee of a recommendation has to act, and where an ignored one escalates.

Pure: reads rules/data/followup_limits.yaml and rules/data/escalation.yaml, checks them
against the legal bases and the authorities, and answers "which limit applies to a
recommendation of this stage, from this authority, issued on this day". Counting is done
by rules.deadlines, the same engine as the case deadlines.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from cases.authorities import authorities
from rules.catalog import (
    DAY_KINDS,
    TITLE_MAX,
    CatalogError,
    DataEntry,
    Dated,
    Text,
    default_catalog,
    read_entries,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "rules" / "data"
LIMITS_FILE = "followup_limits.yaml"
ESCALATION_FILE = "escalation.yaml"

AUTHORITY, PPK = "authority", "ppk"
STAGES = (AUTHORITY, PPK)
AUTHORITY_HEAD, BAWASLU_ABOVE = "authority_head", "bawaslu_above"
ESCALATION_TARGETS = (AUTHORITY_HEAD, BAWASLU_ABOVE)


class LimitError(ValueError):
    pass


class _Entry(DataEntry):
    error = LimitError


@dataclass(frozen=True)
class Limit(Dated):
    """A time limit for one stage under one authority and period (a rules.deadlines rule)."""

    id: str
    stage: str
    authority: str
    valid_from: date
    valid_until: date | None
    days: int
    day_kind: str
    start_is_day_zero: bool
    counted_from: Text
    title: Text
    explanation: Text
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None
    verified: bool


@dataclass(frozen=True)
class EscalationLevel(Dated):
    id: str
    stage: str
    level: int
    to: str
    title: Text
    explanation: Text
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None
    verified: bool
    valid_from: date | None = None
    valid_until: date | None = None


def _common(entry: _Entry, legal_bases) -> dict:
    note = entry.optional_text("note")
    verified = entry.flag("verified", True)
    if not verified and note is None:
        entry.fail('an unverified entry ("verified: false") needs a "note" saying what is not verified')
    return {"title": entry.text("title", max_length=TITLE_MAX), "explanation": entry.text("explanation"),
            "legal_bases": entry.references("legal_bases", legal_bases, "legal basis"),
            "source": entry.string("source"), "note": note, "verified": verified}


def load_limits(data_dir: Path = DATA_DIR, *, legal_bases=None, known_authorities=None) -> tuple[Limit, ...]:
    legal_bases = legal_bases if legal_bases is not None else default_catalog().legal_bases
    known_authorities = known_authorities if known_authorities is not None else {a.id: a for a in authorities()}
    try:
        raw_entries = read_entries(data_dir, LIMITS_FILE)
    except CatalogError as error:
        raise LimitError(str(error)) from None
    result: list[Limit] = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = _Entry(LIMITS_FILE, index, raw)
        entry.keys(("id", "stage", "authority", "valid_from", "days", "day_kind", "start_is_day_zero",
                    "counted_from", "title", "explanation", "legal_bases", "source"),
                   ("valid_until", "note", "verified"))
        days = raw["days"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            entry.fail(f'"days" must be a whole number of at least 1, not {days!r}')
        if not isinstance(raw["start_is_day_zero"], bool):
            entry.fail('"start_is_day_zero" must be true or false')
        authority = entry.string("authority")
        if authority not in known_authorities:
            entry.fail(f'unknown authority "{authority}" (known: {", ".join(known_authorities)})')
        limit = Limit(
            id=entry.slug(), stage=entry.choice("stage", STAGES), authority=authority,
            valid_from=entry.day("valid_from"), valid_until=entry.day("valid_until") if "valid_until" in raw else None,
            days=days, day_kind=entry.choice("day_kind", DAY_KINDS), start_is_day_zero=raw["start_is_day_zero"],
            counted_from=entry.text("counted_from", max_length=TITLE_MAX), **_common(entry, legal_bases),
        )
        if limit.valid_until and limit.valid_until < limit.valid_from:
            entry.fail('"valid_until" is before "valid_from"')
        for other in result:
            if other.id == limit.id:
                entry.fail(f'the id "{limit.id}" is used twice')
            if (other.stage, other.authority) == (limit.stage, limit.authority) and _overlap(other, limit):
                entry.fail(f'overlaps "{other.id}" (same stage and authority)')
        result.append(limit)
    return tuple(result)


def _overlap(a: Limit, b: Limit) -> bool:
    a_end, b_end = a.valid_until or date.max, b.valid_until or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


def load_escalation(data_dir: Path = DATA_DIR, *, legal_bases=None) -> tuple[EscalationLevel, ...]:
    legal_bases = legal_bases if legal_bases is not None else default_catalog().legal_bases
    try:
        raw_entries = read_entries(data_dir, ESCALATION_FILE)
    except CatalogError as error:
        raise LimitError(str(error)) from None
    result: list[EscalationLevel] = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = _Entry(ESCALATION_FILE, index, raw)
        entry.keys(("id", "stage", "level", "to", "title", "explanation", "legal_bases", "source"),
                   ("note", "verified", "valid_from", "valid_until"))
        level = raw["level"]
        if isinstance(level, bool) or not isinstance(level, int) or level < 1:
            entry.fail(f'"level" must be a whole number of at least 1, not {level!r}')
        result.append(EscalationLevel(id=entry.slug(), stage=entry.choice("stage", STAGES), level=level,
                                      to=entry.choice("to", ESCALATION_TARGETS), **_common(entry, legal_bases),
                                      **entry.validity()))
    # On every day an entry starts or ends, the levels in force run 1, 2, ... per stage.
    days = {None} | {e.valid_from for e in result if e.valid_from} | {e.valid_until for e in result if e.valid_until}
    for stage in STAGES:
        for day in days:
            levels = sorted(e.level for e in result if e.stage == stage and (day is None and e.valid_until is None
                                                                             or day is not None and e.in_force(day)))
            if levels != list(range(1, len(levels) + 1)):
                raise LimitError(f"{ESCALATION_FILE}: the levels of stage \"{stage}\" must run 1, 2, ... without "
                                 f"gaps or repeats, not {levels}")
    return tuple(sorted(result, key=lambda e: (e.stage, e.level)))


@cache
def limits() -> tuple[Limit, ...]:
    return load_limits()


@cache
def escalation_levels() -> tuple[EscalationLevel, ...]:
    return load_escalation()


def limit_for(stage: str, authority: str, on: date) -> Limit:
    """The limit for a recommendation of ``stage`` from ``authority`` issued ``on``."""
    for limit in limits():
        if limit.stage == stage and limit.authority == authority and limit.in_force(on):
            return limit
    raise LimitError(f"No follow-up limit is set for stage {stage}, authority {authority} on {on:%Y-%m-%d}.")


def escalation_level(stage: str, level: int, on: date | None = None) -> EscalationLevel | None:
    """The escalation reached at ``level`` (1 = first) in force on ``on`` (today), or None past the last."""
    on = on or date.today()
    for entry in escalation_levels():
        if entry.stage == stage and entry.level == level and entry.in_force(on):
            return entry
    return None


def max_level(stage: str, on: date | None = None) -> int:
    on = on or date.today()
    return sum(1 for entry in escalation_levels() if entry.stage == stage and entry.in_force(on))
