"""The holiday calendar of working-day rules, assembled: pure, no ORM, no request, no settings.

The days off of a year come from one of two places (domain notes, "Calendar"):

- the data file (rules/data/holidays.yaml), for the years it carries; each such year is
  listed in rules/data/calendar_years.yaml with its joint decree (SKB of the ministers of
  religious affairs, manpower and administrative reform) and so is *confirmed*;
- otherwise the ``holidays`` package (country Indonesia, categories ``public`` and
  ``government``: the national holidays and the collective leave it computes). A year
  taken from the package is *provisional* until an administrator confirms it
  (rules.models.CalendarYear), after checking the package's days against the decree and
  correcting them where they differ.

Corrections made by administrators (rules.models.CalendarDay) then add or remove single
days, in any year. A year is never counted as having no holidays at all.

rules.selectors.holiday_calendar() reads the rows and builds a HolidayCalendar;
rules.deadlines counts with it like with any mapping of date -> name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

COUNTRY = "ID"
CATEGORIES = ("public", "government")  # "government" holds the collective leave (cuti bersama)
# The package's names of the days, per data language.
PACKAGE_LANGUAGES = {"id": "id", "en": "en_US"}
# The joint decree of a year is usually signed in September or October of the year before:
# from 1 October administrators are asked to confirm the next year.
CONFIRMATION_MONTH = 10

Fallback = Callable[[int], Mapping[date, str]]


def _language(language: str | None) -> str:
    return "en" if (language or "id").startswith("en") else "id"


@functools.lru_cache(maxsize=128)
def package_days(year: int, language: str = "id") -> Mapping[date, str]:
    """The days off of one year as the ``holidays`` package computes them: date -> name.

    Names are in Indonesian (``"id"``) or English (``"en"``); the package marks the
    Islamic holidays it can only estimate with "(perkiraan)" / "(estimated)".
    """
    # Imported here: the package takes about 0.4 s to load, and only a count into a year
    # that the file does not carry needs it.
    import holidays as holidays_package

    days = holidays_package.country_holidays(COUNTRY, years=year, categories=CATEGORIES,
                                             language=PACKAGE_LANGUAGES[_language(language)])
    return MappingProxyType(dict(sorted(days.items())))


@dataclass(frozen=True)
class Correction:
    """An administrator's change to one day: added with its name, or removed."""

    day: date
    name: str
    removed: bool = False


class HolidayCalendar(Mapping[date, str]):
    """Every day off for working-day rules, of any year: date -> name.

    A year's days are the file's when the file carries the year (``file_years``),
    otherwise the ``fallback``'s (the package); the ``corrections`` are applied on top.
    A year is confirmed when the file carries it or it is in ``confirmed_years`` (an
    administrator confirmed it); any other year is provisional.

    Years are assembled when first asked for, so a count into any year finds its days.
    Iterating goes over the known years only: from the first to the last year of the
    file, the corrections and the confirmed years.
    """

    def __init__(self, *, file_days: Mapping[date, str], file_years: Collection[int] = (),
                 corrections: Iterable[Correction] = (), confirmed_years: Collection[int] = (),
                 fallback: Fallback | None = None, language: str = "id"):
        self.file_years = frozenset(file_years) | {day.year for day in file_days}
        self.confirmed_years = frozenset(confirmed_years) | self.file_years
        self._file_days = dict(file_days)
        self._corrections: dict[int, list[Correction]] = {}
        for correction in corrections:
            self._corrections.setdefault(correction.day.year, []).append(correction)
        language = _language(language)
        self._fallback = fallback or (lambda year: package_days(year, language))
        self._years: dict[int, Mapping[date, str]] = {}

    def year(self, year: int) -> Mapping[date, str]:
        """The days off of one year, in date order."""
        if year not in self._years:
            if year in self.file_years:
                days = {day: name for day, name in self._file_days.items() if day.year == year}
            else:
                days = dict(self._fallback(year))
            for correction in self._corrections.get(year, ()):
                if correction.removed:
                    days.pop(correction.day, None)
                else:
                    days[correction.day] = correction.name
            self._years[year] = MappingProxyType(dict(sorted(days.items())))
        return self._years[year]

    def is_provisional(self, year: int) -> bool:
        """True when the year's days were not confirmed (by the file or an administrator)."""
        return year not in self.confirmed_years

    def provisional_years(self, first: date, last: date) -> tuple[int, ...]:
        """The unconfirmed years from ``first`` to ``last`` (both included), in order."""
        return tuple(year for year in range(first.year, last.year + 1) if self.is_provisional(year))

    def known_years(self) -> range:
        years = self.file_years | self.confirmed_years | set(self._corrections)
        return range(min(years), max(years) + 1) if years else range(0)

    def __getitem__(self, day: date) -> str:
        if not isinstance(day, date):
            raise KeyError(day)
        return self.year(day.year)[day]

    def __iter__(self) -> Iterator[date]:
        for year in self.known_years():
            yield from self.year(year)

    def __len__(self) -> int:
        return sum(len(self.year(year)) for year in self.known_years())

    def __repr__(self) -> str:
        return f"<HolidayCalendar confirmed={sorted(self.confirmed_years)}>"


# The sentence a provisional count ends with; written out in both languages like the rest
# of a deadline's explanation (rules.deadlines), so that no locale decides its words.
PROVISIONAL_NOTE = {
    "id": ("Sementara: hari libur tahun {years} belum dikonfirmasi dengan SKB 3 Menteri tentang hari "
           "libur nasional dan cuti bersama, sehingga tanggal ini dapat berubah."),
    "en": ("Provisional: the days off of {years} are not yet confirmed against the joint ministerial "
           "decree on national holidays and collective leave, so this date may change."),
}


def provisional_note(years: Iterable[int], language: str | None = "id") -> str:
    """``Sementara: hari libur tahun 2027 belum dikonfirmasi ...`` for the unconfirmed years."""
    return PROVISIONAL_NOTE[_language(language)].format(years=", ".join(str(year) for year in years))


def needs_confirmation(today: date, confirmed_years: Collection[int]) -> int | None:
    """The year whose calendar administrators must confirm now, or None.

    The current year when it is not confirmed (its deadlines are provisional today);
    otherwise, from 1 October, the next year when it is not confirmed (its decree is
    usually out by then, and deadlines counted in December reach into it).
    """
    if today.year not in confirmed_years:
        return today.year
    if today.month >= CONFIRMATION_MONTH and today.year + 1 not in confirmed_years:
        return today.year + 1
    return None
