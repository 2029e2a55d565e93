"""Whether an event's day lies within an election's supervised stages (pure: no ORM).

Each election in elections.yaml may give the period of its stages that Bawaslu supervises
(stage ``supervised`` of stages.yaml). A report about an event outside the supervised
stages of every election is not a report of an election violation; the reporter may still
send it as information (issue 19). An election whose period is not in the data cannot rule
a day out, so then no day is outside.
"""

from collections.abc import Iterable
from datetime import date

# The stage of stages.yaml that spans an election's supervised stages, first to last.
SUPERVISED = "supervised"

Period = tuple[date, date]


def supervised_period(election) -> Period | None:
    """The (first, last) day of an election's supervised stages (rules.catalog.Election), or None."""
    period = election.stages.get(SUPERVISED)
    return (period.start, period.end) if period else None


def outside_every_period(day: date, periods: Iterable[Period | None]) -> bool:
    """True when ``day`` lies outside every period; False when one holds it, when one is
    unknown (None) or when there is no period at all."""
    periods = list(periods)
    if not periods or any(period is None for period in periods):
        return False
    return not any(start <= day <= end for start, end in periods)


def event_day(*, occurred_on: date | None, known_on: date | None) -> date | None:
    """The day an event is judged by: when it happened, else (left empty) when it became known."""
    return occurred_on or known_on
