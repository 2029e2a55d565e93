"""Registration numbers of cases in the office's own format (pure).

Not letter numbers: those are letters.numbers (patterns from letters/data/letters.yaml) with
the running sequences of letters.services. A case's own sequence is reports.services.next_number.
"""

import string
from datetime import date

from django.utils.translation import gettext as _

PLACEHOLDERS = {"seq", "kind", "regime", "level", "region_code", "office_code", "month", "month_roman", "year"}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
KIND_CODES = {"report": "LP", "finding": "TM"}
LEVEL_CODES = {0: "RI", 1: "Prov", 2: "Kab"}


def check_pattern(pattern: str) -> None:
    names = {field for _text, field, _spec, _conv in string.Formatter().parse(pattern) if field}
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ValueError(_("Unknown placeholder in the number format: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if "seq" not in names:
        raise ValueError(_("The number format must contain {seq}."))


def registration_number(pattern: str, *, seq: int, kind: str, regime_code: str, level: int, region_code: str,
                        office_code: str, on: date) -> str:
    """The number of a case; ``regime_code`` is the regime's code in rules/data/regimes.yaml (PL, PB)."""
    check_pattern(pattern)
    return pattern.format(
        seq=seq, kind=KIND_CODES[kind], regime=regime_code, level=LEVEL_CODES.get(level, "Kab"),
        region_code=region_code, office_code=office_code, month=on.month, month_roman=ROMAN[on.month - 1],
        year=on.year,
    )
