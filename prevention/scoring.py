"""Pre- and post-test scoring and the event's average gain (pure)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def parse_choices(text: str) -> list[str]:
    """The choices of a question: one per non-empty line, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class Result:
    correct: int
    total: int

    @property
    def score(self) -> Decimal:
        """Percent of correct answers, two decimals (0 for an empty test)."""
        if not self.total:
            return Decimal("0.00")
        return (Decimal(100) * self.correct / self.total).quantize(TWO_PLACES, ROUND_HALF_UP)


def score(answer_key: Mapping[int, int], answers: Mapping[int, int | None]) -> Result:
    """Count the answers equal to the key; a missing answer counts as wrong."""
    correct = sum(1 for question, right in answer_key.items() if answers.get(question) == right)
    return Result(correct=correct, total=len(answer_key))


def average_gain(pairs: Iterable[tuple[Decimal | None, Decimal | None]]) -> Decimal | None:
    """Mean of (post - pre) over participants who took both tests; None when nobody did."""
    gains = [post - pre for pre, post in pairs if pre is not None and post is not None]
    if not gains:
        return None
    return (sum(gains, Decimal(0)) / len(gains)).quantize(TWO_PLACES, ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """part/whole in percent with one decimal; None when there is nobody to count."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
