"""Reading what a reporter types on a phone (pure: no ORM, no request).

Dates as people write them here (27/11/2024, 27 November 2024, 27 Nov, kemarin), numbered
choices ("1, 4 7"), a contact (phone, e-mail or address), and region names without their
"Kabupaten"/"Kota"/"Kecamatan" prefix.
"""

import re
from datetime import date, timedelta

from regions.names import region_key  # noqa: F401  (pure; read by intake.mail and the tests)

MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "pebruari": 2,
    "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8, "agt": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "december": 12, "des": 12, "dec": 12,
}
NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")


MONTH_NAMES = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def format_date(iso: str | None, language: str) -> str:
    """27 November 2024, as dates are written here (an ISO date in; "" for none)."""
    if not iso:
        return ""
    value = date.fromisoformat(iso)
    return f"{value.day} {MONTH_NAMES['en' if language == 'en' else 'id'][value.month - 1]} {value.year}"


def command_of(text: str) -> str:
    """The text as a command word is compared: upper case, single spaces."""
    return " ".join(text.split()).upper()


def _year(value: str) -> int:
    year = int(value)
    return year + 2000 if year < 100 else year


def parse_date(text: str, *, today: date, today_words=frozenset(), yesterday_words=frozenset()) -> date | None:
    """The date a reporter wrote (day first, as written in Indonesia), or None if it is not one.

    A date without a year is in the current year, or in the last one if that would be in the future.
    """
    word = command_of(text)
    if word in today_words:
        return today
    if word in yesterday_words:
        return today - timedelta(days=1)
    value = " ".join(text.lower().replace(",", " ").split())
    try:
        if match := ISO.match(value):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := NUMERIC.match(value):
            return date(_year(match[3]), int(match[2]), int(match[1]))
        if (match := WORDS.match(value)) and match[2] in MONTHS:
            day, month = int(match[1]), MONTHS[match[2]]
            if match[3]:
                return date(int(match[3]), month, day)
            guess = date(today.year, month, day)
            return guess if guess <= today else date(today.year - 1, month, day)
    except ValueError:  # 31/02/2024
        return None
    return None


def parse_numbers(text: str, *, count: int) -> list[int] | None:
    """The 1-based choices in "1, 4 7" (each once, in order), or None if any is not between 1 and ``count``."""
    parts = [part for part in re.split(r"[\s,;.&+]+|\bdan\b|\band\b", text.strip().lower()) if part]
    if not parts or not all(part.isdigit() and 1 <= int(part) <= count for part in parts):
        return None
    return list(dict.fromkeys(int(part) for part in parts))


def parse_contact(text: str) -> dict:
    """A contact as a report keeps it: {"email": ...}, {"phone": ...} or {"address": ...}."""
    value = " ".join(text.split())
    if EMAIL.match(value):
        return {"email": value}
    if PHONE.match(value):
        return {"phone": value}
    return {"address": value}


def rank_regions(text: str, candidates: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """The regions that ``text`` names, best first: (pk, label) from (pk, name, label) candidates.

    A name equal to the text wins over names that merely contain it; several equal names
    (a district and a regency of the same name) are all returned, for the reporter to choose.
    """
    key = region_key(text)
    if not key:
        return []
    exact = [(pk, label) for pk, name, label in candidates if region_key(name) == key]
    if exact:
        return exact
    return [(pk, label) for pk, name, label in candidates if re.search(rf"\b{re.escape(key)}\b", region_key(name))]
