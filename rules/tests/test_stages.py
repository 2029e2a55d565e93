"""Issue 19: whether an event lies within an election's supervised stages (rules.stages)."""

from datetime import date

import pytest

from rules.catalog import default_catalog
from rules.stages import event_day, outside_every_period, supervised_period

PEMILU = (date(2022, 6, 14), date(2024, 10, 20))
PILKADA = (date(2024, 1, 26), date(2024, 12, 16))


@pytest.mark.parametrize(("day", "periods", "outside"), [
    pytest.param(date(2024, 11, 10), [PEMILU, PILKADA], False, id="inside-both"),
    pytest.param(date(2024, 12, 16), [PEMILU, PILKADA], False, id="last-day-counts"),
    pytest.param(date(2022, 6, 14), [PEMILU, PILKADA], False, id="first-day-counts"),
    pytest.param(date(2024, 12, 17), [PEMILU, PILKADA], True, id="day-after-the-last"),
    pytest.param(date(2022, 6, 13), [PEMILU, PILKADA], True, id="day-before-the-first"),
    pytest.param(date(2026, 3, 1), [PEMILU, PILKADA], True, id="years-later"),
    pytest.param(date(2026, 3, 1), [PEMILU, None], False, id="an-election-without-a-period-rules-nothing-out"),
    pytest.param(date(2026, 3, 1), [], False, id="no-election"),
])
def test_outside_every_period(day, periods, outside):
    assert outside_every_period(day, periods) is outside


@pytest.mark.parametrize(("occurred", "known", "day"), [
    pytest.param(date(2024, 11, 10), date(2025, 2, 1), date(2024, 11, 10), id="when-it-happened"),
    pytest.param(None, date(2025, 2, 1), date(2025, 2, 1), id="else-when-it-became-known"),
    pytest.param(None, None, None, id="nothing"),
])
def test_an_event_is_judged_by_the_day_it_happened_else_the_day_it_became_known(occurred, known, day):
    assert event_day(occurred_on=occurred, known_on=known) == day


def test_each_election_in_the_data_gives_its_supervised_stages_around_its_voting_day():
    for election in default_catalog().elections.values():
        start, end = supervised_period(election)
        assert start < election.voting_day <= end, election.id


@pytest.mark.django_db
def test_an_inactive_election_no_longer_keeps_its_days_within_the_stages(rules):
    from rules.models import Election
    from rules.selectors import event_outside_supervised_stages

    assert not event_outside_supervised_stages(date(2023, 5, 1))  # Pemilu 2024's stages
    Election.objects.filter(pk="pemilu-2024").update(active=False)
    assert event_outside_supervised_stages(date(2023, 5, 1))
    assert not event_outside_supervised_stages(date(2024, 11, 10))  # Pilkada 2024's stages
