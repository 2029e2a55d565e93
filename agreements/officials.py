"""Pure rules of officials, disputes and standalone meetings (no ORM).

- A replacement opens on a day after the replaced official's own first day, and not before the
  agreement was signed: the old period closes the day before (seed 000 art. 12: the agreement
  survives a change of officials, so the history has no gap and no overlap).
- A dispute is closed with its outcome written down, on a day not before it was raised (art. 10).
- A standalone evaluation meeting's participants: a named person counts one; a row without a
  name counts its number.
"""

from __future__ import annotations

from datetime import date, timedelta


class RuleError(ValueError):
    """The code of the rule broken."""


def replacement_period(
    *, valid_from: date, previous_from: date | None, signed_on: date | None, today: date
) -> date:
    """The last day of the replaced official's period; RuleError "future", "before_signing" or "before_previous"."""
    if valid_from > today:
        raise RuleError("future")
    if signed_on and valid_from < signed_on:
        raise RuleError("before_signing")
    if previous_from and valid_from <= previous_from:
        raise RuleError("before_previous")
    return valid_from - timedelta(days=1)


def check_closing(*, status: str, outcome: str, closed_on: date, raised_on: date, today: date) -> None:
    """RuleError "status", "outcome", "future" or "before_raised" unless a dispute may be closed so."""
    if status not in ("resolved", "unresolved"):
        raise RuleError("status")
    if not (outcome or "").strip():
        raise RuleError("outcome")
    if closed_on > today:
        raise RuleError("future")
    if closed_on < raised_on:
        raise RuleError("before_raised")


def parse_participants(text: str) -> list[tuple[str, str, int]]:
    """Lines "institution; name" or "institution; 12" -> (institution, name, count).

    A line with only an institution counts one person. RuleError "line:<n>" for a line with an
    empty institution or a count that is not a positive whole number.
    """
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        institution, _sep, rest = (" ".join(part.split()) for part in line.partition(";"))
        if not institution:
            raise RuleError(f"line:{number}")
        if rest.isdigit():
            if int(rest) < 1:
                raise RuleError(f"line:{number}")
            rows.append((institution, "", int(rest)))
        elif rest and any(char.isdigit() for char in rest) and rest.lstrip("-").isdigit():
            raise RuleError(f"line:{number}")
        else:
            rows.append((institution, rest, 1))
    return rows


def participant_total(rows) -> int:
    return sum(count for _institution, _name, count in rows)
