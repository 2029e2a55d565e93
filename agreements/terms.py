"""The clauses of an agreement that the system enforces (pure, no ORM): term, notice, addenda.

From seed 000 (the 2022 MoU between Bawaslu Belitung Timur and the Belitung Timur
government): it runs 3 years from signing (art. 7); a party that wants to end it early
gives its written reasons 30 days before the end takes effect (art. 8(1)); an addendum
needs the approval of both parties (art. 11(2)). Each agreement stores its own figures
(term_years, notice_days), so another agreement with other clauses needs no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ACTIVE, EXPIRED, TERMINATED, NOT_IN_FORCE = "active", "expired", "terminated", "not_in_force"


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_end(signed_on: date, term_years: int) -> date:
    """The last day in force of an agreement that runs ``term_years`` from its signing.

    "Berlaku selama 3 (tiga) tahun dihitung sejak ditandatangani": the signing day is the
    first day, so the last day is the day before the anniversary (23-08-2022 → 22-08-2025).
    """
    return add_years(signed_on, term_years) - timedelta(days=1)


@dataclass(frozen=True)
class TermState:
    status: str
    ends_on: date
    days_left: int | None
    warning: bool


def term_state(*, signed_on: date | None, ends_on: date, terminated_on: date | None, today: date,
               warn_days: int) -> TermState:
    """Where an agreement stands today, and whether its expiry needs a warning."""
    if signed_on is None or today < signed_on:
        return TermState(NOT_IN_FORCE, ends_on, None, False)
    if terminated_on is not None and today >= terminated_on:
        return TermState(TERMINATED, terminated_on, None, False)
    if today > ends_on:
        return TermState(EXPIRED, ends_on, None, False)
    days_left = (ends_on - today).days
    return TermState(ACTIVE, ends_on, days_left, days_left <= warn_days)


class TermError(ValueError):
    pass


def earliest_termination(notice_on: date, notice_days: int) -> date:
    """The first day on which an early end can take effect after written notice on ``notice_on``."""
    return notice_on + timedelta(days=notice_days)


def check_termination(*, notice_on: date, effective_on: date, notice_days: int, signed_on: date, ends_on: date,
                      reasons: str) -> None:
    """Raise TermError unless an early end keeps the agreement's notice clause."""
    if not reasons.strip():
        raise TermError("reasons")
    if notice_on < signed_on:
        raise TermError("notice_before_signing")
    if effective_on < earliest_termination(notice_on, notice_days):
        raise TermError("notice_too_short")
    if effective_on > ends_on:
        raise TermError("after_the_end")


def addendum_in_force(*, first_approved_on: date | None, second_approved_on: date | None) -> date | None:
    """An addendum takes effect on the day the second party approves it, not before."""
    if first_approved_on is None or second_approved_on is None:
        return None
    return max(first_approved_on, second_approved_on)
