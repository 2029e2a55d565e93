"""The pure rules of the compliance figures: classes, medians, rates, the roll-up to regions."""

from datetime import date

import pytest

from followup import compliance
from followup.compliance import Figures, bar_segments, classify, median, region_chain, roll_up, tally

TODAY = date(2024, 12, 9)
DUE = date(2024, 12, 5)


@pytest.mark.parametrize(("is_open", "closed_on", "due_on", "expected"), [
    pytest.param(False, date(2024, 12, 4), DUE, "in_time", id="closed-before-the-deadline"),
    pytest.param(False, DUE, DUE, "in_time", id="closed-on-the-deadline-day"),
    pytest.param(False, date(2024, 12, 6), DUE, "late", id="closed-the-day-after"),
    pytest.param(True, None, DUE, "ignored", id="open-past-the-deadline"),
    pytest.param(True, None, date(2024, 12, 8), "ignored", id="open-deadline-was-yesterday"),
    pytest.param(True, None, TODAY, "pending", id="open-deadline-is-today"),
    pytest.param(True, None, date(2024, 12, 12), "pending", id="open-not-yet-due"),
])
def test_a_recommendation_is_in_exactly_one_class(is_open, closed_on, due_on, expected):
    assert classify(is_open=is_open, closed_on=closed_on, due_on=due_on, today=TODAY) == expected


def test_a_closed_recommendation_without_its_day_is_an_error():
    with pytest.raises(ValueError):
        classify(is_open=False, closed_on=None, due_on=DUE, today=TODAY)


@pytest.mark.parametrize(("values", "expected"), [
    pytest.param([], None, id="none"),
    pytest.param([4], 4.0, id="one"),
    pytest.param([7, 2], 4.5, id="two-mean-of-the-middle"),
    pytest.param([10, 3, 3, 3], 3.0, id="even-count-same-middle"),
    pytest.param([5, 1, 9], 5.0, id="odd-count-unsorted"),
    pytest.param([0, 1, 2, 30], 1.5, id="an-outlier-does-not-move-it"),
])
def test_median_matches_percentile_cont(values, expected):
    assert median(values) == expected


def test_days_between_counts_calendar_days_and_knows_nothing_of_missing_dates():
    assert compliance.days_between(date(2024, 11, 29), date(2024, 12, 2)) == 3
    assert compliance.days_between(None, date(2024, 12, 2)) is None
    assert compliance.days_between(date(2024, 12, 2), None) is None


def test_rates_are_shares_of_what_is_due_and_empty_when_nothing_is():
    figures = tally(["in_time", "late", "ignored", "pending"])
    assert figures == Figures(received=4, in_time=1, late=1, ignored=1, pending=1)
    assert figures.due == 3 and figures.acted == 2
    assert (figures.in_time_percent, figures.late_percent, figures.ignored_percent) == (33.3, 33.3, 33.3)
    only_pending = tally(["pending", "pending"])
    assert only_pending.in_time_rate is None and only_pending.in_time_percent is None


def test_tally_refuses_an_unknown_class():
    with pytest.raises(ValueError):
        tally(["forgotten"])


def test_region_chain_lists_the_regions_above_top_first():
    assert region_chain("19.06.01") == ["19", "19.06", "19.06.01"]
    assert region_chain("19") == ["19"]


def test_roll_up_puts_regencies_into_their_province_and_leaves_the_country_out():
    rows = [("19.06", Figures(received=4, in_time=1, late=1, ignored=1, pending=1)),
            ("19.01", Figures(received=1, in_time=1)),
            ("19.06.01", Figures(received=2, ignored=2)),  # a district agency counts in its regency
            ("ID", Figures(received=5, pending=5))]       # the authority: no region row
    totals = roll_up(rows)
    assert list(totals) == ["19", "19.01", "19.06"]
    assert totals["19"].figures == Figures(received=7, in_time=2, late=1, ignored=3, pending=1)
    assert totals["19"].agencies == 3
    assert totals["19.06"].figures == Figures(received=6, in_time=1, late=1, ignored=3, pending=1)
    assert list(roll_up(rows, depth=1)) == ["19"]


def test_bar_segments_follow_each_other_and_skip_empty_classes():
    segments = bar_segments(Figures(received=4, in_time=1, late=0, ignored=1, pending=2))
    assert [(s.name, s.x, s.width, s.count) for s in segments] == [
        ("in_time", 0.0, 25.0, 1), ("ignored", 25.0, 25.0, 1), ("pending", 50.0, 50.0, 2)]
    assert bar_segments(Figures()) == []
