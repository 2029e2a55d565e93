"""The compliance dashboard filtered by election: a recommendation belongs to the election of its case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from followup.dashboard import DashboardFilter, dashboard_for
from followup.tallies import tallies_rebuild
from followup.tests.test_dashboard import ON, _more, lead_bangka, pemda_bangka, scenario  # noqa: F401 (fixtures re-used)
from rules.models import Election

pytestmark = pytest.mark.django_db


def test_the_figures_of_one_election_leave_out_the_others(scenario, staff_babel, places, election):
    other = Election.objects.exclude(pk=election.pk).order_by("-voting_day").first()
    Case.objects.filter(region__code__startswith="19.01").update(
        election=other
    )  # Bangka's case: another election
    tallies_rebuild()  # a case's election changed past the services (the precomputed figures follow)
    assert dashboard_for(staff_babel, DashboardFilter(), today=ON).total.received == 5
    assert dashboard_for(staff_babel, DashboardFilter(election=election), today=ON).total.received == 4
    board = dashboard_for(staff_babel, DashboardFilter(election=other), today=ON)
    assert board.total.received == 1 and [row.name for row in board.agencies] == [
        "Pemerintah Kabupaten Bangka"
    ]


def test_the_page_and_export_take_the_election_and_say_it(scenario, client, staff_babel, election):
    other = Election.objects.exclude(pk=election.pk).first()
    client.force_login(staff_babel)
    page = client.get("/staf/kepatuhan/", {"election": other.pk})
    assert page.status_code == 200 and "Pemerintah Kabupaten Belitung Timur</th>" not in page.content.decode()
    export = client.get("/staf/kepatuhan/unduh.csv", {"election": election.pk}).content.decode("utf-8-sig")
    assert election.title in export
    assert client.get("/staf/kepatuhan/", {"election": "no-such-election"}).status_code == 400


def test_the_query_count_with_an_election_does_not_grow(recommended, client, admin_national):
    election = recommended.case.election
    _more(recommended, 1)
    client.force_login(admin_national)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/staf/kepatuhan/", {"election": election.pk}).status_code == 200
    _more(recommended, 28)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/staf/kepatuhan/", {"election": election.pk})
    assert page.status_code == 200 and len(many) == len(few)
    assert dashboard_for(admin_national, DashboardFilter(election=election)).total.received == 30
