"""Reading the law: the stored rows (what reports point at) and the in-memory catalog.

Rows say which acts and elections exist and are active; the catalog (parsed once per
process from rules/data/, see rules.catalog.default_catalog) holds the texts of the
sanctions and legal bases that the rows refer to. Data carries both languages: the
helpers here pick the one of the current request.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, DateField, F, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from rules import assessment, deadlines, stages
from rules import catalog as catalog_module
from rules.calendar import Correction, HolidayCalendar, provisional_note
from rules.catalog import Catalog, DeadlineRule, Text
from rules.deadlines import DeadlineResult
from rules.models import CalendarDay, CalendarYear, Election, Violation


def catalog() -> Catalog:
    """The validated catalog of rules/data/, parsed once per process."""
    return catalog_module.default_catalog()


class TermTitles(Mapping):
    """The titles of one section of terms (families, sanction_families, levels) by id, in the
    current language: a mapping read from the catalog at each lookup, so that it follows the
    request's language and a change of the files."""

    def __init__(self, section: str):
        self.section = section

    def _terms(self) -> Mapping:
        return getattr(catalog(), self.section)

    def __getitem__(self, key: str) -> str:
        return localized(self._terms()[key].title)

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms())

    def __len__(self) -> int:
        return len(self._terms())


# The words of the law's fixed ids (rules/data/families.yaml, sanction_families.yaml, levels.yaml).
FAMILY_TITLES = TermTitles("families")
SANCTION_FAMILY_TITLES = TermTitles("sanction_families")
LEVEL_LABELS = TermTitles("levels")


def family_explanation(family: str) -> str:
    """What a family of prohibited acts means for the person reported, or "" for an unknown one."""
    entry = catalog().families.get(family)
    return localized(entry.explanation) if entry else ""


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
    """Active acts grouped by family in the order of families.yaml, each group in file order.

    Families without an act are left out. One query.
    """
    rows = list(violation_list(active_only=active_only))
    order = list(dict.fromkeys([*catalog().families, *(row.family for row in rows)]))
    groups = []
    for family in order:
        members = [row for row in rows if row.family == family]
        if members:
            groups.append(FamilyGroup(family=family, label=FAMILY_TITLES.get(family, family), violations=members))
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
    """What an act means for one kind of person (and one side of the stage, where it matters)."""

    kind: str
    label: str
    family: str
    family_label: str
    when_label: str
    sanctions: list[SanctionView]
    authority: str
    route_explanation: str
    note: str
    verified: bool


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


def violation_explained(violation: Violation, *, on: date | None = None) -> ViolationView:
    """The stored act with, per subject it reaches, its family, sanctions and route, and its bases.

    The texts come from the catalog (rules.assessment.act_profile, the same rules as the
    assessment endpoint), in force on ``on`` (today by default). An act missing from this
    process's catalog (files changed, not yet reloaded) shows its stored texts only.
    """
    data = violation.data or {}
    current = catalog()
    on = on or timezone.localdate()
    language = current_language()
    groups = []
    if violation.id in current.violations:
        for row in assessment.act_profile(current, violation.id, on):
            when = ""
            if row.when:
                when = str(_("before the %(stage)s") if row.when == "before" else _("from the %(stage)s")) % {
                    "stage": row.stage_title.get(language).lower()}
            groups.append(SanctionGroup(
                kind=row.subject.id, label=row.subject.title.get(language), family=row.family,
                family_label=current.families[row.family].phrase.get(language), when_label=when,
                sanctions=[_sanction_view(entry) for entry in row.sanctions],
                authority=row.authority.name.get(language) if row.authority else "",
                route_explanation=localized(row.route.explanation) if row.route else "",
                note=localized(row.note), verified=row.verified,
            ))
    level = data.get("level") or ""
    return ViolationView(
        id=violation.id, family=violation.family, family_label=FAMILY_TITLES.get(violation.family, violation.family),
        title=violation.title, plain=localized(data.get("plain")), level=level,
        level_label=str(LEVEL_LABELS.get(level, "")), source=data.get("source", ""),
        note=localized(data.get("note")), verified=data.get("verified", True),
        sanction_groups=groups,
        legal_bases=[_legal_basis_view(current.legal_bases[pk]) for pk in data.get("legal_bases", [])
                     if pk in current.legal_bases],
    )


@dataclass(frozen=True)
class UnverifiedEntry:
    kind: str
    id: str
    title: str
    note: str
    source: str


def unverified_entries() -> list[UnverifiedEntry]:
    """Every entry of the law data that rests on a text not yet read, for one public page."""
    current = catalog()
    kinds = [
        (_("Prohibited act"), current.violations.values(), lambda e: e.title),
        (_("Sanction"), current.sanctions.values(), lambda e: e.title),
        (_("Legal basis"), current.legal_bases.values(), lambda e: e.title),
        (_("Route"), current.routes.values(), lambda e: e.explanation),
        (_("Deadline"), current.deadlines.values(), lambda e: e.title),
        (_("Election"), current.elections.values(), lambda e: e.title),
    ]
    rows = []
    for label, entries, title in kinds:
        for entry in entries:
            if not entry.verified:
                rows.append(UnverifiedEntry(kind=str(label), id=entry.id, title=localized(title(entry)),
                                            note=localized(entry.note), source=entry.source))
    return rows


@dataclass(frozen=True)
class ExplainedFamily:
    family: str
    label: str
    violations: list[ViolationView]
    explanation: str = ""


def violations_explained_by_family() -> list[ExplainedFamily]:
    """Every active act, explained, grouped by family: the public list page. One query."""
    return [
        ExplainedFamily(family=group.family, label=str(group.label),
                        violations=[violation_explained(row) for row in group.violations],
                        explanation=family_explanation(group.family))
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


def _active_supervised_periods() -> list[tuple[Election, stages.Period | None]]:
    """Each active election's supervised stages (elections.yaml), nearest voting day first. One query."""
    entries = catalog().elections
    return [(election, stages.supervised_period(entries[election.pk]) if election.pk in entries else None)
            for election in election_list_open()]


def event_outside_supervised_stages(day: date | None) -> bool:
    """True when ``day`` lies outside the supervised stages of every active election (rules.stages)."""
    if day is None:
        return False
    return stages.outside_every_period(day, [period for _election, period in _active_supervised_periods()])


def supervised_stages_text() -> str:
    """"Pemilihan ... (26 Januari 2024 sampai 16 Desember 2024); ...": the active elections' periods."""
    language = current_language()
    parts = []
    for election, period in _active_supervised_periods():
        if period is not None:
            parts.append(_("%(election)s (%(start)s to %(end)s)") % {
                "election": election.title, "start": deadlines.format_day(period[0], language),
                "end": deadlines.format_day(period[1], language)})
    return "; ".join(parts)


def outside_stages_message() -> str:
    """Why an event outside every supervised stage cannot be a report, and what the reporter may do."""
    return _("An event on that day lies outside the supervised stages of every election (%(periods)s): it "
             "cannot be handled as a report of an election violation. You can still send it to Bawaslu as "
             "information.") % {"periods": supervised_stages_text()}


# --- Deadlines ----------------------------------------------------------------------


class DeadlineRuleNotFound(LookupError):
    """No deadline rule for a (regime, step) pair."""


def deadline_rule_list(regime: str | None = None) -> list[DeadlineRule]:
    """The deadline rules in file order, optionally of one regime (an id of regimes.yaml)."""
    return [rule for rule in catalog().deadlines.values() if regime is None or rule.regime == regime]


def deadline_rule(regime: str, step: str, on: date | None = None) -> DeadlineRule:
    """The rule for one step under one regime in force on ``on`` (the day its clock starts);
    DeadlineRuleNotFound for an unknown pair or a day no rule covers."""
    rule = catalog().deadline_rule(regime, step, on)
    if rule is None:
        known = ", ".join(f"{entry.regime}/{entry.step}" for entry in catalog().deadlines.values())
        raise DeadlineRuleNotFound(f"No deadline rule for {regime}/{step} (known: {known}).")
    return rule


def calendar_confirmed_years() -> frozenset[int]:
    """The years whose days off are confirmed: by the data files (calendar_years.yaml) or
    by an administrator (CalendarYear). Every other year is provisional. One query."""
    return frozenset(catalog().calendar_years) | frozenset(CalendarYear.objects.values_list("year", flat=True))


def holiday_calendar(language: str | None = None) -> HolidayCalendar:
    """Every day off for working-day rules, of any year: date -> name in the language
    (default: current).

    The only place that assembles the calendar: deadline_compute() and every other
    caller go through here. A year of holidays.yaml (confirmed in calendar_years.yaml)
    has the file's days, any other year the ``holidays`` package's, provisional until an
    administrator confirms it (CalendarYear); the days that administrators added or
    removed after a new decree (CalendarDay) correct both. See rules.calendar. Two queries.
    """
    language = language or current_language()
    current = catalog()
    corrections = [
        Correction(day=row.date, name=row.name_en if language == "en" else row.name_id, removed=row.removed)
        for row in CalendarDay.objects.all()
    ]
    return HolidayCalendar(
        file_days={day: holiday.name.get(language) for day, holiday in current.holidays.items()},
        file_years=current.calendar_years, corrections=corrections,
        confirmed_years=calendar_confirmed_years(), language=language,
    )


@dataclass(frozen=True)
class DeadlineAnswer:
    """A computed deadline with what the rule says about itself, in the current language.

    ``explanation`` is the count in plain words (every skipped day and why) and
    ``skipped`` the same days one per line; ``rule_explanation`` is the rule itself.
    ``provisional`` is true when a working-day count crossed a year whose days off are
    not confirmed (``provisional_years``: they come from the holidays package, see
    rules.calendar); the explanation then says so.
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
    provisional: bool
    provisional_years: tuple[int, ...]
    result: DeadlineResult


def deadline_compute(regime: str, step: str, start: date,
                     pauses: Sequence[tuple[date, date]] = (), *, rule: DeadlineRule | None = None) -> DeadlineAnswer:
    """The deadline of a step under a regime from ``start`` (day 0), with its citation.

    The rule is the one in force on ``start`` (deadlines.yaml, valid_from / valid_until),
    or ``rule`` when the caller keeps the rule its clock started under (an open case).
    ``pauses`` are the periods spent waiting for the reporter, as
    (stopped on, answered on) pairs; see rules.deadlines.add_days_with_pauses.
    Raises DeadlineRuleNotFound for an unknown pair, ValueError for a bad pause.
    """
    rule = rule or deadline_rule(regime, step, start)
    language = current_language()
    calendar = holiday_calendar(language)
    result = deadlines.compute(rule, start, calendar, pauses)
    provisional_years: tuple[int, ...] = ()
    explanation = result.explanation(language)
    if rule.day_kind == deadlines.WORKING:  # a calendar-day count does not depend on the days off
        first_counted = start + deadlines.ONE_DAY if rule.start_is_day_zero else start
        provisional_years = calendar.provisional_years(first_counted, result.due)
        if provisional_years:
            explanation += " " + provisional_note(provisional_years, language)
    return DeadlineAnswer(
        rule_id=rule.id, regime=rule.regime, step=rule.step, title=localized(rule.title),
        counted_from=localized(rule.counted_from), start=start, due=result.due, days=result.days,
        day_kind=result.day_kind, citation=rule.source, verified=rule.verified, note=localized(rule.note),
        rule_explanation=localized(rule.explanation), explanation=explanation,
        skipped=result.skipped_explained(language), provisional=bool(provisional_years),
        provisional_years=provisional_years, result=result,
    )


# --- Subjects, regimes and the assessment ---------------------------------------------


@dataclass(frozen=True)
class SubjectView:
    id: str
    title: str
    plain: str
    asn: bool


def subject_list() -> list[SubjectView]:
    """The kinds of person a report can be about, in the data's order and current language."""
    return [SubjectView(id=entry.id, title=localized(entry.title), plain=localized(entry.plain), asn=entry.asn)
            for entry in catalog().subjects.values()]


def subject_choices() -> list[tuple[str, str]]:
    return [(entry.id, entry.title) for entry in subject_list()]


def subject_for_employee_kind(kind: str) -> str:
    """The subject id of a register employee's kind (pns, pppk, contract)."""
    subject = catalog().subjects_for_register_kind(kind)
    return subject.id if subject else ""


def regime_choices() -> list[tuple[str, str]]:
    """The election regimes of the data, for forms."""
    return [(entry.id, localized(entry.title)) for entry in catalog().regimes.values()]


def step_choices() -> list[tuple[str, str]]:
    return [(entry.id, localized(entry.title)) for entry in catalog().steps.values()]


def assessment_for(*, act: str, subject: str, regime: str, act_date: date, decided_on: date | None = None,
                   election: str | None = None) -> assessment.Assessment:
    """rules.assessment.assess on this process's catalog (AssessmentError for an unknown id)."""
    return assessment.assess(catalog(), act=act, subject=subject, regime=regime, act_date=act_date,
                             decided_on=decided_on, election=election)


def report_time_limits() -> str:
    """The time to file a report under each regime, from deadlines.yaml: "7 hari kerja (Pemilu), ..."."""
    parts = []
    for regime in catalog().regimes.values():
        rule = catalog().deadline_rule(regime.id, catalog_module.STEP_REPORT, timezone.localdate())
        if rule is None:
            continue
        if rule.day_kind == deadlines.WORKING:
            count = ngettext("%(days)d working day", "%(days)d working days", rule.days) % {"days": rule.days}
        else:
            count = ngettext("%(days)d day", "%(days)d days", rule.days) % {"days": rule.days}
        parts.append(f"{count} ({localized(regime.short)})")
    return ", ".join(parts)


# The requirement whose pre-filled check is the reporter's NIK (requirements.yaml, `auto`).
AUTO_REPORTER_NIK = "reporter_nik"


def regimes_needing_reporter_nik(*, on: date | None = None) -> list[str]:
    """The regimes whose formal requirements, in force ``on`` (today), include the reporter's ID card."""
    on = on or timezone.localdate()
    return [regime for regime in catalog().regimes
            if any(entry.auto == AUTO_REPORTER_NIK and regime in entry.regimes and entry.in_force(on)
                   for entry in catalog().requirements.values())]


def regime_short_names(regimes: Sequence[str]) -> str:
    """"Pilkada" or "Pemilu, Pilkada": the regimes' short names, in the current language."""
    return ", ".join(localized(catalog().regimes[regime].short) for regime in regimes)
