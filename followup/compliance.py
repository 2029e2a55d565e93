"""Compliance figures of recommendations: pure rules, no ORM, no request.

A recommendation on a given day is exactly one of:

- ``in_time``: acted on (a sanction imposed, a reasoned refusal, or for a forwarding an
  answer) on or before its deadline (``closed_on <= due_on``);
- ``late``: acted on after its deadline;
- ``ignored``: still open and its deadline has passed (``due_on < today``);
- ``pending``: still open and not yet due (the deadline day itself still counts as time).

dashboard.py counts the same four classes in the database with the same conditions;
the tests hold both to the same hand-counted fixtures. Rates are shares of the
recommendations that are *due* (received minus pending): a recommendation still within
its deadline is neither compliance nor its absence yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q

IN_TIME, LATE, IGNORED, PENDING = "in_time", "late", "ignored", "pending"
CLASSES = (IN_TIME, LATE, IGNORED, PENDING)


def classify(*, is_open: bool, closed_on: date | None, due_on: date, today: date) -> str:
    """The class of one recommendation on ``today`` (see the module's docstring)."""
    if is_open:
        return IGNORED if due_on < today else PENDING
    if closed_on is None:
        raise ValueError("a closed recommendation has the day it was acted on")
    return IN_TIME if closed_on <= due_on else LATE


def median(values: Iterable[float | int]) -> float | None:
    """The median (mean of the two middle values for an even count); None for no values.

    The same definition as PostgreSQL's ``percentile_cont(0.5)``, so both databases agree.
    """
    ordered = sorted(values)
    count = len(ordered)
    if not count:
        return None
    middle = count // 2
    if count % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def days_between(start: date | None, end: date | None) -> int | None:
    """Whole days from ``start`` to ``end``; None when either is unknown."""
    if start is None or end is None:
        return None
    return (end - start).days


def share(part: int, whole: int) -> float | None:
    """``part`` as a share of ``whole`` (0 to 1), None when there is nothing to share."""
    return part / whole if whole else None


def percent(rate: float | None) -> float | None:
    """A share (0 to 1) as a percentage with one decimal."""
    return None if rate is None else round(rate * 100, 1)


@dataclass
class Figures:
    """The counts of one agency, one region or the whole selection."""

    received: int = 0
    in_time: int = 0
    late: int = 0
    ignored: int = 0
    pending: int = 0

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> Figures:
        return cls(**{name: int(counts.get(name) or 0) for name in ("received", *CLASSES)})

    def add(self, other: Figures) -> None:
        for name in ("received", *CLASSES):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def acted(self) -> int:
        return self.in_time + self.late

    @property
    def due(self) -> int:
        """Recommendations whose deadline has passed or that were acted on: the base of the rates."""
        return self.in_time + self.late + self.ignored

    @property
    def in_time_rate(self) -> float | None:
        return share(self.in_time, self.due)

    @property
    def late_rate(self) -> float | None:
        return share(self.late, self.due)

    @property
    def ignored_rate(self) -> float | None:
        return share(self.ignored, self.due)

    # The rates as shown and exported: percentages with one decimal.
    @property
    def in_time_percent(self) -> float | None:
        return percent(self.in_time_rate)

    @property
    def late_percent(self) -> float | None:
        return percent(self.late_rate)

    @property
    def ignored_percent(self) -> float | None:
        return percent(self.ignored_rate)


def tally(classes: Iterable[str]) -> Figures:
    """Figures from the classes of single recommendations (the reference for the SQL counts)."""
    figures = Figures()
    for name in classes:
        if name not in CLASSES:
            raise ValueError(f"unknown class {name!r}")
        figures.received += 1
        setattr(figures, name, getattr(figures, name) + 1)
    return figures


def region_chain(code: str) -> list[str]:
    """A region code and the codes of every region above it, top first ("19.06" -> ["19", "19.06"]).

    Region codes nest by prefix (regions.models.Region); the country ("ID") is above all
    and is not part of a code, so it is not in the chain.
    """
    parts = code.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts) + 1)]


@dataclass
class RegionTotal:
    code: str
    figures: Figures = field(default_factory=Figures)
    agencies: int = 0


def roll_up(rows: Iterable[tuple[str, Figures]], *, depth: int = 2) -> dict[str, RegionTotal]:
    """Totals per region from (agency's region code, figures) rows, each region including those below it.

    ``depth`` is the deepest level shown (1 province, 2 regency/city): an agency of a
    district counts in its regency. Agencies of the whole country (the civil-service
    authority) belong to no region row. The result is ordered by code.
    """
    totals: dict[str, RegionTotal] = {}
    for code, figures in rows:
        chain = region_chain(code)[:depth] if code and code != "ID" else []
        for region_code in chain:
            total = totals.setdefault(region_code, RegionTotal(region_code))
            total.figures.add(figures)
            total.agencies += 1
    return dict(sorted(totals.items()))


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar, in percent of the bar's length."""

    name: str
    x: float
    width: float
    count: int


def bar_segments(figures: Figures) -> list[Segment]:
    """The four classes as consecutive segments of a bar as long as ``received`` (empty when nothing)."""
    segments, x = [], 0.0
    for name in CLASSES:
        count = getattr(figures, name)
        if not figures.received or not count:
            continue
        width = round(100 * count / figures.received, 2)
        segments.append(Segment(name, round(x, 2), width, count))
        x += width
    return segments


def class_counts(today: date) -> dict:
    """Conditional counts of the four classes (classify, in SQL): keyword arguments for aggregate()."""
    closed, open_ = Q(is_open=False), Q(is_open=True)
    return {
        "received": Count("pk"),
        IN_TIME: Count("pk", filter=closed & Q(closed_on__lte=F("due_on"))),
        LATE: Count("pk", filter=closed & Q(closed_on__gt=F("due_on"))),
        IGNORED: Count("pk", filter=open_ & Q(due_on__lt=today)),
        PENDING: Count("pk", filter=open_ & Q(due_on__gte=today)),
    }
