"""Identity numbers of civil servants, parsed and validated by their own layouts.

- PNS NIP (18 digits): birth date YYYYMMDD, CPNS appointment YYYYMM, gender (1 male,
  2 female), a 3-digit sequence.
- PPPK NI (18 digits): birth date YYYYMMDD, year of first appointment YYYY, number of
  work agreements (2 digits, from 01), gender, a 3-digit sequence.
(shared/domain/README.md, "Identity numbers".) Only what is impossible is rejected:
dates that do not exist, lie in the future, or put an appointment before birth.

The ``compose_*`` functions build a number from its parts, and ``synthetic_nip`` draws a
random valid one for tests and the demo register (standard library only, so that the
demo seed runs on an install without the test dependencies).
"""

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _


class NipError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NipParts:
    birth_date: date
    appointed_year: int
    appointed_month: int | None  # PNS only
    agreements: int | None  # PPPK only
    gender: str  # "M" or "F"
    sequence: int


# Numbers are copied from letters and PDFs: grouped with spaces or dots, sometimes with
# non-breaking spaces or a tab. Any whitespace and dots are dropped, nothing else.
_SEPARATORS = re.compile(r"[\s.]+")


def normalize_nip(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


def _digits(value: str) -> str:
    value = normalize_nip(value)
    if not value.isdigit() or not value.isascii():
        raise NipError(_("An NIP contains digits only."))
    if len(value) != 18:
        raise NipError(_("An NIP has exactly 18 digits (this one has %(count)d).") % {"count": len(value)})
    return value


def _birth_date(digits: str, today: date) -> date:
    try:
        born = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise NipError(_("The first 8 digits of an NIP must be a real birth date (YYYYMMDD).")) from None
    if born > today or born.year < 1900:
        raise NipError(_("The birth date in this NIP is impossible."))
    return born


def _gender(digit: str) -> str:
    if digit not in {"1", "2"}:
        raise NipError(_("The gender digit of an NIP is 1 (male) or 2 (female)."))
    return "M" if digit == "1" else "F"


def parse_pns_nip(value: str, *, today: date | None = None) -> NipParts:
    today = today or date.today()
    digits = _digits(value)
    born = _birth_date(digits, today)
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12:
        raise NipError(_("Digits 9 to 14 of an NIP must be the month of appointment (YYYYMM)."))
    if (year, month) <= (born.year, born.month) or (year, month) > (today.year, today.month):
        raise NipError(_("The appointment month in this NIP is impossible for its birth date."))
    return NipParts(born, year, month, None, _gender(digits[14]), int(digits[15:18]))


def parse_pppk_ni(value: str, *, today: date | None = None) -> NipParts:
    today = today or date.today()
    digits = _digits(value)
    born = _birth_date(digits, today)
    year, agreements = int(digits[8:12]), int(digits[12:14])
    if year <= born.year or year > today.year:
        raise NipError(_("The appointment year in this PPPK number is impossible for its birth date."))
    if agreements < 1:
        raise NipError(_("Digits 13 and 14 of a PPPK number count work agreements, from 01."))
    return NipParts(born, year, None, agreements, _gender(digits[14]), int(digits[15:18]))


def _gender_digit(gender: str) -> str:
    if gender not in {"M", "F"}:
        raise ValueError(f"gender must be 'M' or 'F', not {gender!r}")
    return "1" if gender == "M" else "2"


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value!r}")


def compose_pns_nip(*, birth_date: date, appointed_year: int, appointed_month: int, gender: str,
                    sequence: int) -> str:
    """The PNS NIP with these parts (the inverse of ``parse_pns_nip``)."""
    _check_range("appointed_month", appointed_month, 1, 12)
    _check_range("sequence", sequence, 0, 999)
    return (f"{birth_date:%Y%m%d}{appointed_year:04d}{appointed_month:02d}"
            f"{_gender_digit(gender)}{sequence:03d}")


def compose_pppk_ni(*, birth_date: date, appointed_year: int, agreements: int, gender: str,
                    sequence: int) -> str:
    """The NI PPPK with these parts (the inverse of ``parse_pppk_ni``)."""
    _check_range("agreements", agreements, 1, 99)
    _check_range("sequence", sequence, 0, 999)
    return f"{birth_date:%Y%m%d}{appointed_year:04d}{agreements:02d}{_gender_digit(gender)}{sequence:03d}"


# The first PPPK were appointed under PP 49/2018; no NI PPPK carries an earlier year.
FIRST_PPPK_YEAR = 2019


def synthetic_nip(kind: str, rng: random.Random, *, gender: str, today: date,
                  sequence: int | None = None) -> str:
    """A random number that is valid for ``kind`` ("pns" or "pppk") on ``today``.

    For tests and the demo register only: the people are invented. A PNS is appointed
    as CPNS between 19 and 35 (the CPNS age limit); a PPPK from 2019 on, aged 20 to 56.
    """
    sequence = rng.randint(1, 999) if sequence is None else sequence
    youngest = date(today.year - 21, 1, 1)
    if kind == "pns":
        born = _random_date(rng, date(today.year - 57, 1, 1), youngest)
        first = _add_years(born, 19)
        last = min(_add_years(born, 35), today)
        appointed = _random_date(rng, first, last)
        return compose_pns_nip(birth_date=born, appointed_year=appointed.year,
                               appointed_month=appointed.month, gender=gender, sequence=sequence)
    if kind == "pppk":
        born = _random_date(rng, date(today.year - 56, 1, 1), youngest)
        first_year = max(FIRST_PPPK_YEAR, born.year + 20)
        last_year = min(today.year, born.year + 56)
        appointed_year = rng.randint(first_year, max(first_year, last_year))
        agreements = rng.choices([1, 2, 3], weights=[80, 17, 3])[0]
        return compose_pppk_ni(birth_date=born, appointed_year=appointed_year, agreements=agreements,
                               gender=gender, sequence=sequence)
    raise ValueError(f"no NIP for kind {kind!r}")


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
