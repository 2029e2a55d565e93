"""The compliance dashboard's agencies for one election beside the previous one (issue 19, seed 003)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from followup.dashboard import DashboardFilter
from followup.dashboard_elections import election_comparison, previous_election
from followup.tallies import tallies_rebuild
from followup.tests.conftest import forward_case
from reports.services import ReportedPersonInput
from rules.models import Election

pytestmark = pytest.mark.django_db
TODAY = date(2024, 12, 2)


@pytest.fixture
def pemilu(rules):
    return Election.objects.get(pk="pemilu-2024")


@pytest.fixture
def earlier(recommended, places, election, pemilu, staff_beltim, lead_beltim, camat):
    """Besides the Pilkada's recommended case: two Pemilu cases about the camat, one of them forwarded."""
    persons = [ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)]
    cases = [forward_case(region=places["manggar"], election=election, staff=staff_beltim, lead=lead_beltim,
                          persons=persons) for _ in range(2)]
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(election=pemilu)
    Case.objects.filter(pk=cases[1].pk).update(outcome=Case.Outcome.NOT_VIOLATION)
    tallies_rebuild()  # elections changed past the services: the precomputed figures as after a bulk load
    return cases


def _figures(row, which):
    figures = getattr(row, which)
    return (figures.reports, figures.cases, figures.violations, figures.received, figures.in_time, figures.sanctions)


def test_the_previous_election_is_the_one_voted_before(election, pemilu):
    assert previous_election(election) == pemilu and previous_election(pemilu) is None


def test_each_agency_has_both_elections_figures_and_the_change(earlier, staff_babel, election, agencies):
    comparison = election_comparison(staff_babel, DashboardFilter(election=election), today=TODAY)
    assert comparison.previous.pk == "pemilu-2024"
    [row] = comparison.agencies
    assert row.name == agencies["beltim"].name
    assert _figures(row, "current") == (1, 1, 1, 1, 0, 0)
    assert _figures(row, "previous") == (2, 2, 1, 0, 0, 0)
    assert {change.name: change.delta for change in row.changes}["cases"] == -1


def test_no_election_no_comparison(earlier, staff_babel):
    assert election_comparison(staff_babel, DashboardFilter(), today=TODAY) is None


def test_another_regency_counts_nothing_of_belitung_timur(earlier, staff_bangka, election):
    assert election_comparison(staff_bangka, DashboardFilter(election=election), today=TODAY).agencies == []


def test_the_agencys_own_staff_see_their_agency(earlier, pemda_beltim, election, agencies):
    [row] = election_comparison(pemda_beltim, DashboardFilter(election=election), today=TODAY).agencies
    assert row.agency_id == agencies["beltim"].pk and row.previous.cases == 2


def test_the_page_shows_the_comparison_and_its_queries_do_not_grow(earlier, client, staff_babel, election, places,
                                                                    pemilu, staff_beltim, lead_beltim, agencies):
    from registry.factories import EmployeeFactory

    client.force_login(staff_babel)
    assert 'id="election-comparison"' not in client.get("/staf/kepatuhan/").content.decode()
    with CaptureQueriesContext(connection) as few:
        page = client.get("/staf/kepatuhan/", {"election": election.pk})
    assert page.status_code == 200 and 'id="election-comparison"' in page.content.decode()
    for _ in range(3):
        person = EmployeeFactory(agency=agencies["bangka"])
        forward_case(region=places["sungailiat"], election=election, staff=staff_beltim, lead=lead_beltim,
                     persons=[ReportedPersonInput(name=person.name, employee=person)])
    with CaptureQueriesContext(connection) as many:
        page = client.get("/staf/kepatuhan/", {"election": election.pk})
    assert page.status_code == 200 and f'data-row="election-{agencies["bangka"].pk}-cases"' in page.content.decode()
    assert len(many) == len(few)
