"""Counting legal deadlines: pure date arithmetic, no ORM, no settings, no locale.

The numbers (how many days, working or calendar days, the counting convention) live in
rules/data/deadlines.yaml and the days off in rules/data/holidays.yaml; this module only
counts. Callers get the rules and the calendar from rules.selectors.

The counting convention (domain notes, "Handling a report", point 5):

- the day the clock starts is day 0 and the next counted day is day 1; the deadline
  (``due``) is the last counted day, the last day on which the step may still be done;
- a working-day rule counts only Mondays to Fridays that are not in ``holidays``
  (national holidays, collective leave, election days);
- a calendar-day rule counts every day; a deadline may fall on a Sunday;
- a day that is not counted between day 0 and the deadline is listed in ``skipped``
  with its reason, so that the result can explain itself.

A rule with ``start_is_day_zero: false`` makes the start day itself day 1 when it is a
counted day (day 0 is then the day before the start).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

WORKING = "working"
CALENDAR = "calendar"
DAY_KINDS = (WORKING, CALENDAR)

# Reasons in DeadlineResult.skipped besides a holiday's own name.
SATURDAY = "Saturday"
SUNDAY = "Sunday"
PAUSED = "paused"

ONE_DAY = timedelta(days=1)

# Written out here so that no locale of the host decides the words of a legal text.
MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
WEEKDAYS = {  # Monday first, as date.weekday()
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
REASONS = {
    "id": {SATURDAY: "Sabtu", SUNDAY: "Minggu", PAUSED: "penghitungan dihentikan sementara"},
    "en": {SATURDAY: "Saturday", SUNDAY: "Sunday", PAUSED: "clock paused"},
}


def _language(language: str | None) -> str:
    return "en" if (language or "id").startswith("en") else "id"


def format_day(day: date, language: str | None = "id", *, weekday: bool = False) -> str:
    """``20 November 2024``, or with ``weekday`` ``Rabu, 20 November 2024``."""
    language = _language(language)
    text = f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"
    return f"{WEEKDAYS[language][day.weekday()]}, {text}" if weekday else text


@dataclass(frozen=True)
class DeadlineResult:
    """A counted deadline: from ``start`` (day 0), ``days`` counted days, due on ``due``.

    ``skipped`` lists, in order, every day after day 0 and before ``due`` that was not
    counted, with its reason: ``"Saturday"``, ``"Sunday"``, ``"paused"`` or the name of
    the holiday as given in the calendar.
    """

    start: date
    due: date
    days: int
    day_kind: str
    skipped: list[tuple[date, str]] = field(default_factory=list)
    start_is_day_zero: bool = True

    def skipped_explained(self, language: str | None = "id") -> list[str]:
        """Each skipped day in words: ``16 November 2024 (Sabtu)``."""
        language = _language(language)
        reasons = REASONS[language]
        return [f"{format_day(day, language)} ({reasons.get(reason, reason)})"
                for day, reason in self.skipped]

    def explanation(self, language: str | None = "id") -> str:
        """The count in plain words, naming every skipped day and why.

        ``Dihitung 7 hari kerja sejak Senin, 11 November 2024 (hari ke-0). Dilewati:
        16 November 2024 (Sabtu), 17 November 2024 (Minggu). Batas akhir: Rabu,
        20 November 2024.``
        """
        language = _language(language)
        start = format_day(self.start, language, weekday=True)
        due = format_day(self.due, language, weekday=True)
        skipped = ", ".join(self.skipped_explained(language))
        if language == "id":
            kind = "hari kerja" if self.day_kind == WORKING else "hari kalender"
            if self.start_is_day_zero:
                counted = f"Dihitung {self.days} {kind} sejak {start} (hari ke-0)."
            else:
                counted = f"Dihitung {self.days} {kind} mulai {start} (hari ke-1 bila hari itu dihitung)."
            skipped = f"Dilewati: {skipped}." if skipped else "Tidak ada hari yang dilewati."
            return f"{counted} {skipped} Batas akhir: {due}."
        kind = "working" if self.day_kind == WORKING else "calendar"
        unit = f"{kind} day" if self.days == 1 else f"{kind} days"
        if self.start_is_day_zero:
            counted = f"Counted {self.days} {unit} from {start} (day 0)."
        else:
            counted = f"Counted {self.days} {unit} starting on {start} (day 1 if that day counts)."
        skipped = f"Skipped: {skipped}." if skipped else "No day skipped."
        return f"{counted} {skipped} Due: {due}."


class DeadlineRuleLike(Protocol):
    """What compute() needs of a rule (rules.catalog.DeadlineRule has it)."""

    days: int
    day_kind: str
    start_is_day_zero: bool


def _check_pauses(pauses: Sequence[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    checked = []
    for pause in pauses:
        try:
            stopped, resumed = pause
        except (TypeError, ValueError):
            raise ValueError(f"a pause is a pair of dates (stopped on, answered on), not {pause!r}") from None
        for value in (stopped, resumed):
            if not isinstance(value, date) or isinstance(value, datetime):
                raise ValueError(f"a pause is a pair of dates, not {pause!r}")
        if resumed < stopped:
            raise ValueError(f"a pause cannot end ({resumed}) before it starts ({stopped})")
        checked.append((stopped, resumed))
    return tuple(checked)


def _skip_reason(day: date, day_kind: str, holidays: Mapping[date, str],
                 pauses: tuple[tuple[date, date], ...]) -> str | None:
    """Why ``day`` is not counted, or None when it is.

    A pause names the day first (the clock stood still, whatever the day), then the
    weekend, then the holiday: a holiday on a Saturday is skipped as a Saturday.
    """
    if any(stopped < day <= resumed for stopped, resumed in pauses):
        return PAUSED
    if day_kind == CALENDAR:
        return None
    if day.weekday() == 5:
        return SATURDAY
    if day.weekday() == 6:
        return SUNDAY
    if day in holidays:
        return str(holidays[day])
    return None


def add_days_with_pauses(start: date, days: int, *, day_kind: str, holidays: Mapping[date, str],
                         pauses: Sequence[tuple[date, date]] = (),
                         start_is_day_zero: bool = True) -> DeadlineResult:
    """Count ``days`` days from ``start`` (day 0) while the clock stands still in pauses.

    A pause ``(stopped, answered)`` is the time spent waiting for the reporter: the clock
    stops at the end of ``stopped`` and starts again the day after ``answered``. So
    ``stopped`` still counts if it is a counted day (the request went out that day), the
    days ``stopped + 1`` to ``answered`` (both included) are not counted and are listed
    as ``"paused"``, and ``answered + 1`` is the first day that can count again: the day
    of the answer works like a new day 0. ``(A, A)`` pauses nothing (asked and answered
    the same day). Pauses may overlap and may begin before ``start``; only days after
    day 0 are looked at. A pause outranks a weekend or a holiday as the reason.

    ``holidays`` (date -> name) are skipped by working-day rules only; their names are
    used as the reason as given (the caller picks the language).
    """
    if not isinstance(start, date) or isinstance(start, datetime):
        raise ValueError(f"start must be a date, not {start!r}")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days must be a whole number of at least 1, not {days!r}")
    if day_kind not in DAY_KINDS:
        raise ValueError(f"unknown day kind {day_kind!r} (allowed: {', '.join(DAY_KINDS)})")
    checked_pauses = _check_pauses(pauses)
    # Day 0: the start itself, or the day before when the start day is day 1.
    cursor = start if start_is_day_zero else start - ONE_DAY
    counted = 0
    skipped: list[tuple[date, str]] = []
    while counted < days:
        cursor += ONE_DAY
        reason = _skip_reason(cursor, day_kind, holidays, checked_pauses)
        if reason is None:
            counted += 1
        else:
            skipped.append((cursor, reason))
    return DeadlineResult(start=start, due=cursor, days=days, day_kind=day_kind, skipped=skipped,
                          start_is_day_zero=start_is_day_zero)


def add_days(start: date, days: int, *, day_kind: str, holidays: Mapping[date, str],
             start_is_day_zero: bool = True) -> DeadlineResult:
    """Count ``days`` working or calendar days from ``start`` (day 0); see the module doc."""
    return add_days_with_pauses(start, days, day_kind=day_kind, holidays=holidays,
                                start_is_day_zero=start_is_day_zero)


def compute(rule: DeadlineRuleLike, start: date, holidays: Mapping[date, str],
            pauses: Sequence[tuple[date, date]] = ()) -> DeadlineResult:
    """The deadline of one rule (days, day kind and counting convention from its data)."""
    return add_days_with_pauses(start, rule.days, day_kind=rule.day_kind, holidays=holidays,
                                pauses=pauses, start_is_day_zero=rule.start_is_day_zero)
