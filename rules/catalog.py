"""The law as data: read, validate and type the files in rules/data/.

Pure: no ORM, no request, no settings. The loader (rules.services), the start-up check
(rules.apps) and the selectors all read the catalog through this module, so a broken
file is refused in the same words everywhere: the file, the entry and what is wrong.

The files (each a YAML list of entries; every human text has an ``id`` and an ``en``
version, because gettext does not translate data):

- ``legal_bases.yaml``: statutes and articles (id, title, citation, source).
- ``sanctions.yaml``: sanctions (id, family, level, title, applies_to, legal_bases, source).
- ``violations.yaml``: prohibited acts (id, family, title, plain, legal_bases, sanctions,
  source, optional level).
- ``elections.yaml``: elections (id, regime, title, voting_day, source).
- ``deadlines.yaml``: deadline rules, one per (regime, step) (id, regime, step, days,
  day_kind, start_is_day_zero, counted_from, title, explanation, legal_bases, source);
  rules.deadlines counts them.
- ``holidays.yaml``: days off for working-day rules (date, name, kind, source); keyed by
  date, each date at most once.

Every entry may carry a ``note`` (both languages) and ``verified: false`` where it rests
on a text that was not read; ``verified`` is true when left out.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from rules import deadlines

DATA_DIR = Path(__file__).resolve().parent / "data"

LEGAL_BASES_FILE = "legal_bases.yaml"
SANCTIONS_FILE = "sanctions.yaml"
VIOLATIONS_FILE = "violations.yaml"
ELECTIONS_FILE = "elections.yaml"
DEADLINES_FILE = "deadlines.yaml"
HOLIDAYS_FILE = "holidays.yaml"
FILES = (LEGAL_BASES_FILE, SANCTIONS_FILE, VIOLATIONS_FILE, ELECTIONS_FILE, DEADLINES_FILE, HOLIDAYS_FILE)

LANGUAGES = ("id", "en")
VIOLATION_FAMILIES = ("ethics", "discipline", "crime")
SANCTION_FAMILIES = ("discipline", "moral", "dismissal", "contract", "criminal")
LEVELS = ("light", "medium", "heavy")
EMPLOYEE_KINDS = ("pns", "pppk", "contract")
REGIMES = ("pemilu", "pilkada")
# The steps of handling a report that have a clock (domain notes, "Handling a report").
DEADLINE_STEPS = ("report", "finding", "initial_study", "completion", "study", "study_extended")
DAY_KINDS = deadlines.DAY_KINDS
HOLIDAY_KINDS = ("national", "collective_leave", "election_day")

# Ids become primary keys and URL parts: lower-case words joined by hyphens.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TITLE_MAX = 300  # the width of Violation.title_id / title_en


class CatalogError(ValueError):
    """A data file that cannot be used; the message names the file and the entry."""


# --- Typed entries ---------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A human text in both languages."""

    id: str
    en: str

    def get(self, language: str | None) -> str:
        return self.en if (language or "id").startswith("en") else self.id

    def as_dict(self) -> dict:
        return {"id": self.id, "en": self.en}


@dataclass(frozen=True)
class LegalBasis:
    id: str
    title: Text
    citation: str
    source: str
    note: Text | None = None
    verified: bool = True

    def as_dict(self) -> dict:
        return _drop_none({
            "id": self.id, "title": self.title.as_dict(), "citation": self.citation,
            "source": self.source, "note": _text_dict(self.note), "verified": self.verified,
        })


@dataclass(frozen=True)
class Sanction:
    id: str
    family: str
    level: str | None
    title: Text
    applies_to: tuple[str, ...]
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None = None
    verified: bool = True

    def as_dict(self) -> dict:
        return _drop_none({
            "id": self.id, "family": self.family, "level": self.level, "title": self.title.as_dict(),
            "applies_to": list(self.applies_to), "legal_bases": list(self.legal_bases),
            "source": self.source, "note": _text_dict(self.note), "verified": self.verified,
        })


@dataclass(frozen=True)
class Violation:
    id: str
    family: str
    title: Text
    plain: Text
    legal_bases: tuple[str, ...]
    sanctions: tuple[str, ...]
    source: str
    position: int
    level: str | None = None
    note: Text | None = None
    verified: bool = True

    def as_dict(self) -> dict:
        return _drop_none({
            "id": self.id, "family": self.family, "level": self.level, "title": self.title.as_dict(),
            "plain": self.plain.as_dict(), "legal_bases": list(self.legal_bases),
            "sanctions": list(self.sanctions), "source": self.source, "note": _text_dict(self.note),
            "verified": self.verified,
        })


@dataclass(frozen=True)
class Election:
    id: str
    regime: str
    title: Text
    voting_day: date
    source: str
    note: Text | None = None
    verified: bool = True

    def as_dict(self) -> dict:
        return _drop_none({
            "id": self.id, "regime": self.regime, "title": self.title.as_dict(),
            "voting_day": self.voting_day.isoformat(), "source": self.source,
            "note": _text_dict(self.note), "verified": self.verified,
        })


@dataclass(frozen=True)
class DeadlineRule:
    """How long one step may take under one regime (counted by rules.deadlines)."""

    id: str
    regime: str
    step: str
    days: int
    day_kind: str
    start_is_day_zero: bool
    counted_from: Text
    title: Text
    explanation: Text
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None = None
    verified: bool = True

    def as_dict(self) -> dict:
        return _drop_none({
            "id": self.id, "regime": self.regime, "step": self.step, "days": self.days,
            "day_kind": self.day_kind, "start_is_day_zero": self.start_is_day_zero,
            "counted_from": self.counted_from.as_dict(), "title": self.title.as_dict(),
            "explanation": self.explanation.as_dict(), "legal_bases": list(self.legal_bases),
            "source": self.source, "note": _text_dict(self.note), "verified": self.verified,
        })


@dataclass(frozen=True)
class Holiday:
    """A day off that working-day rules skip."""

    day: date
    name: Text
    kind: str
    source: str
    note: Text | None = None
    verified: bool = True

    def as_dict(self) -> dict:
        return _drop_none({
            "date": self.day.isoformat(), "name": self.name.as_dict(), "kind": self.kind,
            "source": self.source, "note": _text_dict(self.note), "verified": self.verified,
        })


@dataclass(frozen=True)
class Catalog:
    """One validated version of the data files; each mapping keeps the files' order."""

    version: str
    legal_bases: Mapping[str, LegalBasis]
    sanctions: Mapping[str, Sanction]
    violations: Mapping[str, Violation]
    elections: Mapping[str, Election]
    deadlines: Mapping[str, DeadlineRule]
    holidays: Mapping[date, Holiday]

    def deadline_rule(self, regime: str, step: str) -> DeadlineRule | None:
        """The rule of one (regime, step) pair, or None."""
        for rule in self.deadlines.values():
            if rule.regime == regime and rule.step == step:
                return rule
        return None

    def content(self) -> dict:
        """Everything, as plain JSON-ready data (stored with each RuleSet)."""
        return {
            "version": self.version,
            "legal_bases": [entry.as_dict() for entry in self.legal_bases.values()],
            "sanctions": [entry.as_dict() for entry in self.sanctions.values()],
            "violations": [entry.as_dict() for entry in self.violations.values()],
            "elections": [entry.as_dict() for entry in self.elections.values()],
            "deadlines": [entry.as_dict() for entry in self.deadlines.values()],
            "holidays": [entry.as_dict() for entry in self.holidays.values()],
        }


def _text_dict(text: Text | None) -> dict | None:
    return text.as_dict() if text is not None else None


def _drop_none(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


# --- Reading -----------------------------------------------------------------------


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so that a bad date is reported with its entry.

    (PyYAML would otherwise raise a bare ValueError for 2024-02-30 while parsing.)
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def catalog_version(data_dir: Path | str) -> str:
    """SHA-256 over every YAML file in the folder, sorted by name (names included)."""
    digest = hashlib.sha256()
    for path in sorted(Path(data_dir).glob("*.yaml")):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def read_entries(data_dir: Path, name: str) -> list[dict]:
    """The raw entries of one data file (dates kept as text for DataEntry.day to check)."""
    path = Path(data_dir) / name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"{name}: file not found in {data_dir}") from None
    try:
        entries = yaml.load(raw, Loader=_Loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        raise CatalogError(f"{name}: not valid YAML: {error}") from None
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise CatalogError(f"{name}: expected a list of entries at the top level")
    return entries


class DataEntry:
    """Checks on one raw entry of a data file; every error names the file and the entry.

    Shared by every loader of law-as-data (this catalog, the letters catalog): a subclass
    sets ``error`` and adds the checks of its own file. ``section`` names the part of a
    file with several lists ("labels", "kinds").
    """

    error: type[Exception] = CatalogError

    def __init__(self, file: str, index: int, raw: Any, *, id_key: str = "id", section: str = ""):
        self.file = file
        self.label = f"{section} entry #{index}" if section else f"entry #{index}"
        if not isinstance(raw, dict):
            self.fail("not a mapping of keys to values")
        self.raw = raw
        entry_id = raw.get(id_key)
        if isinstance(entry_id, str) and entry_id:
            self.label = f'{section or "entry"} "{entry_id}"'

    def fail(self, problem: str):
        raise self.error(f"{self.file}: {self.label}: {problem}")

    def keys(self, required: tuple[str, ...], optional: tuple[str, ...] = ()):
        for key in required:
            if key not in self.raw:
                self.fail(f'missing "{key}"')
        unknown = sorted(set(self.raw) - set(required) - set(optional), key=str)
        if unknown:
            self.fail(f'unknown key "{unknown[0]}" (allowed: {", ".join(required + optional)})')

    def slug(self) -> str:
        value = self.raw["id"]
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > SLUG_MAX:
            self.fail(f'id {value!r} is not a slug (lower-case letters, digits and hyphens, '
                      f"at most {SLUG_MAX} characters)")
        return value

    def string(self, key: str) -> str:
        value = self.raw[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(f'"{key}" must be a non-empty text')
        return value.strip()

    def text(self, key: str, *, max_length: int | None = None) -> Text:
        value = self.raw[key]
        if not isinstance(value, dict):
            self.fail(f'"{key}" must have an "id" (Indonesian) and an "en" (English) text')
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                name = "Indonesian" if language == "id" else "English"
                self.fail(f'"{key}" has no {name} text ("{language}")')
            if max_length and len(text.strip()) > max_length:
                self.fail(f'"{key}.{language}" is longer than {max_length} characters')
        extra = sorted(set(value) - set(LANGUAGES), key=str)
        if extra:
            self.fail(f'"{key}" has an unknown language "{extra[0]}" (allowed: id, en)')
        return Text(id=" ".join(value["id"].split()), en=" ".join(value["en"].split()))

    def optional_text(self, key: str) -> Text | None:
        return self.text(key) if key in self.raw else None

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.raw[key]
        if value not in allowed:
            self.fail(f'unknown {key} {value!r} (allowed: {", ".join(allowed)})')
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(f'"{key}" must be true or false')
        return value

    def references(self, key: str, known: Mapping[str, Any], what: str, *, allow_empty=False) -> tuple:
        values = self.raw[key]
        if not isinstance(values, list) or (not values and not allow_empty):
            self.fail(f'"{key}" must be a non-empty list of ids')
        seen = set()
        for value in values:
            if not isinstance(value, str) or value not in known:
                self.fail(f'unknown {what} "{value}"')
            if value in seen:
                self.fail(f'{what} "{value}" is listed twice')
            seen.add(value)
        return tuple(values)

    def choices(self, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        values = self.raw[key]
        if not isinstance(values, list) or not values:
            self.fail(f'"{key}" must be a non-empty list')
        for value in values:
            if value not in allowed:
                self.fail(f'unknown {key} value {value!r} (allowed: {", ".join(allowed)})')
        if len(set(values)) != len(values):
            self.fail(f'"{key}" lists a value twice')
        return tuple(values)

    def day(self, key: str) -> date:
        value = self.raw[key]
        if isinstance(value, str) and DATE_RE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(f'"{key}" {value!r} is not a date (YYYY-MM-DD)')


def _unique(file: str, entries: list) -> dict:
    """The entries by id, refusing a repeated id."""
    result = {}
    for entry in entries:
        if entry.id in result:
            raise CatalogError(f'{file}: entry "{entry.id}": duplicate id')
        result[entry.id] = entry
    return result


def _legal_bases(raw_entries: list) -> dict[str, LegalBasis]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(LEGAL_BASES_FILE, index, raw)
        entry.keys(("id", "title", "citation", "source"), ("note", "verified"))
        entries.append(LegalBasis(
            id=entry.slug(), title=entry.text("title", max_length=TITLE_MAX),
            citation=entry.string("citation"),
            source=entry.string("source"), note=entry.optional_text("note"),
            verified=entry.flag("verified", True),
        ))
    return _unique(LEGAL_BASES_FILE, entries)


def _sanctions(raw_entries: list, legal_bases: Mapping) -> dict[str, Sanction]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(SANCTIONS_FILE, index, raw)
        entry.keys(("id", "family", "title", "applies_to", "legal_bases", "source"),
                   ("level", "note", "verified"))
        entries.append(Sanction(
            id=entry.slug(), family=entry.choice("family", SANCTION_FAMILIES),
            level=entry.choice("level", LEVELS) if "level" in raw else None,
            title=entry.text("title", max_length=TITLE_MAX),
            applies_to=entry.choices("applies_to", EMPLOYEE_KINDS),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"),
            source=entry.string("source"), note=entry.optional_text("note"),
            verified=entry.flag("verified", True),
        ))
    return _unique(SANCTIONS_FILE, entries)


def _violations(raw_entries: list, legal_bases: Mapping, sanctions: Mapping) -> dict[str, Violation]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(VIOLATIONS_FILE, index, raw)
        entry.keys(("id", "family", "title", "plain", "legal_bases", "sanctions", "source"),
                   ("level", "note", "verified"))
        family = entry.choice("family", VIOLATION_FAMILIES)
        level = None
        if "level" in raw:
            if family != "discipline":
                entry.fail('"level" is given only to discipline violations (PP 94/2021)')
            level = entry.choice("level", LEVELS)
        entries.append(Violation(
            id=entry.slug(), family=family, level=level, title=entry.text("title", max_length=TITLE_MAX),
            plain=entry.text("plain"),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"),
            sanctions=entry.references("sanctions", sanctions, "sanction"),
            source=entry.string("source"), position=index, note=entry.optional_text("note"),
            verified=entry.flag("verified", True),
        ))
    return _unique(VIOLATIONS_FILE, entries)


def _elections(raw_entries: list) -> dict[str, Election]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(ELECTIONS_FILE, index, raw)
        entry.keys(("id", "regime", "title", "voting_day", "source"), ("note", "verified"))
        entries.append(Election(
            id=entry.slug(), regime=entry.choice("regime", REGIMES),
            title=entry.text("title", max_length=TITLE_MAX),
            voting_day=entry.day("voting_day"), source=entry.string("source"),
            note=entry.optional_text("note"), verified=entry.flag("verified", True),
        ))
    return _unique(ELECTIONS_FILE, entries)


def _deadlines(raw_entries: list, legal_bases: Mapping) -> dict[str, DeadlineRule]:
    entries = []
    pairs: dict[tuple[str, str], str] = {}
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(DEADLINES_FILE, index, raw)
        entry.keys(("id", "regime", "step", "days", "day_kind", "start_is_day_zero", "counted_from", "title",
                    "explanation", "legal_bases", "source"), ("note", "verified"))
        days = raw["days"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            entry.fail(f'"days" must be a whole number of at least 1, not {days!r}')
        if not isinstance(raw["start_is_day_zero"], bool):
            entry.fail('"start_is_day_zero" must be true or false')
        rule = DeadlineRule(
            id=entry.slug(), regime=entry.choice("regime", REGIMES),
            step=entry.choice("step", DEADLINE_STEPS),
            days=days, day_kind=entry.choice("day_kind", DAY_KINDS),
            start_is_day_zero=raw["start_is_day_zero"],
            counted_from=entry.text("counted_from", max_length=TITLE_MAX),
            title=entry.text("title", max_length=TITLE_MAX), explanation=entry.text("explanation"),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"),
            source=entry.string("source"), note=entry.optional_text("note"),
            verified=entry.flag("verified", True),
        )
        if not rule.verified and rule.note is None:
            entry.fail('an unverified rule ("verified: false") needs a "note" saying what is not verified')
        pair = (rule.regime, rule.step)
        if pair in pairs and pairs[pair] != rule.id:
            entry.fail(f'{rule.regime}/{rule.step} already has a rule ("{pairs[pair]}")')
        pairs[pair] = rule.id
        entries.append(rule)
    return _unique(DEADLINES_FILE, entries)


def _holidays(raw_entries: list) -> dict[date, Holiday]:
    result: dict[date, Holiday] = {}
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(HOLIDAYS_FILE, index, raw)
        if isinstance(raw.get("date"), str) and raw["date"]:
            entry.label = f'entry "{raw["date"]}"'  # a holiday is known by its date
        entry.keys(("date", "name", "kind", "source"), ("note", "verified"))
        holiday = Holiday(
            day=entry.day("date"), name=entry.text("name", max_length=TITLE_MAX),
            kind=entry.choice("kind", HOLIDAY_KINDS), source=entry.string("source"),
            note=entry.optional_text("note"), verified=entry.flag("verified", True),
        )
        if holiday.day in result:
            entry.fail("duplicate date")
        result[holiday.day] = holiday
    return dict(sorted(result.items()))


def load_catalog(data_dir: Path | str = DATA_DIR) -> Catalog:
    """Read and validate the data files; raise CatalogError naming the first problem."""
    data_dir = Path(data_dir)
    version = catalog_version(data_dir)
    legal_bases = _legal_bases(read_entries(data_dir, LEGAL_BASES_FILE))
    sanctions = _sanctions(read_entries(data_dir, SANCTIONS_FILE), legal_bases)
    violations = _violations(read_entries(data_dir, VIOLATIONS_FILE), legal_bases, sanctions)
    elections = _elections(read_entries(data_dir, ELECTIONS_FILE))
    deadline_rules = _deadlines(read_entries(data_dir, DEADLINES_FILE), legal_bases)
    holidays = _holidays(read_entries(data_dir, HOLIDAYS_FILE))
    if not violations:
        raise CatalogError(f"{VIOLATIONS_FILE}: no entries")
    return Catalog(
        version=version, legal_bases=MappingProxyType(legal_bases), sanctions=MappingProxyType(sanctions),
        violations=MappingProxyType(violations), elections=MappingProxyType(elections),
        deadlines=MappingProxyType(deadline_rules), holidays=MappingProxyType(holidays),
    )


@functools.cache
def default_catalog() -> Catalog:
    """The catalog of rules/data/, parsed once per process (checked at start-up)."""
    return load_catalog(DATA_DIR)
