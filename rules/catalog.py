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
- ``calendar_years.yaml``: the years whose days holidays.yaml carries, each confirmed by
  its joint decree (year, decree, source); a year with days in holidays.yaml must be
  listed and a listed year must have days. Other years come from the ``holidays``
  package, provisional (rules.calendar).
- ``regimes.yaml``, ``steps.yaml``, ``stages.yaml``, ``subjects.yaml``, ``authorities.yaml``,
  ``routes.yaml``: the regimes, the steps with a clock, the kinds of election stage, the
  kinds of reported person, the bodies a case goes to and which one, per subject and family.
- ``families.yaml``, ``sanction_families.yaml``, ``levels.yaml``: the words (title, phrase,
  explanation) of the ids code decides on (VIOLATION_FAMILIES, SANCTION_FAMILIES, LEVELS).
- ``followup_limits.yaml``, ``escalation.yaml``: how long the addressee of a recommendation
  has to act, and where an ignored one escalates (asked by followup.limits).
- ``requirements.yaml``: the requirements of a report (asked by cases.requirements).

Every file of the folder is read here and only here; ``catalog_version`` refuses a YAML file
that is not in FILES, so the one version of the folder covers only validated files.

Every entry may carry a ``note`` (both languages) and ``verified: false`` where it rests
on a text that was not read; ``verified`` is true when left out.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass, field, fields
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
CALENDAR_YEARS_FILE = "calendar_years.yaml"
REGIMES_FILE = "regimes.yaml"
STEPS_FILE = "steps.yaml"
STAGES_FILE = "stages.yaml"
SUBJECTS_FILE = "subjects.yaml"
AUTHORITIES_FILE = "authorities.yaml"
ROUTES_FILE = "routes.yaml"
FAMILIES_FILE = "families.yaml"
SANCTION_FAMILIES_FILE = "sanction_families.yaml"
LEVELS_FILE = "levels.yaml"
FOLLOWUP_LIMITS_FILE = "followup_limits.yaml"
ESCALATION_FILE = "escalation.yaml"
REQUIREMENTS_FILE = "requirements.yaml"
FILES = (LEGAL_BASES_FILE, SANCTIONS_FILE, VIOLATIONS_FILE, ELECTIONS_FILE, DEADLINES_FILE, HOLIDAYS_FILE,
         CALENDAR_YEARS_FILE, REGIMES_FILE, STEPS_FILE, STAGES_FILE, SUBJECTS_FILE, AUTHORITIES_FILE, ROUTES_FILE,
         FAMILIES_FILE, SANCTION_FAMILIES_FILE, LEVELS_FILE, FOLLOWUP_LIMITS_FILE, ESCALATION_FILE,
         REQUIREMENTS_FILE)

LANGUAGES = ("id", "en")
# The families of an act: what kind of breach it is, which decides its sanctions and route.
# Code decides on these ids; their words are data (families.yaml, sanction_families.yaml,
# levels.yaml, which must carry each id). rules.models.Violation.Family holds the act
# families and "by_stage" for the database (a test keeps them equal).
VIOLATION_FAMILIES = ("ethics", "discipline", "crime", "administrative")
BY_STAGE = "by_stage"  # an act whose family depends on the election's stage (family_by_stage)
# The categories of an act: the form the act takes (a banner, a social-media post, a campaign
# event...). Taxonomy, not law: they carry no citation and decide no sanction or route; the
# study form warns when the provisions chosen are of another category than the reporter's
# choice or the facts (cases.provisions, which holds their words).
VIOLATION_CATEGORIES = ("props", "online", "event", "affiliation", "office", "influence")
SANCTION_FAMILIES = ("discipline", "moral", "dismissal", "contract", "criminal", "administrative")
LEVELS = ("light", "medium", "heavy")
# The kinds of employee the ASN register holds (registry.Employee.Kind); subjects.yaml maps
# its subjects onto them. Regimes, steps, stages and subjects themselves are data.
REGISTER_KINDS = ("pns", "pppk", "contract")
AUTHORITY_KINDS = ("civil_service", "gakkumdu", "ppk", "regional_head")
# The case outcomes that carry out a route (cases.states.Outcome; a test keeps them equal).
ROUTE_OUTCOMES = ("forwarded_authority", "forwarded_gakkumdu", "forwarded_other")
# The stages of a recommendation (followup.models.Recommendation.Stage; a test keeps them
# equal): the civil-service authority answers Bawaslu's forwarding, then the PPK acts on
# the authority's recommendation.
FOLLOWUP_STAGES = ("authority", "ppk")
# Where an ignored recommendation escalates to (escalation.yaml, followup.services).
ESCALATION_TARGETS = ("authority_head", "bawaslu_above")
# The steps whose clocks code starts by name (cases.deadlines, cases.services, the report
# form's time limit): steps.yaml may add steps, never drop one of these.
STEP_REPORT = "report"
STEP_FINDING = "finding"
STEP_COMPLETION = "completion"
STEP_INITIAL_STUDY = "initial_study"
STEP_STUDY = "study"
STEP_STUDY_EXTENDED = "study_extended"
CODE_STEPS = (STEP_REPORT, STEP_FINDING, STEP_COMPLETION, STEP_INITIAL_STUDY, STEP_STUDY, STEP_STUDY_EXTENDED)
# The requirements of a report (requirements.yaml) and the checks Netral pre-fills from the
# report itself (cases.requirements.prefill; a test keeps them equal).
REQUIREMENT_KINDS = ("formal", "material")
REQUIREMENT_CHECKS = ("reporter_identity", "reporter_nik", "reported_party", "within_time_limit", "time_and_place",
                      "description", "evidence")
# Ids of regimes, steps, stages and subjects: lower-case words joined by "_" or "-".
KEY_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
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
#
# Every entry serialises itself the same way (``Entry.as_dict``: Catalog.content() for the
# RuleSet and content_changes(), the stored rows, Case.pinned_rules): its fields in order, texts as {id, en},
# dates as YYYY-MM-DD, tuples as lists, None left out. A field's metadata says where an
# entry differs: SKIP (not stored), OMIT_EMPTY (left out when empty), AS_LIST (a mapping
# stored as the list of its values) and a "key" (stored under another name).

SKIP = MappingProxyType({"skip": True})
OMIT_EMPTY = MappingProxyType({"omit_empty": True})
AS_LIST = MappingProxyType({"as_list": True})
STORED_AS_DATE = MappingProxyType({"key": "date"})


class Entry:
    """A typed entry of a data file (a frozen dataclass) with the one serialiser."""

    def as_dict(self) -> dict:
        result = {}
        for spec in fields(self):  # type: ignore[arg-type]
            meta = spec.metadata
            if meta.get("skip"):
                continue
            value = as_data(getattr(self, spec.name), as_list=bool(meta.get("as_list")))
            if value is None or (meta.get("omit_empty") and not value):
                continue
            result[meta.get("key", spec.name)] = value
        return result


def as_data(value: Any, *, as_list: bool = False) -> Any:
    """``value`` as JSON-ready data: entries and texts as dicts, dates as text, tuples as lists."""
    if isinstance(value, Entry):
        return value.as_dict()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        if as_list:
            return [as_data(item) for item in value.values()]
        return {key: as_data(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [as_data(item) for item in value]
    return value


@dataclass(frozen=True)
class Text(Entry):
    """A human text in both languages."""

    id: str
    en: str

    def get(self, language: str | None) -> str:
        return self.en if (language or "id").startswith("en") else self.id


class Dated:
    """An entry in force from ``valid_from`` to ``valid_until`` (both included; None: open)."""

    valid_from: date | None
    valid_until: date | None

    def in_force(self, day: date | None) -> bool:
        """Whether the entry was in force on ``day`` (None: any day, i.e. always)."""
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class LegalBasis(Entry, Dated):
    id: str
    title: Text
    citation: str
    source: str
    note: Text | None = None
    verified: bool = True
    regimes: tuple[str, ...] = field(default=(), metadata=OMIT_EMPTY)
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class Sanction(Entry, Dated):
    id: str
    family: str
    level: str | None
    title: Text
    applies_to: tuple[str, ...]
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None = None
    verified: bool = True
    regimes: tuple[str, ...] = field(default=(), metadata=OMIT_EMPTY)
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class FamilyByStage(Entry):
    """An act whose family depends on the election's stage on the day it was committed."""

    stage: str
    before: str
    after: str


@dataclass(frozen=True)
class SubjectRule(Entry):
    """What an act means for one kind of person: overrides of the act's own data."""

    subject: str = field(metadata=SKIP)  # the key it is stored under
    family: str | None = None
    legal_bases: tuple[str, ...] = field(default=(), metadata=OMIT_EMPTY)
    sanctions: tuple[str, ...] | None = None
    note: Text | None = None
    verified: bool | None = None


@dataclass(frozen=True)
class Violation(Entry, Dated):
    """A prohibited act. ``family`` is its fixed family, or "by_stage" with ``family_by_stage``.

    ``sanctions_by_family`` maps a family to its sanction ids (one key for a fixed family);
    ``sanctions`` is every id the act names, for callers that only list them.
    """

    id: str
    family: str
    title: Text
    plain: Text
    legal_bases: tuple[str, ...]
    sanctions: tuple[str, ...]
    source: str
    position: int = field(metadata=SKIP)  # the file's order, stored on the row
    category: str | None = None  # VIOLATION_CATEGORIES; required in the file, None only in hand-made entries
    level: str | None = None
    note: Text | None = None
    verified: bool = True
    family_by_stage: FamilyByStage | None = None
    sanctions_by_family: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    subjects: Mapping[str, SubjectRule] = field(default_factory=lambda: MappingProxyType({}))
    regimes: tuple[str, ...] = field(default=(), metadata=OMIT_EMPTY)
    valid_from: date | None = None
    valid_until: date | None = None

    def applies_in(self, regime: str) -> bool:
        return not self.regimes or regime in self.regimes


@dataclass(frozen=True)
class StagePeriod(Entry):
    """The days of one stage of one election (a single day when start == end)."""

    stage: str
    start: date
    end: date


@dataclass(frozen=True)
class Election(Entry):
    id: str
    regime: str
    title: Text
    voting_day: date
    source: str
    note: Text | None = None
    verified: bool = True
    stages: Mapping[str, StagePeriod] = field(default_factory=lambda: MappingProxyType({}), metadata=AS_LIST)

    def stage_start(self, stage: str) -> date | None:
        period = self.stages.get(stage)
        return period.start if period else None


@dataclass(frozen=True)
class Regime(Entry):
    """An election regime (regimes.yaml): the law a report is handled under."""

    id: str
    code: str
    title: Text
    short: Text
    plain: Text
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None = None
    verified: bool = True


@dataclass(frozen=True)
class Named(Entry):
    """A step of handling a report (steps.yaml) or a kind of election stage (stages.yaml)."""

    id: str
    title: Text
    plain: Text | None = None


@dataclass(frozen=True)
class Term(Entry):
    """A word of the law that code decides on by its id, with its words as data.

    A family of prohibited acts (families.yaml), a family of sanctions
    (sanction_families.yaml) or a level of discipline (levels.yaml). ``title`` names it
    on its own (a heading, a label), ``phrase`` inside a sentence or a letter;
    ``explanation`` says what it means for the person reported (families only).
    """

    id: str
    title: Text
    phrase: Text
    legal_bases: tuple[str, ...]
    source: str
    explanation: Text | None = None
    note: Text | None = None
    verified: bool = True


@dataclass(frozen=True)
class Subject(Entry):
    """A kind of person a report can be about (subjects.yaml)."""

    id: str
    asn: bool
    register_kind: str | None
    title: Text
    plain: Text
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None = None
    verified: bool = True


@dataclass(frozen=True)
class Authority(Entry, Dated):
    """A body a case can be forwarded to (authorities.yaml)."""

    id: str
    kind: str
    name: Text
    addressee: str
    address: str = field(metadata=OMIT_EMPTY)
    source: str
    note: Text | None = None
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class Route(Entry, Dated):
    """Where a case about one subject and one family goes on a date (routes.yaml)."""

    id: str
    subjects: tuple[str, ...]
    families: tuple[str, ...]
    authority: str
    outcome: str
    explanation: Text
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None = None
    verified: bool = True
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class DeadlineRule(Entry, Dated):
    """How long one step may take under one regime (counted by rules.deadlines).

    A (regime, step) pair may have several rules one after another in time; the one in
    force on the day the clock starts applies (``valid_from`` / ``valid_until``).
    """

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
    valid_from: date | None = None
    valid_until: date | None = None

    @classmethod
    def from_dict(cls, data: Mapping) -> "DeadlineRule":
        """A rule back from ``as_dict()`` (as a case stores the rule its clock started under)."""
        def text(key):
            value = data.get(key)
            return Text(id=value["id"], en=value["en"]) if value else None

        def day(key):
            return date.fromisoformat(data[key]) if data.get(key) else None

        return cls(
            id=data["id"], regime=data["regime"], step=data["step"], days=data["days"], day_kind=data["day_kind"],
            start_is_day_zero=data["start_is_day_zero"], counted_from=text("counted_from"), title=text("title"),
            explanation=text("explanation"), legal_bases=tuple(data.get("legal_bases", ())), source=data["source"],
            note=text("note"), verified=data.get("verified", True), valid_from=day("valid_from"),
            valid_until=day("valid_until"),
        )


@dataclass(frozen=True)
class FollowupLimit(Entry, Dated):
    """How long the addressee of a recommendation has to act (followup_limits.yaml).

    One entry per (stage, civil-service authority, period of issue dates); counted by
    rules.deadlines like a DeadlineRule. ``stage`` is "authority" (the authority must
    answer Bawaslu's forwarding) or "ppk" (the PPK must act on the recommendation).
    """

    id: str
    stage: str
    authority: str
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
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class EscalationLevel(Entry, Dated):
    """A level an ignored recommendation of one stage climbs to (escalation.yaml)."""

    id: str
    stage: str
    level: int
    to: str
    title: Text
    explanation: Text
    legal_bases: tuple[str, ...]
    source: str
    note: Text | None = None
    verified: bool = True
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class Requirement(Entry, Dated):
    """A formal or material requirement of a report under some regimes (requirements.yaml).

    ``auto`` names the check Netral pre-fills from the report (staff confirm or correct it).
    """

    id: str
    kind: str
    regimes: tuple[str, ...]
    title: Text
    source: str
    auto: str | None = None
    note: Text | None = None
    verified: bool = True
    valid_from: date | None = None
    valid_until: date | None = None

    def label(self, language: str) -> str:
        return self.title.get(language)


@dataclass(frozen=True)
class Holiday(Entry):
    """A day off that working-day rules skip."""

    day: date = field(metadata=STORED_AS_DATE)
    name: Text
    kind: str
    source: str
    note: Text | None = None
    verified: bool = True


@dataclass(frozen=True)
class ConfirmedYear(Entry):
    """A year whose days off holidays.yaml carries, as set by its joint decree."""

    year: int
    decree: str
    source: str
    note: Text | None = None
    verified: bool = True


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
    calendar_years: Mapping[int, ConfirmedYear]
    regimes: Mapping[str, Regime] = field(default_factory=lambda: MappingProxyType({}))
    steps: Mapping[str, Named] = field(default_factory=lambda: MappingProxyType({}))
    stages: Mapping[str, Named] = field(default_factory=lambda: MappingProxyType({}))
    subjects: Mapping[str, Subject] = field(default_factory=lambda: MappingProxyType({}))
    authorities: Mapping[str, Authority] = field(default_factory=lambda: MappingProxyType({}))
    routes: Mapping[str, Route] = field(default_factory=lambda: MappingProxyType({}))
    families: Mapping[str, Term] = field(default_factory=lambda: MappingProxyType({}))
    sanction_families: Mapping[str, Term] = field(default_factory=lambda: MappingProxyType({}))
    levels: Mapping[str, Term] = field(default_factory=lambda: MappingProxyType({}))
    followup_limits: Mapping[str, FollowupLimit] = field(default_factory=lambda: MappingProxyType({}))
    escalation: Mapping[str, EscalationLevel] = field(default_factory=lambda: MappingProxyType({}))
    requirements: Mapping[str, Requirement] = field(default_factory=lambda: MappingProxyType({}))

    def deadline_rule(self, regime: str, step: str, on: date | None = None) -> DeadlineRule | None:
        """The rule of one (regime, step) pair in force on ``on`` (the clock's start), or None.

        Without a day: the rule in force today or, failing that, the newest one.
        """
        rules = [rule for rule in self.deadlines.values() if rule.regime == regime and rule.step == step]
        if not rules:
            return None
        if on is None:
            on = date.today()
            current = [rule for rule in rules if rule.in_force(on)]
            return current[0] if current else max(rules, key=lambda rule: rule.valid_from or date.min)
        return next((rule for rule in rules if rule.in_force(on)), None)

    def followup_limit(self, stage: str, authority: str, on: date) -> FollowupLimit | None:
        """The limit for a recommendation of ``stage`` from ``authority`` issued ``on`` (at most one)."""
        return next((limit for limit in self.followup_limits.values()
                     if limit.stage == stage and limit.authority == authority and limit.in_force(on)), None)

    def escalation_levels(self, stage: str, on: date) -> tuple[EscalationLevel, ...]:
        """The escalation levels of ``stage`` in force on ``on``, first level first (numbered 1, 2, ...)."""
        return tuple(sorted((entry for entry in self.escalation.values() if entry.stage == stage and
                             entry.in_force(on)), key=lambda entry: entry.level))

    def subjects_for_register_kind(self, kind: str) -> Subject | None:
        return next((subject for subject in self.subjects.values() if subject.register_kind == kind), None)

    def content(self) -> dict:
        """Everything, as plain JSON-ready data (stored with each RuleSet): one list per section."""
        sections = {spec.name: [entry.as_dict() for entry in getattr(self, spec.name).values()]
                    for spec in fields(self) if spec.name != "version"}
        return {"version": self.version, **sections}


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
    """The one version of the law files: SHA-256 over every YAML file in the folder, sorted by
    name (names included), stored with each RuleSet and audited on load.

    A YAML file in the folder that the catalog does not read is refused: every file under the
    version is parsed and validated here, none beside it by another loader.
    """
    paths = sorted(Path(data_dir).glob("*.yaml"))
    unknown = [path.name for path in paths if path.name not in FILES]
    if unknown:
        raise CatalogError(f"{unknown[0]}: not a file of the law catalog (rules.catalog.FILES): add its parser to "
                           "rules/catalog.py, or keep it out of the data folder")
    digest = hashlib.sha256()
    for path in paths:
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

    def provenance(self) -> tuple[Text | None, bool]:
        """``note`` and ``verified``: an unverified entry must say in its note what is not verified."""
        note, verified = self.optional_text("note"), self.flag("verified", True)
        if not verified and note is None:
            self.fail('an unverified entry ("verified: false") needs a "note" saying what is not verified')
        return note, verified

    def count(self) -> dict:
        """``days``, ``day_kind`` and ``start_is_day_zero`` of a time limit (rules.deadlines counts it)."""
        days = self.raw["days"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            self.fail(f'"days" must be a whole number of at least 1, not {days!r}')
        if not isinstance(self.raw["start_is_day_zero"], bool):
            self.fail('"start_is_day_zero" must be true or false')
        return {"days": days, "day_kind": self.choice("day_kind", DAY_KINDS),
                "start_is_day_zero": self.raw["start_is_day_zero"]}

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

    def key_id(self) -> str:
        """The id of a regime, step, stage or subject: a slug that may also use "_"."""
        value = self.raw["id"]
        if not isinstance(value, str) or not KEY_RE.match(value) or len(value) > SLUG_MAX:
            self.fail(f"id {value!r} is not a key (lower-case letters, digits, hyphens and underscores)")
        return value

    def validity(self) -> dict:
        """``valid_from`` / ``valid_until`` (optional dates, the first not after the second)."""
        valid_from = self.day("valid_from") if "valid_from" in self.raw else None
        valid_until = self.day("valid_until") if "valid_until" in self.raw else None
        if valid_from and valid_until and valid_until < valid_from:
            self.fail(f'"valid_until" {valid_until} is before "valid_from" {valid_from}')
        return {"valid_from": valid_from, "valid_until": valid_until}

    def optional_references(self, key: str, known: Mapping[str, Any], what: str) -> tuple:
        return self.references(key, known, what, allow_empty=True) if key in self.raw else ()

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


def _regimes(raw_entries: list, legal_bases: Mapping) -> dict[str, Regime]:
    entries, codes = [], {}
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(REGIMES_FILE, index, raw)
        entry.keys(("id", "code", "title", "short", "plain", "legal_bases", "source"), ("note", "verified"))
        code = entry.string("code")
        if not re.fullmatch(r"[A-Z]{2}", code):
            entry.fail(f'"code" {code!r} must be two capital letters (used in case numbers)')
        if code in codes:
            entry.fail(f'code "{code}" is already the code of "{codes[code]}"')
        regime = Regime(
            id=entry.key_id(), code=code, title=entry.text("title", max_length=TITLE_MAX),
            short=entry.text("short", max_length=40), plain=entry.text("plain"),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"), source=entry.string("source"),
            note=entry.optional_text("note"), verified=entry.flag("verified", True),
        )
        codes[code] = regime.id
        entries.append(regime)
    result = _unique(REGIMES_FILE, entries)
    if not result:
        raise CatalogError(f"{REGIMES_FILE}: no entries")
    return result


def _named(file: str, raw_entries: list) -> dict[str, Named]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(file, index, raw)
        entry.keys(("id", "title"), ("plain",))
        entries.append(Named(id=entry.key_id(), title=entry.text("title", max_length=TITLE_MAX),
                             plain=entry.optional_text("plain")))
    result = _unique(file, entries)
    if not result:
        raise CatalogError(f"{file}: no entries")
    return result


def _subjects(raw_entries: list, legal_bases: Mapping) -> dict[str, Subject]:
    entries, kinds = [], {}
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(SUBJECTS_FILE, index, raw)
        entry.keys(("id", "asn", "title", "plain", "legal_bases", "source"), ("register_kind", "note", "verified"))
        if not isinstance(raw["asn"], bool):
            entry.fail('"asn" must be true or false')
        kind = entry.choice("register_kind", REGISTER_KINDS) if "register_kind" in raw else None
        if kind in kinds:
            entry.fail(f'register kind "{kind}" is already the kind of "{kinds[kind]}"')
        subject = Subject(
            id=entry.key_id(), asn=raw["asn"], register_kind=kind, title=entry.text("title", max_length=TITLE_MAX),
            plain=entry.text("plain"), legal_bases=entry.references("legal_bases", legal_bases, "legal basis"),
            source=entry.string("source"), note=entry.optional_text("note"), verified=entry.flag("verified", True),
        )
        if kind:
            kinds[kind] = subject.id
        entries.append(subject)
    result = _unique(SUBJECTS_FILE, entries)
    missing = sorted(set(REGISTER_KINDS) - set(kinds))
    if missing:
        raise CatalogError(f'{SUBJECTS_FILE}: no subject has register_kind "{missing[0]}"')
    return result


def _legal_bases(raw_entries: list) -> dict[str, LegalBasis]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(LEGAL_BASES_FILE, index, raw)
        entry.keys(("id", "title", "citation", "source"), ("note", "verified", "regimes", "valid_from", "valid_until"))
        entries.append(LegalBasis(
            id=entry.slug(), title=entry.text("title", max_length=TITLE_MAX),
            citation=entry.string("citation"),
            source=entry.string("source"), note=entry.optional_text("note"),
            verified=entry.flag("verified", True), regimes=_raw_keys(entry, "regimes"), **entry.validity(),
        ))
    return _unique(LEGAL_BASES_FILE, entries)


def _raw_keys(entry: DataEntry, key: str) -> tuple[str, ...]:
    """A list of ids checked later against another file (regimes are read after the bases)."""
    if key not in entry.raw:
        return ()
    values = entry.raw[key]
    if not isinstance(values, list) or not values or not all(isinstance(value, str) for value in values):
        entry.fail(f'"{key}" must be a non-empty list of ids')
    return tuple(values)


def _check_keys(file: str, owner: str, values, known: Mapping, what: str):
    for value in values:
        if value not in known:
            raise CatalogError(f'{file}: entry "{owner}": unknown {what} "{value}"')


def _sanctions(raw_entries: list, legal_bases: Mapping, subjects: Mapping, regimes: Mapping) -> dict[str, Sanction]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(SANCTIONS_FILE, index, raw)
        entry.keys(("id", "family", "title", "applies_to", "legal_bases", "source"),
                   ("level", "note", "verified", "regimes", "valid_from", "valid_until"))
        entries.append(Sanction(
            id=entry.slug(), family=entry.choice("family", SANCTION_FAMILIES),
            level=entry.choice("level", LEVELS) if "level" in raw else None,
            title=entry.text("title", max_length=TITLE_MAX),
            applies_to=entry.choices("applies_to", tuple(subjects)),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"),
            source=entry.string("source"), note=entry.optional_text("note"),
            verified=entry.flag("verified", True),
            regimes=entry.choices("regimes", tuple(regimes)) if "regimes" in raw else (), **entry.validity(),
        ))
    return _unique(SANCTIONS_FILE, entries)


def _subject_rules(entry: DataEntry, legal_bases: Mapping, sanctions: Mapping,
                   subjects: Mapping) -> dict[str, SubjectRule]:
    raw = entry.raw["subjects"]
    if not isinstance(raw, dict) or not raw:
        entry.fail('"subjects" must map at least one subject id to its overrides ({} for none)')
    result = {}
    for subject_id, overrides in raw.items():
        if subject_id not in subjects:
            entry.fail(f'unknown subject "{subject_id}" (known: {", ".join(subjects)})')
        overrides = overrides or {}
        if not isinstance(overrides, dict):
            entry.fail(f'subject "{subject_id}": overrides must be a mapping')
        sub = DataEntry(entry.file, 0, overrides)
        sub.label = f'{entry.label}: subject "{subject_id}"'
        sub.keys((), ("family", "legal_bases", "sanctions", "note", "verified"))
        result[subject_id] = SubjectRule(
            subject=subject_id,
            family=sub.choice("family", VIOLATION_FAMILIES) if "family" in overrides else None,
            legal_bases=sub.optional_references("legal_bases", legal_bases, "legal basis"),
            sanctions=sub.optional_references("sanctions", sanctions, "sanction") if "sanctions" in overrides else None,
            note=sub.optional_text("note"), verified=sub.flag("verified", True) if "verified" in overrides else None,
        )
    return result


def _violations(raw_entries: list, legal_bases: Mapping, sanctions: Mapping, subjects: Mapping,
                regimes: Mapping, stages: Mapping) -> dict[str, Violation]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(VIOLATIONS_FILE, index, raw)
        entry.keys(("id", "category", "title", "plain", "legal_bases", "sanctions", "subjects", "source"),
                   ("family", "family_by_stage", "level", "note", "verified", "regimes", "valid_from", "valid_until"))
        by_stage = None
        if ("family" in raw) == ("family_by_stage" in raw):
            entry.fail('give either "family" or "family_by_stage"')
        if "family" in raw:
            family = entry.choice("family", VIOLATION_FAMILIES)
            families = (family,)
        else:
            stage_raw = raw["family_by_stage"]
            sub = DataEntry(VIOLATIONS_FILE, index, stage_raw)
            sub.label = f"{entry.label}: family_by_stage"
            sub.keys(("stage", "before", "after"))
            by_stage = FamilyByStage(stage=sub.choice("stage", tuple(stages)),
                                     before=sub.choice("before", VIOLATION_FAMILIES),
                                     after=sub.choice("after", VIOLATION_FAMILIES))
            family = "by_stage"
            families = (by_stage.before, by_stage.after)
        level = None
        if "level" in raw:
            if family != "discipline":
                entry.fail('"level" is given only to discipline violations (PP 94/2021)')
            level = entry.choice("level", LEVELS)
        if by_stage is None:
            by_family = {family: entry.references("sanctions", sanctions, "sanction", allow_empty=True)}
        else:
            mapping = raw["sanctions"]
            if not isinstance(mapping, dict) or set(mapping) != set(families):
                entry.fail(f'with family_by_stage, "sanctions" maps each family ({", ".join(families)}) to its ids')
            by_family = {}
            for name, ids in mapping.items():
                sub = DataEntry(VIOLATIONS_FILE, index, {"sanctions": ids})
                sub.label = f"{entry.label}: sanctions of {name}"
                by_family[name] = sub.references("sanctions", sanctions, "sanction", allow_empty=True)
        subject_rules = _subject_rules(entry, legal_bases, sanctions, subjects)
        violation = Violation(
            id=entry.slug(), family=family, category=entry.choice("category", VIOLATION_CATEGORIES), level=level,
            title=entry.text("title", max_length=TITLE_MAX),
            plain=entry.text("plain"),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis", allow_empty=True),
            sanctions=tuple(dict.fromkeys(pk for ids in by_family.values() for pk in ids)),
            source=entry.string("source"), position=index, note=entry.optional_text("note"),
            verified=entry.flag("verified", True), family_by_stage=by_stage,
            sanctions_by_family=MappingProxyType(by_family), subjects=MappingProxyType(subject_rules),
            regimes=entry.choices("regimes", tuple(regimes)) if "regimes" in raw else (), **entry.validity(),
        )
        for subject_id, rule in subject_rules.items():
            bases = violation.legal_bases + rule.legal_bases
            if not bases:
                entry.fail(f'subject "{subject_id}" has no legal basis (neither the act nor the subject gives one)')
            for family_name in ((rule.family,) if rule.family else families):
                ids = rule.sanctions if rule.sanctions is not None else by_family.get(family_name, ())
                if not any(subject_id in sanctions[pk].applies_to for pk in ids) and violation.note is None \
                        and rule.note is None:
                    entry.fail(f'subject "{subject_id}" has no sanction for the family "{family_name}": add one '
                               'that applies to it, or a "note" saying why the catalog has none')
        entries.append(violation)
    return _unique(VIOLATIONS_FILE, entries)


def _elections(raw_entries: list, regimes: Mapping, stages: Mapping) -> dict[str, Election]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(ELECTIONS_FILE, index, raw)
        entry.keys(("id", "regime", "title", "voting_day", "source"), ("note", "verified", "stages"))
        periods = {}
        for position, stage_raw in enumerate(raw.get("stages") or [], start=1):
            sub = DataEntry(ELECTIONS_FILE, position, stage_raw)
            sub.label = f"{entry.label}: stage #{position}"
            sub.keys(("stage", "start"), ("end",))
            stage = sub.choice("stage", tuple(stages))
            start = sub.day("start")
            end = sub.day("end") if "end" in stage_raw else start
            if end < start:
                sub.fail(f'"end" {end} is before "start" {start}')
            if stage in periods:
                sub.fail(f'stage "{stage}" is given twice')
            periods[stage] = StagePeriod(stage=stage, start=start, end=end)
        entries.append(Election(
            id=entry.slug(), regime=entry.choice("regime", tuple(regimes)),
            title=entry.text("title", max_length=TITLE_MAX),
            voting_day=entry.day("voting_day"), source=entry.string("source"),
            note=entry.optional_text("note"), verified=entry.flag("verified", True),
            stages=MappingProxyType(dict(sorted(periods.items(), key=lambda item: item[1].start))),
        ))
    return _unique(ELECTIONS_FILE, entries)


def _authorities(raw_entries: list) -> dict[str, Authority]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(AUTHORITIES_FILE, index, raw)
        entry.keys(("id", "kind", "name", "addressee", "source"), ("address", "valid_from", "valid_until", "note"))
        entries.append(Authority(
            id=entry.slug(), kind=entry.choice("kind", AUTHORITY_KINDS), name=entry.text("name"),
            addressee=entry.string("addressee"), address=entry.string("address") if "address" in raw else "",
            source=entry.string("source"), note=entry.optional_text("note"), **entry.validity(),
        ))
    result = _unique(AUTHORITIES_FILE, entries)
    civil = sorted((a for a in result.values() if a.kind == "civil_service"), key=lambda a: a.valid_from or date.min)
    for before, after in zip(civil, civil[1:]):
        if before.valid_until is None or (after.valid_from and before.valid_until >= after.valid_from):
            raise CatalogError(f'{AUTHORITIES_FILE}: entry "{before.id}" overlaps "{after.id}"')
    return result


def _overlapping(first: Dated, second: Dated) -> bool:
    return (first.valid_until is None or second.valid_from is None or second.valid_from <= first.valid_until) and \
        (second.valid_until is None or first.valid_from is None or first.valid_from <= second.valid_until)


def _routes(raw_entries: list, legal_bases: Mapping, subjects: Mapping, authorities: Mapping) -> dict[str, Route]:
    entries: list[Route] = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(ROUTES_FILE, index, raw)
        entry.keys(("id", "subjects", "families", "authority", "outcome", "explanation", "legal_bases", "source"),
                   ("note", "verified", "valid_from", "valid_until"))
        route = Route(
            id=entry.slug(), subjects=entry.choices("subjects", tuple(subjects)),
            families=entry.choices("families", VIOLATION_FAMILIES),
            authority=entry.choice("authority", tuple(authorities)), outcome=entry.choice("outcome", ROUTE_OUTCOMES),
            explanation=entry.text("explanation"),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"), source=entry.string("source"),
            note=entry.optional_text("note"), verified=entry.flag("verified", True), **entry.validity(),
        )
        if route.outcome == "forwarded_authority":
            for subject_id in route.subjects:
                if not subjects[subject_id].asn:
                    entry.fail(f'"{subject_id}" is not ASN: it cannot be forwarded to the civil-service authority')
            if authorities[route.authority].kind != "civil_service":
                entry.fail('"forwarded_authority" needs an authority of kind civil_service')
        for other in entries:
            shared = set(other.subjects) & set(route.subjects) and set(other.families) & set(route.families)
            if shared and _overlapping(other, route):
                entry.fail(f'overlaps route "{other.id}" for the same subject and family')
        entries.append(route)
    return _unique(ROUTES_FILE, entries)


def _deadlines(raw_entries: list, legal_bases: Mapping, regimes: Mapping, steps: Mapping) -> dict[str, DeadlineRule]:
    entries: list[DeadlineRule] = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(DEADLINES_FILE, index, raw)
        entry.keys(("id", "regime", "step", "days", "day_kind", "start_is_day_zero", "counted_from", "title",
                    "explanation", "legal_bases", "source"), ("note", "verified", "valid_from", "valid_until"))
        rule = DeadlineRule(
            id=entry.slug(), regime=entry.choice("regime", tuple(regimes)),
            step=entry.choice("step", tuple(steps)), **entry.count(),
            counted_from=entry.text("counted_from", max_length=TITLE_MAX),
            title=entry.text("title", max_length=TITLE_MAX), explanation=entry.text("explanation"),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"),
            source=entry.string("source"), note=entry.optional_text("note"),
            verified=entry.flag("verified", True), **entry.validity(),
        )
        if not rule.verified and rule.note is None:
            entry.fail('an unverified rule ("verified: false") needs a "note" saying what is not verified')
        for other in entries:
            if other.id == rule.id:
                entry.fail("duplicate id")
            if (other.regime, other.step) == (rule.regime, rule.step) and _overlapping(other, rule):
                entry.fail(f'{rule.regime}/{rule.step} already has a rule ("{other.id}") in force on some of the '
                           "same days: give each a valid_from / valid_until that do not overlap")
        _check_numbers(entry, rule.days, (rule.explanation, rule.title))
        entries.append(rule)
    return _unique(DEADLINES_FILE, entries)


def _followup_limits(raw_entries: list, legal_bases: Mapping, authorities: Mapping) -> dict[str, FollowupLimit]:
    civil_service = tuple(authority.id for authority in authorities.values() if authority.kind == "civil_service")
    entries: list[FollowupLimit] = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(FOLLOWUP_LIMITS_FILE, index, raw)
        entry.keys(("id", "stage", "authority", "valid_from", "days", "day_kind", "start_is_day_zero",
                    "counted_from", "title", "explanation", "legal_bases", "source"),
                   ("valid_until", "note", "verified"))
        note, verified = entry.provenance()
        limit = FollowupLimit(
            id=entry.slug(), stage=entry.choice("stage", FOLLOWUP_STAGES),
            authority=entry.choice("authority", civil_service), **entry.count(),
            counted_from=entry.text("counted_from", max_length=TITLE_MAX),
            title=entry.text("title", max_length=TITLE_MAX), explanation=entry.text("explanation"),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"), source=entry.string("source"),
            note=note, verified=verified, **entry.validity(),
        )
        for other in entries:
            if (other.stage, other.authority) == (limit.stage, limit.authority) and _overlapping(other, limit):
                entry.fail(f'overlaps "{other.id}" (same stage and authority)')
        _check_numbers(entry, limit.days, (limit.title, limit.explanation))
        entries.append(limit)
    return _unique(FOLLOWUP_LIMITS_FILE, entries)


def _escalation(raw_entries: list, legal_bases: Mapping) -> dict[str, EscalationLevel]:
    entries: list[EscalationLevel] = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(ESCALATION_FILE, index, raw)
        entry.keys(("id", "stage", "level", "to", "title", "explanation", "legal_bases", "source"),
                   ("note", "verified", "valid_from", "valid_until"))
        level = raw["level"]
        if isinstance(level, bool) or not isinstance(level, int) or level < 1:
            entry.fail(f'"level" must be a whole number of at least 1, not {level!r}')
        note, verified = entry.provenance()
        entries.append(EscalationLevel(
            id=entry.slug(), stage=entry.choice("stage", FOLLOWUP_STAGES), level=level,
            to=entry.choice("to", ESCALATION_TARGETS), title=entry.text("title", max_length=TITLE_MAX),
            explanation=entry.text("explanation"),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"), source=entry.string("source"),
            note=note, verified=verified, **entry.validity(),
        ))
    result = _unique(ESCALATION_FILE, entries)
    # On every day an entry starts, ends or has just ended, and for the open-ended entries
    # (None), the levels of each stage run 1, 2, ...
    days: set[date | None] = {None}
    for entry in entries:
        days |= {entry.valid_from, entry.valid_until}
        if entry.valid_until and entry.valid_until < date.max:
            days.add(entry.valid_until + deadlines.ONE_DAY)
    for stage in FOLLOWUP_STAGES:
        for day in sorted(days, key=lambda day: day or date.min):
            levels = sorted(e.level for e in entries if e.stage == stage and
                            (e.valid_until is None if day is None else e.in_force(day)))
            if levels != list(range(1, len(levels) + 1)):
                on = f" on {day}" if day else ""
                raise CatalogError(f'{ESCALATION_FILE}: the levels of stage "{stage}"{on} must run 1, 2, ... '
                                   f"without gaps or repeats, not {levels}")
    return result


def _requirements(raw_entries: list, regimes: Mapping) -> dict[str, Requirement]:
    entries = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(REQUIREMENTS_FILE, index, raw)
        entry.keys(("id", "kind", "regimes", "title", "source"), ("auto", "verified", "note", "valid_from", "valid_until"))
        entries.append(Requirement(
            id=entry.slug(), kind=entry.choice("kind", REQUIREMENT_KINDS),
            regimes=entry.choices("regimes", tuple(regimes)), title=entry.text("title", max_length=TITLE_MAX),
            source=entry.string("source"),
            auto=entry.choice("auto", REQUIREMENT_CHECKS) if "auto" in raw else None,
            note=entry.optional_text("note"), verified=entry.flag("verified", True), **entry.validity(),
        ))
    return _unique(REQUIREMENTS_FILE, entries)


def _terms(file: str, raw_entries: list, legal_bases: Mapping, ids: tuple[str, ...], *,
           explained: bool = False) -> dict[str, Term]:
    """The words of ids that code decides on: each id once, every one of ``ids`` present."""
    entries = []
    required = ("id", "title", "phrase", "legal_bases", "source") + (("explanation",) if explained else ())
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(file, index, raw)
        entry.keys(required, ("note", "verified"))
        note, verified = entry.provenance()
        entries.append(Term(
            id=entry.choice("id", ids), title=entry.text("title", max_length=TITLE_MAX),
            phrase=entry.text("phrase", max_length=TITLE_MAX),
            legal_bases=entry.references("legal_bases", legal_bases, "legal basis"), source=entry.string("source"),
            explanation=entry.text("explanation") if explained else None, note=note, verified=verified,
        ))
    result = _unique(file, entries)
    missing = [key for key in ids if key not in result]
    if missing:
        raise CatalogError(f'{file}: no entry "{missing[0]}": the code uses it, its words must be here')
    return result


# Number words as the texts write them (Indonesian and English), for _check_numbers.
_NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
                 "sembilan": 9, "sepuluh": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_DAYS_RE = re.compile(r"(\d+|[a-z]+)\s+(?:hari|working days?|calendar days?|days?)\b", re.IGNORECASE)


def _check_numbers(entry: DataEntry, days: int, texts: tuple[Text, ...]):
    """A text that names a number of days must name the entry's own number.

    The explanation of a 7-day rule may say "7 hari" or "paling lama 14 hari kerja" only
    when it also names 7: a rule changed in its number but not in its words is refused.
    """
    for text in texts:
        for language in LANGUAGES:
            words = text.get(language)
            counts = set()
            for match in _DAYS_RE.finditer(words):
                token = match.group(1).lower()
                counts.add(int(token) if token.isdigit() else _NUMBER_WORDS.get(token))
            counts.discard(None)
            if counts and days not in counts:
                entry.fail(f'the text ({language}) names {", ".join(map(str, sorted(counts)))} days but "days" '
                           f"is {days}: make them agree")


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


# The years a joint decree can be about (a typo such as 20277 is refused).
CALENDAR_YEAR_RANGE = (2000, 2100)


def _calendar_years(raw_entries: list, holidays: Mapping[date, Holiday]) -> dict[int, ConfirmedYear]:
    """The confirmed years, checked against holidays.yaml: the two files list the same years."""
    result: dict[int, ConfirmedYear] = {}
    for index, raw in enumerate(raw_entries, start=1):
        entry = DataEntry(CALENDAR_YEARS_FILE, index, raw, id_key="year")
        if isinstance(raw.get("year"), int) and not isinstance(raw["year"], bool):
            entry.label = f'entry "{raw["year"]}"'  # a confirmed year is known by its number
        entry.keys(("year", "decree", "source"), ("note", "verified"))
        year = raw["year"]
        low, high = CALENDAR_YEAR_RANGE
        if isinstance(year, bool) or not isinstance(year, int) or not low <= year <= high:
            entry.fail(f'"year" must be a year from {low} to {high}, not {year!r}')
        if year in result:
            entry.fail("duplicate year")
        result[year] = ConfirmedYear(
            year=year, decree=entry.string("decree"), source=entry.string("source"),
            note=entry.optional_text("note"), verified=entry.flag("verified", True),
        )
        if not any(day.year == year for day in holidays):
            entry.fail(f"{HOLIDAYS_FILE} has no day of {year}: add the decree's days there, or leave the year out "
                       "(it is then taken from the holidays package, provisional)")
    unlisted = sorted({day.year for day in holidays} - set(result))
    if unlisted:
        raise CatalogError(f"{HOLIDAYS_FILE}: the days of {unlisted[0]} are not confirmed: list the year with its "
                           f"decree in {CALENDAR_YEARS_FILE}")
    return dict(sorted(result.items()))


def load_catalog(data_dir: Path | str = DATA_DIR) -> Catalog:
    """Read and validate the data files; raise CatalogError naming the first problem."""
    data_dir = Path(data_dir)
    version = catalog_version(data_dir)
    legal_bases = _legal_bases(read_entries(data_dir, LEGAL_BASES_FILE))
    regimes = _regimes(read_entries(data_dir, REGIMES_FILE), legal_bases)
    for basis in legal_bases.values():
        _check_keys(LEGAL_BASES_FILE, basis.id, basis.regimes, regimes, "regime")
    steps = _named(STEPS_FILE, read_entries(data_dir, STEPS_FILE))
    missing_steps = [step for step in CODE_STEPS if step not in steps]
    if missing_steps:
        raise CatalogError(f'{STEPS_FILE}: no step "{missing_steps[0]}": the code starts its clock by this id')
    stages = _named(STAGES_FILE, read_entries(data_dir, STAGES_FILE))
    subjects = _subjects(read_entries(data_dir, SUBJECTS_FILE), legal_bases)
    authorities = _authorities(read_entries(data_dir, AUTHORITIES_FILE))
    routes = _routes(read_entries(data_dir, ROUTES_FILE), legal_bases, subjects, authorities)
    sanctions = _sanctions(read_entries(data_dir, SANCTIONS_FILE), legal_bases, subjects, regimes)
    violations = _violations(read_entries(data_dir, VIOLATIONS_FILE), legal_bases, sanctions, subjects, regimes,
                             stages)
    elections = _elections(read_entries(data_dir, ELECTIONS_FILE), regimes, stages)
    deadline_rules = _deadlines(read_entries(data_dir, DEADLINES_FILE), legal_bases, regimes, steps)
    holidays = _holidays(read_entries(data_dir, HOLIDAYS_FILE))
    calendar_years = _calendar_years(read_entries(data_dir, CALENDAR_YEARS_FILE), holidays)
    families = _terms(FAMILIES_FILE, read_entries(data_dir, FAMILIES_FILE), legal_bases,
                      (BY_STAGE, *VIOLATION_FAMILIES), explained=True)
    sanction_families = _terms(SANCTION_FAMILIES_FILE, read_entries(data_dir, SANCTION_FAMILIES_FILE), legal_bases,
                               SANCTION_FAMILIES)
    levels = _terms(LEVELS_FILE, read_entries(data_dir, LEVELS_FILE), legal_bases, LEVELS)
    followup_limits = _followup_limits(read_entries(data_dir, FOLLOWUP_LIMITS_FILE), legal_bases, authorities)
    escalation = _escalation(read_entries(data_dir, ESCALATION_FILE), legal_bases)
    requirements = _requirements(read_entries(data_dir, REQUIREMENTS_FILE), regimes)
    if not violations:
        raise CatalogError(f"{VIOLATIONS_FILE}: no entries")
    sections = {
        "legal_bases": legal_bases, "sanctions": sanctions, "violations": violations, "elections": elections,
        "deadlines": deadline_rules, "holidays": holidays, "calendar_years": calendar_years, "regimes": regimes,
        "steps": steps, "stages": stages, "subjects": subjects, "authorities": authorities, "routes": routes,
        "families": families, "sanction_families": sanction_families, "levels": levels,
        "followup_limits": followup_limits, "escalation": escalation, "requirements": requirements,
    }
    return Catalog(version=version, **{name: MappingProxyType(entries) for name, entries in sections.items()})


_DEFAULT: dict[str, Any] = {}
_DEFAULT_LOCK = threading.Lock()
# How often a running process looks at the files again (a few stat calls).
RECHECK_SECONDS = 1.0


def _signature(data_dir: Path) -> tuple:
    """The name, size and modification time of every data file: cheap to compare."""
    result = []
    for path in sorted(Path(data_dir).glob("*.yaml")):
        stat = path.stat()
        result.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(result)


def default_catalog() -> Catalog:
    """The catalog of rules/data/, parsed once and parsed again when a file changes.

    A running process (a web worker, a task worker) sees a change of the law within
    RECHECK_SECONDS of the files changing, without a restart: it compares the files'
    sizes and modification times at most once per RECHECK_SECONDS. A broken change is
    refused (CatalogError) and the process keeps the last good catalog.
    """
    now = time.monotonic()
    cached = _DEFAULT.get("catalog")
    if cached is not None and now - _DEFAULT["checked"] < RECHECK_SECONDS:
        return cached
    with _DEFAULT_LOCK:
        signature = _signature(DATA_DIR)
        cached = _DEFAULT.get("catalog")
        if cached is None or signature != _DEFAULT.get("signature"):
            try:
                cached = load_catalog(DATA_DIR)
            except CatalogError:
                if cached is None:
                    raise
            else:
                _DEFAULT["catalog"], _DEFAULT["signature"] = cached, signature
        _DEFAULT["checked"] = time.monotonic()
        return cached


def _clear_default():
    _DEFAULT.clear()


default_catalog.cache_clear = _clear_default  # type: ignore[attr-defined]


def content_changes(old: Mapping, new: Mapping) -> list[dict]:
    """What changed between two ``Catalog.content()`` versions: one row per entry and field.

    ``{"section", "id", "field", "old", "new"}``; an added or removed entry has the field
    ``"*"`` and None on the missing side. Used by the audit entry of a rules load.
    """
    rows = []
    for section in sorted(set(old) | set(new)):
        if section == "version":
            continue
        before = {_entry_key(entry): entry for entry in old.get(section) or []}
        after = {_entry_key(entry): entry for entry in new.get(section) or []}
        for key in sorted(set(before) | set(after), key=str):
            if key not in before or key not in after:
                rows.append({"section": section, "id": key, "field": "*",
                             "old": before.get(key), "new": after.get(key)})
                continue
            for field_name in sorted(set(before[key]) | set(after[key])):
                if before[key].get(field_name) != after[key].get(field_name):
                    rows.append({"section": section, "id": key, "field": field_name,
                                 "old": before[key].get(field_name), "new": after[key].get(field_name)})
    return rows


def _entry_key(entry: Mapping) -> str:
    return str(entry.get("id", entry.get("date", entry.get("year", ""))))
