"""Letter numbers (pure): a pattern from letters/data/letters.yaml filled with its parts.

A pattern is a Python format string with named placeholders only, for example
``"{seq:03d}/{classification}/{office_code}/{month:02d}/{year}"``, which gives the shape of
seed 000's ``019/HK.02/K.BB-06/08/2022``. Which parts an office uses, and its
classification codes, are the office's own: the patterns are data, and an unknown
placeholder is refused when the data file is loaded, not when a letter is signed.

The running sequence (one counter per issuer and year, letters.models.LetterSequence) is
kept by letters.services, which needs the database and a lock; this module does not.
"""

from __future__ import annotations

import string
from datetime import date, datetime

from letters.dates import roman

# Placeholder → what it holds.
FIELDS = {
    "seq": "the running number of the letter (a whole number from 1)",
    "office_code": "the office's code, BawasluOffice.number_code (e.g. K.BB-06)",
    "classification": "the classification code of the letter kind (e.g. HK.02)",
    "day": "the day of the month of the letter's date",
    "month": "the month of the letter's date, as a number",
    "month_roman": "the month of the letter's date in Roman numerals (XI)",
    "year": "the year of the letter's date",
}
_SAMPLE = {"seq": 19, "office_code": "K.BB-06", "classification": "HK.02", "day": 23, "month": 8,
           "month_roman": "VIII", "year": 2022}


class LetterNumberError(ValueError):
    """A pattern or a part that cannot make a letter number."""


def pattern_fields(pattern: str) -> frozenset[str]:
    """The placeholders of a valid pattern; raise LetterNumberError naming the problem."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise LetterNumberError("a letter number pattern must be a non-empty text")
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as error:
        raise LetterNumberError(f"pattern {pattern!r} is not valid: {error}") from None
    fields = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name == "" or name.isdigit():
            raise LetterNumberError(f"pattern {pattern!r}: every placeholder needs a name, e.g. {{seq}}")
        if name not in FIELDS:
            raise LetterNumberError(
                f"pattern {pattern!r}: unknown placeholder {{{name}}} (known: {', '.join(FIELDS)})")
        if conversion:
            raise LetterNumberError(
                f"pattern {pattern!r}: {{{name}!{conversion}}}: conversions are not allowed")
        if spec and ("{" in spec or "}" in spec):
            raise LetterNumberError(f"pattern {pattern!r}: {{{name}}}: nested placeholders are not allowed")
        try:
            format(_SAMPLE[name], spec or "")
        except ValueError as error:
            raise LetterNumberError(f"pattern {pattern!r}: {{{name}:{spec}}}: {error}") from None
        fields.add(name)
    if "seq" not in fields:
        raise LetterNumberError(f"pattern {pattern!r} has no {{seq}}: every letter would get the same number")
    return frozenset(fields)


def validate_pattern(pattern: str) -> None:
    """Raise LetterNumberError if the pattern cannot make letter numbers."""
    pattern_fields(pattern)


def format_number(pattern: str, *, seq: int, office_code: str, on: date, classification: str = "") -> str:
    """Fill a pattern: ``format_number("{seq:03d}/HK.02/{office_code}/{month:02d}/{year}", seq=19,
    office_code="K.BB-06", on=date(2022, 8, 23))`` → ``"019/HK.02/K.BB-06/08/2022"``."""
    fields = pattern_fields(pattern)
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise LetterNumberError(f"the sequence must be a whole number from 1, not {seq!r}")
    if not isinstance(on, date):
        raise LetterNumberError(f"the letter's date must be a date, not {on!r}")
    if isinstance(on, datetime):
        on = on.date()
    for name, value in (("office_code", office_code), ("classification", classification)):
        if name in fields and (not isinstance(value, str) or not value.strip()):
            raise LetterNumberError(f"pattern {pattern!r} needs {{{name}}}, which is empty")
    return pattern.format(
        seq=seq, office_code=(office_code or "").strip(), classification=(classification or "").strip(),
        day=on.day, month=on.month, month_roman=roman(on.month), year=on.year,
    )


def letter_number(kind: str, *, office_code: str, seq: int, on: date) -> str:
    """The number of a letter of one kind from one office, by the patterns in the data file."""
    from letters.catalog import default_catalog  # the catalog validates patterns with this module

    pattern, classification = default_catalog().number_format(kind, office_code)
    return format_number(pattern, seq=seq, office_code=office_code, on=on, classification=classification)
