"""Dates, times and numbers as Indonesian letters write them (pure: no ORM, no settings).

- ``format_date_id(date(2024, 11, 27))`` → ``"27 November 2024"``
- ``format_weekday_date_id(...)`` → ``"Rabu, 27 November 2024"``
- ``roman(11)`` → ``"XI"`` (months in some letter numbers)
- ``format_time(dt, "Asia/Jakarta")`` → ``"09.00 WIB"``
- ``terbilang(7)`` → ``"tujuh"``, as in "3 (tiga) hari"

English versions exist for the English rendering of a letter; the official letter is the
Indonesian one.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
# Monday first, as date.weekday() counts. "Jumat" is the KBBI spelling (not "Jum'at").
WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Indonesia's three time zones by their tz names (regions.Region.TimeZone stores these).
# Asia/Pontianak is also WIB (West Kalimantan has its own tz entry).
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))

_UNITS_ID = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
             "sepuluh", "sebelas")
_UNITS_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
             "nineteen")
_TENS_EN = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
WORDS_MAX = 999_999_999


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, not {type(value).__name__}")


def is_english(language: str | None) -> bool:
    return (language or "id").lower().startswith("en")


def format_date_id(value: date | datetime) -> str:
    """``27 November 2024``: day without a leading zero, month in words."""
    day = _day(value)
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def format_date_en(value: date | datetime) -> str:
    """``27 November 2024``: the same order, English month names."""
    day = _day(value)
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_weekday_date_id(value: date | datetime) -> str:
    """``Rabu, 27 November 2024``."""
    day = _day(value)
    return f"{WEEKDAYS_ID[day.weekday()]}, {format_date_id(day)}"


def format_weekday_date_en(value: date | datetime) -> str:
    """``Wednesday, 27 November 2024``."""
    day = _day(value)
    return f"{WEEKDAYS_EN[day.weekday()]}, {format_date_en(day)}"


def format_date(value: date | datetime, language: str = "id") -> str:
    return format_date_en(value) if is_english(language) else format_date_id(value)


def format_weekday_date(value: date | datetime, language: str = "id") -> str:
    return format_weekday_date_en(value) if is_english(language) else format_weekday_date_id(value)


def roman(number: int) -> str:
    """``11`` → ``"XI"`` (1 to 3999)."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 3999:
        raise ValueError(f"roman numerals are for whole numbers from 1 to 3999, not {number!r}")
    result = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        result.append(letters * count)
    return "".join(result)


def month_roman(value: date | datetime) -> str:
    """The month of a date in Roman numerals: November → ``"XI"``."""
    return roman(_day(value).month)


def zone_abbreviation(tz_name: str) -> str:
    """``Asia/Makassar`` → ``"WITA"``; an unknown zone is an error, never a guess."""
    try:
        return ZONE_ABBREVIATIONS[tz_name]
    except KeyError:
        known = ", ".join(sorted(ZONE_ABBREVIATIONS))
        raise ValueError(f"unknown Indonesian time zone {tz_name!r} (known: {known})") from None


def to_zone(value: datetime, tz_name: str) -> datetime:
    """An aware datetime in the zone; a naive one is taken as already in that zone."""
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, not {type(value).__name__}")
    zone_abbreviation(tz_name)  # refuse zones outside Indonesia before converting
    zone = ZoneInfo(tz_name)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def format_time(value: datetime, tz_name: str = "Asia/Jakarta", language: str = "id") -> str:
    """``09.00 WIB`` (Indonesian writes a dot between hours and minutes); ``09:00 WIB`` in English."""
    local = to_zone(value, tz_name)
    separator = ":" if is_english(language) else "."
    return f"{local.hour:02d}{separator}{local.minute:02d} {zone_abbreviation(tz_name)}"


def _check_words_range(number: int) -> None:
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= WORDS_MAX:
        raise ValueError(f"numbers in words are for whole numbers from 0 to {WORDS_MAX:,}, not {number!r}")


def terbilang(number: int) -> str:
    """A whole number in Indonesian words: ``7`` → ``"tujuh"``, ``21`` → ``"dua puluh satu"``."""
    _check_words_range(number)
    return _terbilang(number) if number else "nol"


def _terbilang(number: int) -> str:
    if number < 12:
        return _UNITS_ID[number] if number else ""
    if number < 20:
        return f"{_UNITS_ID[number - 10]} belas"
    if number < 100:
        tens, rest = divmod(number, 10)
        return _join(f"{_UNITS_ID[tens]} puluh", _terbilang(rest))
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = "seratus" if hundreds == 1 else f"{_UNITS_ID[hundreds]} ratus"
        return _join(head, _terbilang(rest))
    if number < 1_000_000:
        thousands, rest = divmod(number, 1000)
        head = "seribu" if thousands == 1 else f"{_terbilang(thousands)} ribu"
        return _join(head, _terbilang(rest))
    millions, rest = divmod(number, 1_000_000)
    return _join(f"{_terbilang(millions)} juta", _terbilang(rest))


def number_words_en(number: int) -> str:
    """A whole number in English words: ``21`` → ``"twenty-one"``."""
    _check_words_range(number)
    return _words_en(number) if number else "zero"


def _words_en(number: int) -> str:
    if number < 20:
        return _UNITS_EN[number] if number else ""
    if number < 100:
        tens, rest = divmod(number, 10)
        return _TENS_EN[tens] + (f"-{_UNITS_EN[rest]}" if rest else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return _join(f"{_UNITS_EN[hundreds]} hundred", _words_en(rest))
    if number < 1_000_000:
        thousands, rest = divmod(number, 1000)
        return _join(f"{_words_en(thousands)} thousand", _words_en(rest))
    millions, rest = divmod(number, 1_000_000)
    return _join(f"{_words_en(millions)} million", _words_en(rest))


def _join(head: str, tail: str) -> str:
    return f"{head} {tail}" if tail else head


def number_in_words(number: int, language: str = "id") -> str:
    return number_words_en(number) if is_english(language) else terbilang(number)


def count_with_words(number: int, language: str = "id") -> str:
    """``3`` → ``"3 (tiga)"``, the way letters write counts."""
    return f"{number} ({number_in_words(number, language)})"
