"""Identity numbers of civil servants, parsed and validated by their own layouts.

- PNS NIP (18 digits): birth date YYYYMMDD, CPNS appointment YYYYMM, gender (1 male,
  2 female), a 3-digit sequence.
- PPPK NI (18 digits): birth date YYYYMMDD, year of first appointment YYYY, number of
  work agreements (2 digits, from 01), gender, a 3-digit sequence.
(shared/domain/README.md, "Identity numbers".) Only what is impossible is rejected:
dates that do not exist, lie in the future, or put an appointment before birth.
"""

from dataclasses import dataclass
from datetime import date

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


def _digits(value: str) -> str:
    value = (value or "").replace(" ", "").replace(".", "")
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


def normalize_nip(value: str) -> str:
    return (value or "").replace(" ", "").replace(".", "")
