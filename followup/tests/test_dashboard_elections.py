"""The compliance dashboard's agencies for one election beside the previous one (issue 19, seed 003)."""

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

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


# --- Paged by agency (issue 20) -------------------------------------------------------------------

def _reported_agencies(case, region, count, *, prefix):
    """``count`` agencies in ``region``, each with one employee reported in ``case``: bulk inserts."""
    from cases.models import CasePerson
    from netral.tests.growth import many_agencies
    from registry import identity
    from registry.models import Employee

    agencies = many_agencies(region, count, prefix=prefix)
    employees = Employee.objects.bulk_create([
        Employee(kind=Employee.Kind.CONTRACT, nip=None, name=f"Pegawai {agency.name}", position="Pengemudi",
                 agency=agency, active=True, register_number=identity.new_register_number())
        for agency in agencies])
    CasePerson.objects.bulk_create([CasePerson(case=case, employee=employee, name=employee.name)
                                    for employee in employees])
    return agencies


def _all_pages(user, flt, per_page):
    first = election_comparison(user, flt, today=TODAY, page=1, per_page=per_page)
    rows = list(first.agencies)
    for number in first.page.paginator.page_range[1:]:
        rows += election_comparison(user, flt, today=TODAY, page=number, per_page=per_page).agencies
    return first.page.paginator, rows


def test_the_pages_hold_every_agency_once_and_the_same_figures(earlier, recommended, staff_babel, election, places):
    _reported_agencies(recommended.case, places["bangka"], 12, prefix="Dinas Contoh")
    flt = DashboardFilter(election=election)
    whole = election_comparison(staff_babel, flt, today=TODAY)
    assert whole.page is None and len(whole.agencies) == 13
    paginator, rows = _all_pages(staff_babel, flt, per_page=5)
    assert paginator.count == 13 and paginator.num_pages == 3
    assert [row.agency_id for row in rows] == [row.agency_id for row in whole.agencies]
    assert [(_figures(row, "current"), _figures(row, "previous")) for row in rows] == [
        (_figures(row, "current"), _figures(row, "previous")) for row in whole.agencies]
    for which in ("current", "previous"):  # the totals over the pages are the unpaged totals
        assert [sum(column) for column in zip(*(_figures(row, which) for row in rows))] == [
            sum(column) for column in zip(*(_figures(row, which) for row in whole.agencies))]
    beltim = next(row for row in rows if row.name == "Pemerintah Kabupaten Belitung Timur")
    assert _figures(beltim, "current") == (1, 1, 1, 1, 0, 0) and _figures(beltim, "previous") == (2, 2, 1, 0, 0, 0)
    # A wrong or too large page number gives the nearest page, as the other lists do.
    assert election_comparison(staff_babel, flt, today=TODAY, page="99", per_page=5).page.number == 3
    assert election_comparison(staff_babel, flt, today=TODAY, page="x", per_page=5).page.number == 1


def test_the_pages_stay_within_the_jurisdiction(earlier, recommended, staff_bangka, election, places):
    _reported_agencies(recommended.case, places["bangka"], 30, prefix="Dinas Contoh")
    comparison = election_comparison(staff_bangka, DashboardFilter(election=election), today=TODAY, per_page=25)
    assert comparison.agencies == [] and comparison.page.paginator.count == 0


def test_the_comparison_does_not_grow_with_300_more_agencies(earlier, recommended, client, staff_babel, election,
                                                               places):
    from netral.tests.growth import assert_page_does_not_grow

    # A full page already (25 agencies and more), then 300 more: the page keeps 25 agencies.
    _reported_agencies(recommended.case, places["bangka"], 30, prefix="Dinas Contoh A")
    client.force_login(staff_babel)
    url = f"/staf/kepatuhan/?election={election.pk}"
    first = client.get(url).content.decode()
    assert first.count('data-row="election-') == 25 * 6 and 'id="election-pages"' in first

    assert_page_does_not_grow(client, url, grow=lambda: _reported_agencies(
        recommended.case, places["bangka"], 300, prefix="Dinas Contoh B"))
    page = client.get(url).content.decode()
    assert page.count('data-row="election-') == 25 * 6
    last = client.get(f"{url}&election_page=14").content.decode()  # 331 agencies: 13 pages of 25 and 6
    assert last.count('data-row="election-') == 6 * 6


def test_the_pager_links_keep_the_filters(earlier, recommended, client, staff_babel, election, places):
    _reported_agencies(recommended.case, places["bangka"], 60, prefix="Dinas Contoh")
    client.force_login(staff_babel)
    page = client.get("/staf/kepatuhan/", {"election": election.pk, "stage": "ppk", "region": "19",
                                           "election_page": "2"})
    assert page.status_code == 200
    html = page.content.decode()
    nav = html[html.index('id="election-pages"'):]
    nav = nav[:nav.index("</nav>")]
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]*)"', nav)]
    assert len(links) == 2  # 61 agencies: page 2 of 3, a previous and a next page
    for link, number in zip(links, ("1", "3")):
        query = parse_qs(urlsplit(link).query)
        assert query == {"election": [election.pk], "stage": ["ppk"], "region": ["19"], "election_page": [number]}
        assert link.endswith("#election-comparison")
    # The export is not paged: the comparison's page number changes nothing in it.
    export = re.search(r'id="export-csv" href="([^"]*)"', html).group(1).replace("&amp;", "&")
    assert "election=" in export
    unpaged = client.get(export.replace("election_page=2", "")).content
    assert client.get(export).content == unpaged
