"""Reading the law: the stored rows (what reports point at) and the in-memory catalog.

Rows say which acts and elections exist and are active; the catalog (parsed once per
process from rules/data/, see rules.catalog.default_catalog) holds the texts of the
sanctions and legal bases that the rows refer to. Data carries both languages: the
helpers here pick the one of the current request.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, DateField, F, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy as _

from rules import catalog as catalog_module, deadlines
from rules.catalog import Catalog, DeadlineRule, Text
from rules.deadlines import DeadlineResult
from rules.models import CalendarDay, Election, Violation

LEVEL_LABELS = {
    "light": _("Light"),
    "medium": _("Medium"),
    "heavy": _("Heavy"),
}
EMPLOYEE_KIND_LABELS = {
    "pns": _("Civil servants (PNS)"),
    "pppk": _("Government employees on contract (PPPK)"),
    "contract": _("Contract staff (non-ASN)"),
}


def catalog() -> Catalog:
    """The validated catalog of rules/data/, parsed once per process."""
    return catalog_module.default_catalog()


def current_language() -> str:
    """The data language of the request: "en" for English, otherwise Indonesian ("id")."""
    return "en" if (get_language() or "id").startswith("en") else "id"


def localized(text: Text | dict | None) -> str:
    """A bilingual text (catalog Text or stored {"id", "en"} dict) in the current language."""
    if text is None:
        return ""
    if isinstance(text, Text):
        return text.get(current_language())
    return text.get(current_language()) or text.get("id") or ""


# --- Violations ---------------------------------------------------------------------


def violation_list(active_only: bool = True) -> QuerySet[Violation]:
    """The prohibited acts in catalog order (family order is up to the caller)."""
    violations = Violation.objects.all()
    if active_only:
        violations = violations.filter(active=True)
    return violations.order_by("position", "id")


@dataclass(frozen=True)
class FamilyGroup:
    family: str
    label: str
    violations: list


def violations_by_family(active_only: bool = True) -> list[FamilyGroup]:
    """Active acts grouped by family (ethics, discipline, crime), each group in file order.

    Families without an act are left out. One query.
    """
    rows = list(violation_list(active_only=active_only))
    groups = []
    for family, label in Violation.Family.choices:
        members = [row for row in rows if row.family == family]
        if members:
            groups.append(FamilyGroup(family=family, label=label, violations=members))
    return groups


def violation_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form field: [(family label, [(id, title), ...]), ...]."""
    return [(str(group.label), [(row.id, row.title) for row in group.violations])
            for group in violations_by_family()]


def access_violation(violation_id: str) -> Violation:
    """An active act by id: 404 for an unknown and an inactive id alike."""
    try:
        return Violation.objects.get(pk=violation_id, active=True)
    except Violation.DoesNotExist:
        raise Http404("No such prohibited act.") from None


@dataclass(frozen=True)
class LegalBasisView:
    id: str
    title: str
    citation: str
    note: str
    verified: bool


@dataclass(frozen=True)
class SanctionView:
    id: str
    title: str
    family: str
    level: str
    level_label: str
    note: str
    verified: bool


@dataclass(frozen=True)
class SanctionGroup:
    """The sanctions that can hit one kind of employee."""

    kind: str
    label: str
    sanctions: list[SanctionView]


@dataclass(frozen=True)
class ViolationView:
    """One act, ready for a page in the current language."""

    id: str
    family: str
    family_label: str
    title: str
    plain: str
    level: str
    level_label: str
    source: str
    note: str
    verified: bool
    sanction_groups: list[SanctionGroup]
    legal_bases: list[LegalBasisView]


def _legal_basis_view(entry) -> LegalBasisView:
    return LegalBasisView(id=entry.id, title=localized(entry.title), citation=entry.citation,
                          note=localized(entry.note), verified=entry.verified)


def _sanction_view(entry) -> SanctionView:
    return SanctionView(id=entry.id, title=localized(entry.title), family=entry.family,
                        level=entry.level or "",
                        level_label=str(LEVEL_LABELS.get(entry.level, "")), note=localized(entry.note),
                        verified=entry.verified)


def violation_explained(violation: Violation) -> ViolationView:
    """The stored act with its sanctions (grouped by kind of employee) and legal bases.

    The row's data says which sanctions and bases apply; their texts come from the
    catalog. An id missing from this process's catalog (files changed, not yet reloaded)
    is left out rather than failing the public page.
    """
    data = violation.data or {}
    current = catalog()
    sanctions = [current.sanctions[pk] for pk in data.get("sanctions", []) if pk in current.sanctions]
    groups = []
    for kind, label in EMPLOYEE_KIND_LABELS.items():
        members = [_sanction_view(entry) for entry in sanctions if kind in entry.applies_to]
        if members:
            groups.append(SanctionGroup(kind=kind, label=str(label), sanctions=members))
    level = data.get("level") or ""
    return ViolationView(
        id=violation.id, family=violation.family, family_label=str(violation.get_family_display()),
        title=violation.title, plain=localized(data.get("plain")), level=level,
        level_label=str(LEVEL_LABELS.get(level, "")), source=data.get("source", ""),
        note=localized(data.get("note")), verified=data.get("verified", True),
        sanction_groups=groups,
        legal_bases=[_legal_basis_view(current.legal_bases[pk]) for pk in data.get("legal_bases", [])
                     if pk in current.legal_bases],
    )


@dataclass(frozen=True)
class ExplainedFamily:
    family: str
    label: str
    violations: list[ViolationView]


def violations_explained_by_family() -> list[ExplainedFamily]:
    """Every active act, explained, grouped by family: the public list page. One query."""
    return [
        ExplainedFamily(family=group.family, label=str(group.label),
                        violations=[violation_explained(row) for row in group.violations])
        for group in violations_by_family()
    ]


# --- Elections ----------------------------------------------------------------------


def election_list_open(*, today: date | None = None) -> QuerySet[Election]:
    """Active elections, nearest voting day first: the coming ones soonest first, then the
    past ones most recent first (reports about a past election still arrive)."""
    today = today or timezone.localdate()
    return (
        Election.objects.filter(active=True)
        .annotate(
            is_past=Case(When(voting_day__lt=today, then=Value(1)), default=Value(0),
                         output_field=IntegerField()),
            coming_day=Case(When(voting_day__gte=today, then=F("voting_day")), default=None,
                             output_field=DateField()),
        )
        .order_by("is_past", F("coming_day").asc(nulls_last=True), "-voting_day", "id")
    )


# --- Deadlines ----------------------------------------------------------------------


class DeadlineRuleNotFound(LookupError):
    """No deadline rule for a (regime, step) pair."""


def deadline_rule_list(regime: str | None = None) -> list[DeadlineRule]:
    """The deadline rules in file order, optionally of one regime (pemilu, pilkada)."""
    return [rule for rule in catalog().deadlines.values() if regime is None or rule.regime == regime]


def deadline_rule(regime: str, step: str) -> DeadlineRule:
    """The rule for one step under one regime; DeadlineRuleNotFound for an unknown pair."""
    rule = catalog().deadline_rule(regime, step)
    if rule is None:
        known = ", ".join(f"{entry.regime}/{entry.step}" for entry in catalog().deadlines.values())
        raise DeadlineRuleNotFound(f"No deadline rule for {regime}/{step} (known: {known}).")
    return rule


def holiday_calendar(language: str | None = None) -> dict[date, str]:
    """Every day off for working-day rules: date -> name in the language (default: current).

    The only place that assembles the calendar: deadline_compute() and every other
    caller go through here. It is holidays.yaml as loaded in the catalog, corrected by
    the days that administrators added or removed after a new decree (CalendarDay).
    """
    language = language or current_language()
    calendar = {day: holiday.name.get(language) for day, holiday in catalog().holidays.items()}
    for correction in CalendarDay.objects.all():
        if correction.removed:
            calendar.pop(correction.date, None)
        else:
            calendar[correction.date] = correction.name_en if language == "en" else correction.name_id
    return calendar


@dataclass(frozen=True)
class DeadlineAnswer:
    """A computed deadline with what the rule says about itself, in the current language.

    ``explanation`` is the count in plain words (every skipped day and why) and
    ``skipped`` the same days one per line; ``rule_explanation`` is the rule itself.
    ``calendar_missing_years`` lists the years of a working-day count for which the
    calendar holds no day off at all: the count then skipped weekends only.
    """

    rule_id: str
    regime: str
    step: str
    title: str
    counted_from: str
    start: date
    due: date
    days: int
    day_kind: str
    citation: str
    verified: bool
    note: str
    rule_explanation: str
    explanation: str
    skipped: list[str]
    calendar_missing_years: tuple[int, ...]
    result: DeadlineResult


def deadline_compute(regime: str, step: str, start: date,
                     pauses: Sequence[tuple[date, date]] = ()) -> DeadlineAnswer:
    """The deadline of a step under a regime from ``start`` (day 0), with its citation.

    ``pauses`` are the periods spent waiting for the reporter, as
    (stopped on, answered on) pairs; see rules.deadlines.add_days_with_pauses.
    Raises DeadlineRuleNotFound for an unknown pair, ValueError for a bad pause.
    """
    rule = deadline_rule(regime, step)
    language = current_language()
    calendar = holiday_calendar(language)
    result = deadlines.compute(rule, start, calendar, pauses)
    missing: tuple[int, ...] = ()
    if rule.day_kind == deadlines.WORKING:
        covered = {day.year for day in calendar}
        missing = tuple(year for year in range(start.year, result.due.year + 1) if year not in covered)
    return DeadlineAnswer(
        rule_id=rule.id, regime=rule.regime, step=rule.step, title=localized(rule.title),
        counted_from=localized(rule.counted_from), start=start, due=result.due, days=result.days,
        day_kind=result.day_kind, citation=rule.source, verified=rule.verified, note=localized(rule.note),
        rule_explanation=localized(rule.explanation), explanation=result.explanation(language),
        skipped=result.skipped_explained(language), calendar_missing_years=missing, result=result,
    )
