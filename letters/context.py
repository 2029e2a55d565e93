"""The data a letter is made of: checked against letters.yaml, then readied for the template.

The context is plain data (mappings, lists, texts, dates), never models, so a letter can be
made from a case, a test or a shell alike. ``office_context`` turns an office row into
the mapping the letters expect.

Every problem raises LetterContextError naming the letter kind and the key, e.g.
``forward-authority: missing context key "reported.position"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from letters import dates
from letters.catalog import COPY_VALUES, ENUM_TYPES, PLACEHOLDER_RE, KeySpec, LetterCatalog, LetterKind
from rules import catalog as rules_catalog

DEFAULT_TIMEZONE = "Asia/Jakarta"
# Context keys that may hold one mapping or a list of them (several reported persons);
# the template always gets a list.
MANY = frozenset({"reported"})
# Public notices never carry the reporter's identity: keys refused at any depth, whatever
# the data file declares (defence in depth: the file is editable, this is not).
REPORTER_KEY_PREFIXES = ("reporter", "pelapor")
REPORTER_KEYS = frozenset({"nik", "identity", "identitas", "whistleblower"})
PUBLIC_KINDS = frozenset({"status-announcement"})
# What an optional key of these types means when left out (as the data file says).
TYPE_DEFAULTS = {"case_kind": "report", "regime": "pilkada"}


class LetterContextError(ValueError):
    """A context that cannot make the letter; the message names the kind and the key."""


class ReporterIdentityError(LetterContextError):
    """A public letter was given the reporter's identity."""


_MISSING = object()


def office_context(office: Any, *, place: str, timezone: str | None = None, **extra: Any) -> dict:
    """The "office" mapping of a letter from a BawasluOffice (or anything with its fields).

    ``place`` is the town where letters are signed (Manggar for Belitung Timur): the office
    row does not hold it. ``extra`` adds optional keys (phone, email, website, logo ...).
    """
    result = {
        "name": office.name,
        "address": getattr(office, "address", "") or "",
        "place": place,
        "number_code": getattr(office, "number_code", "") or "",
    }
    if timezone:
        result["timezone"] = timezone
    result.update(extra)
    return {key: value for key, value in result.items() if value not in ("", None)}


def _is_reporter_key(key: Any) -> bool:
    name = str(key).lower()
    return name.startswith(REPORTER_KEY_PREFIXES) or name in REPORTER_KEYS


def refuse_reporter_identity(kind: str, context: Any, path: str = "") -> None:
    """Raise ReporterIdentityError if any key, at any depth, names the reporter."""
    if isinstance(context, Mapping):
        for key, value in context.items():
            where = f"{path}.{key}" if path else str(key)
            if _is_reporter_key(key):
                raise ReporterIdentityError(
                    f'{kind}: a public letter must not carry the reporter\'s identity (key "{where}")')
            refuse_reporter_identity(kind, value, where)
    elif isinstance(context, (list, tuple)):
        for index, value in enumerate(context):
            refuse_reporter_identity(kind, value, f"{path}[{index}]")


class _Checker:
    def __init__(self, spec: LetterKind, catalog: LetterCatalog, rules: rules_catalog.Catalog, language: str):
        self.spec = spec
        self.catalog = catalog
        self.rules = rules
        self.language = language

    def fail(self, problem: str):
        raise LetterContextError(f"{self.spec.id}: {problem}")

    # -- the shape ----------------------------------------------------------------

    def tree(self) -> dict[str, KeySpec | dict[str, KeySpec]]:
        tree: dict[str, Any] = {}
        for key in self.spec.keys:
            if len(key.path) == 1:
                tree[key.path[0]] = key
            else:
                tree.setdefault(key.path[0], {})[key.path[1]] = key
        return tree

    def check_names(self, context: Mapping, tree: dict) -> None:
        for name in context:
            if name not in tree:
                self.fail(f'unknown context key "{name}" (allowed: {", ".join(tree)})')
            children = tree[name]
            if isinstance(children, dict):
                for index, item in enumerate(self.items(name, context[name])):
                    for sub in item:
                        if sub not in children:
                            where = f"{name}[{index}]" if name in MANY else name
                            self.fail(f'unknown context key "{where}.{sub}" (allowed: '
                                      f'{", ".join(f"{name}.{key}" for key in children)})')

    def items(self, name: str, value: Any) -> list[Mapping]:
        """The mappings under a parent key: one, or (for MANY keys) a non-empty list."""
        if isinstance(value, Mapping):
            return [value]
        if name in MANY and isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
            if not value:
                self.fail(f'context key "{name}" is an empty list')
            for index, item in enumerate(value):
                if not isinstance(item, Mapping):
                    self.fail(f'context key "{name}[{index}]" must be a mapping of keys to values')
            return list(value)
        expected = "a mapping (or a list of mappings)" if name in MANY else "a mapping"
        self.fail(f'context key "{name}" must be {expected}, not {type(value).__name__}')

    # -- the values ---------------------------------------------------------------

    def value(self, key: KeySpec, raw: Any, where: str) -> Any:
        blank = raw.strip() == "" if isinstance(raw, str) else isinstance(raw, (list, tuple)) and not raw
        if raw is None or blank:
            if key.required:
                self.fail(f'context key "{where}" is empty')
            return _MISSING
        check = getattr(self, f"check_{key.type}")
        return check(raw, where)

    def check_text(self, raw: Any, where: str) -> str:
        if not isinstance(raw, str):
            self.fail(f'context key "{where}" must be a text, not {type(raw).__name__}')
        return raw.strip()

    def check_date(self, raw: Any, where: str) -> date:
        if isinstance(raw, datetime) or not isinstance(raw, date):
            self.fail(f'context key "{where}" must be a date, not {type(raw).__name__}')
        return raw

    def check_datetime(self, raw: Any, where: str) -> datetime:
        if not isinstance(raw, datetime):
            self.fail(f'context key "{where}" must be a date and time, not {type(raw).__name__}')
        return raw

    def check_count(self, raw: Any, where: str) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            self.fail(f'context key "{where}" must be a whole number from 0, not {raw!r}')
        return raw

    def check_texts(self, raw: Any, where: str) -> list[str]:
        if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence):
            self.fail(f'context key "{where}" must be a list of texts')
        result = []
        for index, item in enumerate(raw):
            if not isinstance(item, str) or not item.strip():
                self.fail(f'context key "{where}[{index}]" must be a non-empty text')
            result.append(item.strip())
        if not result:
            self.fail(f'context key "{where}" is an empty list')
        return result

    def check_violations(self, raw: Any, where: str) -> list[dict]:
        """Ids from the rules catalog, or {title, citations} for acts no longer in it."""
        if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence) or not raw:
            self.fail(f'context key "{where}" must be a non-empty list of violation ids')
        result = []
        for index, item in enumerate(raw):
            if isinstance(item, str):
                violation = self.rules.violations.get(item)
                if violation is None:
                    self.fail(f'context key "{where}[{index}]": unknown violation "{item}" '
                              "(not in rules/data/violations.yaml)")
                citations = [self.rules.legal_bases[basis].citation for basis in violation.legal_bases]
                result.append({"id": violation.id, "title": violation.title.get(self.language),
                               "citations": citations})
            elif isinstance(item, Mapping):
                unknown = sorted(set(item) - {"title", "citations"}, key=str)
                if unknown:
                    self.fail(f'context key "{where}[{index}].{unknown[0]}" is unknown '
                              "(allowed: title, citations)")
                if not item.get("title"):
                    self.fail(f'context key "{where}[{index}].title" is empty')
                title = self.check_text(item["title"], f"{where}[{index}].title")
                if not title:
                    self.fail(f'context key "{where}[{index}].title" is empty')
                citations = item.get("citations") or []
                citations = self.check_texts(citations, f"{where}[{index}].citations") if citations else []
                result.append({"id": "", "title": title, "citations": citations})
            else:
                self.fail(f'context key "{where}[{index}]" must be a violation id or a mapping')
        return result

    def _enum(self, type_name: str, raw: Any, where: str) -> str:
        known = self.catalog.enum(type_name)
        if raw not in known:
            self.fail(f'context key "{where}": unknown {type_name} {raw!r} (known: {", ".join(known)})')
        return raw

    def check_party(self, raw, where):
        return self._enum("party", raw, where)

    def check_outcome(self, raw, where):
        return self._enum("outcome", raw, where)

    def check_case_kind(self, raw, where):
        return self._enum("case_kind", raw, where)

    def check_regime(self, raw, where):
        return self._enum("regime", raw, where)

    def check_timezone(self, raw: Any, where: str) -> str:
        if raw not in dates.ZONE_ABBREVIATIONS:
            self.fail(f'context key "{where}": unknown time zone {raw!r} '
                      f'(known: {", ".join(dates.ZONE_ABBREVIATIONS)})')
        return raw

    def check_static(self, raw: Any, where: str) -> str:
        text = self.check_text(raw, where)
        path = PurePosixPath(text)
        if path.is_absolute() or ".." in path.parts or ":" in text or "\\" in text:
            self.fail(f'context key "{where}" must be a static file\'s relative path, '
                      'like "offices/logo.png"')
        return text

    # -- all together -------------------------------------------------------------

    def run(self, context: Any) -> dict:
        if not isinstance(context, Mapping):
            self.fail(f"the context must be a mapping of keys to values, not {type(context).__name__}")
        tree = self.tree()
        self.check_names(context, tree)
        result: dict[str, Any] = {}
        for name, node in tree.items():
            if isinstance(node, KeySpec):
                raw = context.get(name, _MISSING)
                if raw is _MISSING:
                    if node.required:
                        self.fail(f'missing context key "{name}"')
                    continue
                value = self.value(node, raw, name)
                if value is not _MISSING:
                    result[name] = value
                continue
            raw_parent = context.get(name, _MISSING)
            if raw_parent is _MISSING or raw_parent is None:
                required = [key for key in node.values() if key.required]
                if required:
                    self.fail(f'missing context key "{required[0].name}"')
                continue
            cleaned = []
            many = name in MANY and not isinstance(raw_parent, Mapping)
            for index, item in enumerate(self.items(name, raw_parent)):
                prefix = f"{name}[{index}]" if many else name
                entry = {}
                for sub, key in node.items():
                    where = f"{prefix}.{sub}"
                    if sub not in item:
                        if key.required:
                            self.fail(f'missing context key "{where}"')
                        continue
                    value = self.value(key, item[sub], where)
                    if value is not _MISSING:
                        entry[sub] = value
                cleaned.append(entry)
            result[name] = cleaned if name in MANY else cleaned[0]
        return result


def authority_head_on(rules: rules_catalog.Catalog, on: date) -> str:
    """The head of the civil-service authority in force on ``on`` (KASN, then BKN), or ""."""
    for authority in rules.authorities.values():
        if authority.kind == "civil_service" and authority.in_force(on):
            return authority.addressee
    return ""


def _context_text(data: Mapping, name: str) -> str:
    value: Any = data
    for part in name.split("."):
        if isinstance(value, list):  # several reported persons: the first one's
            value = value[0] if value else None
        value = value.get(part) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else ""


def resolve_copies(spec: LetterKind, data: Mapping, values: Mapping[str, str], language: str) -> list[str]:
    """The kind's declared copies (tembusan) with their placeholders filled in.

    A placeholder is a text key of the checked context ("forwarding_office") or a name of
    COPY_VALUES taken from ``values``; a copy whose placeholder has no value is left out
    (a national office has no office above it).
    """
    result = []
    for text in spec.copies:
        missing = False

        def fill(match):
            nonlocal missing
            name = match[1]
            value = values.get(name, "") if name in COPY_VALUES else _context_text(data, name)
            missing = missing or not value.strip()
            return value.strip()

        line = PLACEHOLDER_RE.sub(fill, text.get(language))
        if not missing:
            result.append(" ".join(line.split()))
    return result


def prepare_context(spec: LetterKind, context: Any, *, catalog: LetterCatalog,
                    rules: rules_catalog.Catalog, language: str = "id",
                    copy_values: Mapping[str, str] | None = None) -> dict:
    """The checked context with what the template derives from it.

    Besides the given keys (stripped; "reported" always a list), the template gets:
    ``language``, ``kind``, ``labels``, ``subject``, ``letterhead_lines``, ``timezone``,
    ``place_date`` ("Manggar, 27 November 2024"), and for each top-level key by its type:
    ``violation_citations`` (each legal basis of the violations once);
    date ``X_text`` and ``X_weekday``; datetime ``X_text`` (with weekday) and ``X_time``
    ("09.00 WIB"); count ``X_words`` ("3 (tiga)"); party/outcome/case_kind/regime ``X_title``.
    ``copies`` is the kind's declared copies (letters.yaml, filled in by ``resolve_copies``
    with ``copy_values`` and the head of the authority in force on the letter's date), then
    the context's own, each once.
    """
    language = "en" if dates.is_english(language) else "id"
    if spec.id in PUBLIC_KINDS or not spec.addressed:
        refuse_reporter_identity(spec.id, context)
    data = _Checker(spec, catalog, rules, language).run(context)
    office = data["office"]
    timezone = office.get("timezone", DEFAULT_TIMEZONE)
    for key in spec.keys:
        if len(key.path) == 1 and key.name not in data and key.type in TYPE_DEFAULTS:
            data[key.name] = TYPE_DEFAULTS[key.type]
        if len(key.path) != 1 or key.name not in data:
            continue
        value = data[key.name]
        if key.type == "date":
            data[f"{key.name}_text"] = dates.format_date(value, language)
            data[f"{key.name}_weekday"] = dates.format_weekday_date(value, language)
        elif key.type == "datetime":
            local = dates.to_zone(value, timezone)
            data[f"{key.name}_text"] = dates.format_weekday_date(local, language)
            data[f"{key.name}_time"] = dates.format_time(local, timezone, language)
        elif key.type == "count":
            data[f"{key.name}_words"] = dates.count_with_words(value, language)
        elif key.type in ENUM_TYPES:
            data[f"{key.name}_title"] = catalog.enum(key.type)[value].get(language)
    if "violations" in data:
        # Each legal basis once, in the order first cited (several acts share a basis).
        data["violation_citations"] = list(dict.fromkeys(
            citation for violation in data["violations"] for citation in violation["citations"]))
    if "letterhead" in office:
        lines = tuple(line.strip().upper() for line in office["letterhead"].splitlines() if line.strip())
    else:
        lines = catalog.letterhead_lines(office["name"])
    values = {"authority": authority_head_on(rules, data["date"]), **(copy_values or {})}
    declared = resolve_copies(spec, data, values, language)
    copies = list(dict.fromkeys([*declared, *data.get("copies", [])]))
    if copies:
        data["copies"] = copies
    data.update(
        language=language,
        kind=spec.id,
        labels={name: text.get(language) for name, text in catalog.labels.items()},
        subject=data.get("subject") or spec.subject(language, data.get("regime")),
        letterhead_lines=lines,
        timezone=timezone,
        place_date=f"{office['place']}, {dates.format_date(data['date'], language)}",
    )
    return data
