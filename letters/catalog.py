"""The letters as data: read, validate and type letters/data/letters.yaml.

Pure: no ORM, no request, no settings. The start-up check (letters.apps) and the
renderer read the file through this module, so a broken file is refused in the same
words everywhere: the file, the entry and what is wrong. See the file's header for its
schema; the legal bases a letter cites are checked against rules/data/ (rules.catalog).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from letters import numbers
from rules import catalog as rules_catalog
from rules.catalog import Text

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
DATA_FILE = "letters.yaml"
TEMPLATE_DIR = PACKAGE_DIR / "templates" / "letters"
STATIC_DIR = PACKAGE_DIR / "static"
STYLESHEET = "letters/letter.css"  # relative to STATIC_DIR

LANGUAGES = ("id", "en")
# What a context value may be (letters.context checks and normalizes each).
TYPES = ("text", "date", "datetime", "count", "texts", "violations", "party", "outcome", "case_kind",
         "regime", "timezone", "static")
# Types whose value is an id from a list of this file; the template also gets "<key>_title".
ENUM_TYPES = {"party": "parties", "outcome": "outcomes", "case_kind": "case_kinds", "regime": "regimes"}
LABELS = ("number", "attachment", "subject", "addressee_prefix", "at", "at_addressee", "copies", "phone",
          "email", "website", "announcement", "about", "none", "verify")
# Placeholders a declared copy may use besides the kind's text keys: the Bawaslu office above
# the issuing one (the province's for a regency's letter; letters.services fills it in), and the
# head of the civil-service authority in force on the letter's date (rules/data/authorities.yaml).
COPY_VALUES = ("issuer_above", "authority")
PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\}")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENUM_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?$")
TEMPLATE_RE = re.compile(r"^[a-z0-9_]+(?:\.[a-z]{2})?\.html$")


class LetterDataError(ValueError):
    """A data file that cannot be used; the message names the file and the entry."""


class UnknownLetterKind(LookupError):
    """No letter of that kind in the data file."""


# --- Typed entries ---------------------------------------------------------------


@dataclass(frozen=True)
class KeySpec:
    """One context key: "office.name" is ("office", "name")."""

    path: tuple[str, ...]
    type: str
    required: bool

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class LetterKind:
    id: str
    title: Text
    template: Text  # file names, by language
    classification: str
    addressed: bool
    keys: tuple[KeySpec, ...]  # the common keys, the addressee's, then the kind's own
    legal_bases: tuple[str, ...]
    source: str
    titles_by_regime: Mapping[str, Text] = field(default_factory=dict)  # a regime's own subject line
    note: Text | None = None
    verified: bool = True
    # The copies (tembusan) every letter of the kind carries, each a text in both languages
    # whose "{placeholders}" name a text key of the context or a COPY_VALUES value; a copy
    # whose placeholder has no value on a letter is left out of it.
    copies: tuple[Text, ...] = ()

    def template_name(self, language: str) -> str:
        """The Django template name, e.g. ``letters/forward_authority.html``."""
        return f"letters/{self.template.get(language)}"

    def subject(self, language: str, regime: str | None = None) -> str:
        return self.titles_by_regime.get(regime or "", self.title).get(language)

    def key(self, name: str) -> KeySpec | None:
        for spec in self.keys:
            if spec.name == name:
                return spec
        return None


@dataclass(frozen=True)
class OfficeNumbering:
    office_code: str
    pattern: str | None
    classifications: Mapping[str, str]
    source: str


@dataclass(frozen=True)
class LetterCatalog:
    """One validated version of the letters data; mappings keep the file's order."""

    version: str
    kinds: Mapping[str, LetterKind]
    number_pattern: str
    numbering_source: str
    numbering_note: Text | None
    numbering_verified: bool
    offices: Mapping[str, OfficeNumbering]
    parties: Mapping[str, Text]
    outcomes: Mapping[str, Text]
    case_kinds: Mapping[str, Text]
    regimes: Mapping[str, Text]
    letterhead: tuple[tuple[str, tuple[str, ...]], ...]
    labels: Mapping[str, Text]

    def kind(self, kind: str) -> LetterKind:
        try:
            return self.kinds[kind]
        except (KeyError, TypeError):
            raise UnknownLetterKind(
                f"unknown letter kind {kind!r} (known: {', '.join(self.kinds)})") from None

    def enum(self, type_name: str) -> Mapping[str, Text]:
        return getattr(self, ENUM_TYPES[type_name])

    def number_format(self, kind: str, office_code: str) -> tuple[str, str]:
        """The (pattern, classification) of one kind of letter from one office."""
        spec = self.kind(kind)
        office = self.offices.get(office_code)
        pattern = (office.pattern if office else None) or self.number_pattern
        classification = (office.classifications.get(kind) if office else None) or spec.classification
        return pattern, classification

    def letterhead_lines(self, office_name: str) -> tuple[str, ...]:
        """The office's name as the letterhead writes it, line by line, in capitals:
        "Bawaslu Kabupaten Belitung Timur" → ("BADAN PENGAWAS PEMILIHAN UMUM",
        "KABUPATEN BELITUNG TIMUR")."""
        name = " ".join(office_name.split())
        for short, lines in self.letterhead:
            if name == short or name.startswith(short + " "):
                rest = name[len(short):].strip()
                return tuple(line.upper() for line in (*lines, rest) if line)
        return (name.upper(),)


# --- Reading -----------------------------------------------------------------------


_Loader = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader


def data_version(data_dir: Path | str = DATA_DIR, template_dir: Path | str = TEMPLATE_DIR) -> str:
    """SHA-256 over the data file, the templates and the stylesheet: what made a letter."""
    digest = hashlib.sha256()
    paths = [Path(data_dir) / DATA_FILE, *sorted(Path(template_dir).glob("*.html")), STATIC_DIR / STYLESHEET]
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class _Entry(rules_catalog.DataEntry):
    """Checks on one raw entry; every error names the file, the section and the entry."""

    error = LetterDataError

    def __init__(self, section: str, index: int, raw: Any, id_key: str = "id"):
        super().__init__(DATA_FILE, index, raw, id_key=id_key, section=section)

    def string(self, key: str) -> str:
        return " ".join(super().string(key).split())

    def provenance(self) -> tuple[Text | None, bool]:
        note, verified = self.optional_text("note"), self.flag("verified", True)
        if not verified and note is None:
            self.fail('an unverified entry ("verified: false") needs a "note" saying what is not verified')
        return note, verified

    def key_specs(self, key: str, *, required: bool) -> list[KeySpec]:
        value = self.raw.get(key, {})
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.fail(f'"{key}" must map context keys to types')
        specs = []
        for name, type_name in value.items():
            if not isinstance(name, str) or not KEY_RE.match(name):
                self.fail(f'"{key}": context key {name!r} is not lower-case words joined by "_", '
                          'at most one "." deep')
            if type_name not in TYPES:
                self.fail(f'"{key}": unknown type {type_name!r} for "{name}" (known: {", ".join(TYPES)})')
            specs.append(KeySpec(path=tuple(name.split(".")), type=type_name, required=required))
        return specs


def _check_key_tree(entry: _Entry, specs: list[KeySpec]) -> None:
    """No key twice, no key both a value and a mapping, no derived name that hides a key."""
    seen: dict[str, KeySpec] = {}
    parents = {spec.path[0] for spec in specs if len(spec.path) > 1}
    for spec in specs:
        if spec.name in seen:
            entry.fail(f'context key "{spec.name}" is declared twice (common keys included)')
        seen[spec.name] = spec
        if len(spec.path) == 1 and spec.name in parents:
            entry.fail(f'context key "{spec.name}" is both a value and a mapping of keys')
    top = {spec.path[0] for spec in specs}
    for spec in specs:
        if len(spec.path) == 1:
            for derived in derived_names(spec):
                if derived in top:
                    entry.fail(f'context key "{derived}" hides the value derived from "{spec.name}"')


def derived_names(spec: KeySpec) -> tuple[str, ...]:
    """The names the renderer adds for a top-level key (see letters.context)."""
    if len(spec.path) != 1:
        return ()
    name = spec.name
    if spec.type == "date":
        return (f"{name}_text", f"{name}_weekday")
    if spec.type == "datetime":
        return (f"{name}_text", f"{name}_time")
    if spec.type == "count":
        return (f"{name}_words",)
    if spec.type in ENUM_TYPES:
        return (f"{name}_title",)
    return ()


def _enums(section: str, raw_entries: Any) -> dict[str, Text]:
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LetterDataError(f'{DATA_FILE}: "{section}" must be a non-empty list')
    result = {}
    for index, raw in enumerate(raw_entries, start=1):
        entry = _Entry(section, index, raw)
        entry.keys(("id", "title"))
        value = raw["id"]
        if not isinstance(value, str) or not ENUM_ID_RE.match(value):
            entry.fail(f"id {value!r} is not lower-case words joined by \"_\"")
        if value in result:
            entry.fail("duplicate id")
        result[value] = entry.text("title")
    return result


def _common(raw: Any) -> tuple[list[KeySpec], list[KeySpec]]:
    entry = _Entry("common", 1, raw)
    entry.label = "common"
    entry.keys(("required", "optional", "addressee"))
    common = entry.key_specs("required", required=True) + entry.key_specs("optional", required=False)
    addressee_raw = raw["addressee"]
    sub = _Entry("common", 1, addressee_raw)
    sub.label = "common addressee"
    sub.keys(("required",), ("optional",))
    addressee = sub.key_specs("required", required=True) + sub.key_specs("optional", required=False)
    if any(spec.path[0] != "addressee" for spec in addressee):
        sub.fail('every key must be inside "addressee" (e.g. addressee.name)')
    return common, addressee


def _titles_by_regime(entry, regimes: Mapping[str, Any]) -> dict[str, Text]:
    """``titles_by_regime``: {regime id of rules/data/regimes.yaml: {id, en}}, optional."""
    raw = entry.raw.get("titles_by_regime") or {}
    if not isinstance(raw, dict):
        entry.fail('"titles_by_regime" must map regime ids to {id, en} titles')
    titles = {}
    for regime, title in raw.items():
        if regime not in regimes:
            entry.fail(f'unknown regime "{regime}" in "titles_by_regime" (known: {", ".join(regimes)})')
        sub = _Entry("letter", 0, {"title": title})
        sub.label = f'{entry.label}: title of {regime}'
        titles[regime] = sub.text("title")
    return titles


def _kinds(raw_entries: Any, common: list[KeySpec], addressee: list[KeySpec],
           legal_bases: Mapping[str, Any], regimes: Mapping[str, Any]) -> dict[str, LetterKind]:
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LetterDataError(f'{DATA_FILE}: "letters" must be a non-empty list')
    kinds: dict[str, LetterKind] = {}
    for index, raw in enumerate(raw_entries, start=1):
        entry = _Entry("letter", index, raw)
        entry.keys(("id", "title", "template", "classification", "addressed", "required", "legal_bases",
                    "source"), ("titles_by_regime", "optional", "note", "verified", "copies"))
        kind_id = raw["id"]
        if not isinstance(kind_id, str) or not SLUG_RE.match(kind_id):
            entry.fail(f"id {kind_id!r} is not a slug (lower-case letters, digits and hyphens)")
        if kind_id in kinds:
            entry.fail("duplicate id")
        template = entry.text("template")
        for language in LANGUAGES:
            name = template.get(language)
            if not TEMPLATE_RE.match(name):
                entry.fail(f'template "{name}" is not a plain file name ending in .html')
            if not (TEMPLATE_DIR / name).is_file():
                entry.fail(f'template "{name}" not found in {TEMPLATE_DIR}')
        if not isinstance(raw["addressed"], bool):
            entry.fail('"addressed" must be true or false')
        own = entry.key_specs("required", required=True) + entry.key_specs("optional", required=False)
        if any(spec.path[0] == "addressee" for spec in own):
            entry.fail('"addressee" keys are common: set "addressed: true" instead')
        specs = [*common, *(addressee if raw["addressed"] else ()), *own]
        _check_key_tree(entry, specs)
        bases = raw["legal_bases"]
        if not isinstance(bases, list) or not bases:
            entry.fail('"legal_bases" must be a non-empty list of ids')
        for basis in bases:
            if basis not in legal_bases:
                entry.fail(f'unknown legal basis "{basis}" (not in rules/data/legal_bases.yaml)')
        classification = entry.string("classification")
        note, verified = entry.provenance()
        kinds[kind_id] = LetterKind(
            id=kind_id, title=entry.text("title"), titles_by_regime=_titles_by_regime(entry, regimes),
            template=template, classification=classification, addressed=raw["addressed"],
            keys=tuple(specs), legal_bases=tuple(bases), source=entry.string("source"), note=note,
            verified=verified, copies=_copies(entry, specs),
        )
    return kinds


def _copies(entry: _Entry, specs: list[KeySpec]) -> tuple[Text, ...]:
    """``copies``: a list of {id, en} texts; each placeholder a text key of the kind or a COPY_VALUES name."""
    raw = entry.raw.get("copies")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        entry.fail('"copies" must be a list of {id, en} texts')
    texts = {spec.name for spec in specs if spec.type == "text"}
    result = []
    for index, item in enumerate(raw, start=1):
        sub = _Entry("letter", 0, {"copy": item})
        sub.label = f"{entry.label}: copy {index}"
        text = sub.text("copy")
        names = [set(PLACEHOLDER_RE.findall(text.get(language))) for language in LANGUAGES]
        if names[0] != names[1]:
            sub.fail("the Indonesian and English texts must use the same placeholders")
        for name in sorted(names[0]):
            if name not in texts and name not in COPY_VALUES:
                sub.fail(f'unknown placeholder "{{{name}}}" (a text key of the letter, or one of: '
                         f'{", ".join(COPY_VALUES)})')
        for language in LANGUAGES:
            if "{" in PLACEHOLDER_RE.sub("", text.get(language)) or "}" in PLACEHOLDER_RE.sub("", text.get(language)):
                sub.fail(f'a brace that is not a placeholder in "{text.get(language)}"')
        result.append(text)
    return tuple(result)


def _numbering(raw: Any, kinds: Mapping[str, LetterKind]) -> tuple[str, str, Text | None, bool, dict]:
    entry = _Entry("numbering", 1, raw)
    entry.label = "numbering"
    entry.keys(("pattern", "source", "offices"), ("note", "verified"))
    pattern = raw["pattern"]
    try:
        numbers.validate_pattern(pattern)
    except numbers.LetterNumberError as error:
        entry.fail(str(error))
    note, verified = entry.provenance()
    offices_raw = raw["offices"] if raw["offices"] is not None else []
    if not isinstance(offices_raw, list):
        entry.fail('"offices" must be a list')
    offices: dict[str, OfficeNumbering] = {}
    for index, office_raw in enumerate(offices_raw, start=1):
        office = _Entry("numbering office", index, office_raw, id_key="office_code")
        office.keys(("office_code", "source"), ("pattern", "classifications"))
        code = office.string("office_code")
        if code in offices:
            office.fail("duplicate office_code")
        office_pattern = office_raw.get("pattern")
        if office_pattern is not None:
            try:
                numbers.validate_pattern(office_pattern)
            except numbers.LetterNumberError as error:
                office.fail(str(error))
        classifications = office_raw.get("classifications") or {}
        if not isinstance(classifications, dict):
            office.fail('"classifications" must map letter kinds to codes')
        for kind, value in classifications.items():
            if kind not in kinds:
                office.fail(f'unknown letter kind "{kind}" in "classifications"')
            if not isinstance(value, str) or not value.strip():
                office.fail(f'the classification of "{kind}" must be a non-empty text')
        offices[code] = OfficeNumbering(
            office_code=code, pattern=office_pattern,
            classifications=MappingProxyType(
                {kind: value.strip() for kind, value in classifications.items()}),
            source=office.string("source"),
        )
    return pattern, entry.string("source"), note, verified, offices


def _letterhead(raw_entries: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(raw_entries, list):
        raise LetterDataError(f'{DATA_FILE}: "letterhead" must be a list')
    result = []
    for index, raw in enumerate(raw_entries, start=1):
        entry = _Entry("letterhead", index, raw, id_key="short")
        entry.keys(("short", "lines"))
        lines = raw["lines"]
        if not isinstance(lines, list) or not lines or not all(isinstance(line, str) and line.strip()
                                                               for line in lines):
            entry.fail('"lines" must be a non-empty list of texts')
        result.append((entry.string("short"), tuple(" ".join(line.split()) for line in lines)))
    # Longest short form first, so "Bawaslu RI" wins over "Bawaslu".
    return tuple(sorted(result, key=lambda item: -len(item[0])))


def _labels(raw: Any) -> dict[str, Text]:
    entry = _Entry("labels", 1, raw)
    entry.label = "labels"
    entry.keys(LABELS)
    return {name: entry.text(name) for name in LABELS}


def load_catalog(data_dir: Path | str = DATA_DIR, *,
                 rules: rules_catalog.Catalog | None = None) -> LetterCatalog:
    """Read and validate letters.yaml; raise LetterDataError naming the first problem."""
    data_dir = Path(data_dir)
    path = data_dir / DATA_FILE
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise LetterDataError(f"{DATA_FILE}: file not found in {data_dir}") from None
    try:
        raw = yaml.load(raw_bytes, Loader=_Loader)
    except yaml.YAMLError as error:
        raise LetterDataError(f"{DATA_FILE}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise LetterDataError(f"{DATA_FILE}: expected a mapping of sections at the top level")
    sections = ("common", "letters", "numbering", "parties", "outcomes", "case_kinds", "regimes",
                "letterhead", "labels")
    for section in sections:
        if section not in raw:
            raise LetterDataError(f'{DATA_FILE}: missing section "{section}"')
    unknown = sorted(set(raw) - set(sections), key=str)
    if unknown:
        raise LetterDataError(f'{DATA_FILE}: unknown section "{unknown[0]}" (allowed: {", ".join(sections)})')
    rules = rules if rules is not None else rules_catalog.default_catalog()
    common, addressee = _common(raw["common"])
    kinds = _kinds(raw["letters"], common, addressee, rules.legal_bases, rules.regimes)
    pattern, source, note, verified, offices = _numbering(raw["numbering"], kinds)
    return LetterCatalog(
        version=data_version(data_dir), kinds=MappingProxyType(kinds), number_pattern=pattern,
        numbering_source=source, numbering_note=note, numbering_verified=verified,
        offices=MappingProxyType(offices),
        parties=MappingProxyType(_enums("parties", raw["parties"])),
        outcomes=MappingProxyType(_enums("outcomes", raw["outcomes"])),
        case_kinds=MappingProxyType(_enums("case_kinds", raw["case_kinds"])),
        regimes=MappingProxyType(_enums("regimes", raw["regimes"])),
        letterhead=_letterhead(raw["letterhead"]),
        labels=MappingProxyType(_labels(raw["labels"])),
    )


@functools.cache
def default_catalog() -> LetterCatalog:
    """The catalog of letters/data/, parsed once per process (checked at start-up)."""
    return load_catalog(DATA_DIR)
