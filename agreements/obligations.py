"""Pure rules of the parties' obligations (no ORM): a duty's status, Rupiah as written here, test gains.

- A duty is marked done only with some evidence of it, and "not carried out" only with the
  reason written down: the M&E report must be able to say why (seed 000 art. 9).
- Rupiah are written with a dot between thousands and no space after "Rp": Rp1.250.000.
- "ASN understand their rights and duties" is read from the pre- and post-tests of the
  socialization events: the mean gain in points and the share of participants who improved.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

NOT_STARTED, IN_PROGRESS, DONE, NOT_DONE = "not_started", "in_progress", "done", "not_done"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, NOT_DONE)


class StatusError(ValueError):
    """The code of the rule broken: "unknown", "evidence" or "reason"."""


def check_status(*, status: str, evidence_count: int, note: str) -> None:
    """Raise StatusError unless a duty may take ``status`` with its evidence and note."""
    if status not in STATUSES:
        raise StatusError("unknown")
    if status == DONE and evidence_count == 0:
        raise StatusError("evidence")
    if status == NOT_DONE and not (note or "").strip():
        raise StatusError("reason")


def rupiah(amount) -> str:
    """1250000 -> "Rp1.250.000"; a negative amount keeps its sign in front: "-Rp50.000"."""
    if amount is None:
        return "—"
    whole = int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    digits = f"{abs(whole):,}".replace(",", ".")
    return f"{'-' if whole < 0 else ''}Rp{digits}"


def score_gains(pairs: Iterable[tuple[Decimal, Decimal]]) -> tuple[Decimal | None, Decimal | None, int]:
    """(mean gain in points, share in percent of those whose post-test beat their pre-test, how many).

    Only participants with both tests count; (None, None, 0) when nobody took both.
    """
    gains = [post - pre for pre, post in pairs if pre is not None and post is not None]
    if not gains:
        return None, None, 0
    mean = (sum(gains, Decimal(0)) / len(gains)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    improved = (Decimal(100) * sum(1 for gain in gains if gain > 0) / len(gains)).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    return mean, improved, len(gains)


def per_thousand(count: int, population: int) -> Decimal | None:
    """``count`` per 1,000 of ``population`` with two decimals; None when there is nobody to count."""
    if not population:
        return None
    return (Decimal(count) * 1000 / Decimal(population)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def parse_rupiah(text: str) -> Decimal:
    """An amount as typed here: "Rp1.250.000", "1.250.000", "1250000" or "Rp 1.250.000,00" -> Decimal(1250000).

    The dot separates thousands and the comma decimals, as Indonesians write; ValueError for
    anything else (letters, a negative sign, sen other than ,00 or ,0).
    """
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if cleaned[:2].lower() == "rp":
        cleaned = cleaned[2:].lstrip(".")
    whole, comma, cents = cleaned.partition(",")
    if comma and cents.strip("0"):
        raise ValueError(text)
    if not whole or not whole.replace(".", "").isdigit() or whole.startswith(".") or whole.endswith("."):
        raise ValueError(text)
    groups = whole.split(".")
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])):
        raise ValueError(text)
    return Decimal("".join(groups))
