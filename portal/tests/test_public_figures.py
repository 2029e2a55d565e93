"""Issue 20: the public statistics read stored figures (followup.public_figures), equal to the live counts.

The stored figures are compared with the same figures computed live (``live=True``: the grouped
queries on the live rows) on varied data: two elections, two provinces, a case placed at a
province itself, small counts (K=5) and exact ones (K=1), and an empty installation. A refresh
queued by a page that read stale figures changes the page; of many stale reads one queues it.
"""

import dataclasses
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases.models import Case
from followup.models import PublicFigure, PublicFiguresState
from followup.public import region_figures, statistics_public
from followup.public_figures import (
    STATE_ID,
    is_stale,
    public_figures_rebuild,
    public_figures_refresh_request,
    public_figures_snapshot,
)
from portal.tests.test_followup_register import _copies
from regions.models import Region
from reports.models import Report

pytestmark = pytest.mark.django_db

STATISTICS = reverse("portal:statistics")
BABEL = reverse("portal:statistics_province", args=["19"])


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    """Tasks queued in the database, as in production: a test runs the worker when it means to."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _stored_equals_live(*, elections=("", "pilkada-2024", "pemilu-2024"), provinces=("19", "32", "11")):
    public_figures_rebuild()
    today = timezone.localdate()
    for election in elections:
        for regencies in (False, True):
            stored = statistics_public(election=election, regencies=regencies)
            live = statistics_public(election=election, regencies=regencies, live=True, today=today)
            assert stored.as_of is not None and live.as_of is None
            assert dataclasses.replace(stored, as_of=None) == live, (election, regencies)
        for code in provinces:
            province = Region.objects.filter(code=code).first() or Region(code=code, name=code, level=1)
            stored = region_figures(province=province, election=election)
            live = region_figures(province=province, election=election, live=True, today=today)
            assert dataclasses.replace(stored, as_of=None) == live, (election, code)


@pytest.fixture
def varied(published):
    """``published`` (Bangka Belitung, pilkada-2024) and more: copies, some moved to another election,
    to West Java (two regencies: one of a single recommendation), and one case at the province itself."""
    country = Region.objects.filter(level=Region.Level.COUNTRY).first()
    jabar = Region.objects.create(code="32", name="Jawa Barat", level=Region.Level.PROVINCE, parent=country)
    bogor = Region.objects.create(code="32.01", name="Kabupaten Bogor", level=Region.Level.REGENCY, parent=jabar)
    bandung = Region.objects.create(code="32.73", name="Kota Bandung", level=Region.Level.REGENCY, parent=jabar)
    _copies(published["sanctioned"], 7)
    _copies(published["overdue"], 6)
    _copies(published["late"], 3)
    cases = list(Case.objects.filter(recommendations__stage="ppk").distinct().order_by("pk")
                  .values_list("pk", flat=True))
    # Whole cases (with their reports) move: to another election, another province, the province itself.
    moves = [(published["pending"].case_id, {"election_id": "pemilu-2024", "region": bogor}),
             (published["refused"].case_id, {"region": bandung}),
             (published["late"].case_id, {"region": Region.objects.get(code="19"), "election_id": "pemilu-2024"})]
    for case_id, fields in moves:
        Case.objects.filter(pk=case_id).update(**fields)
        Report.objects.filter(case_link__case_id=case_id).update(**fields)
    assert len(cases) == 5  # the copies are recommendations of the same five cases
    return published


@pytest.mark.parametrize("k", [5, 1], ids=["small-counts-withheld", "exact"])
def test_the_stored_figures_equal_the_live_computation(varied, settings, k):
    settings.NETRAL_PUBLIC_K_ANONYMITY = k
    _stored_equals_live()
    stats = statistics_public()
    assert stats.figure("totals", "recommendations") == 21
    assert {r.key for r in statistics_public(regencies=True).regions} == {"19.01", "19.06", "19", "32.01", "32.73"}
    assert statistics_public(election="pemilu-2024").figure("totals", "recommendations") == 5
    # A second rebuild writes only what changed: rows gone (Bandung's case left it), counts changed, rows added.
    moved = varied["refused"].case_id
    Case.objects.filter(pk=moved).update(election_id="pemilu-2024", region=Region.objects.get(code="19.01"))
    Report.objects.filter(case_link__case_id=moved).update(election_id="pemilu-2024",
                                                           region=Region.objects.get(code="19.01"))
    _stored_equals_live()
    assert not PublicFigure.objects.filter(area="32.73").exists()
    assert PublicFigure.objects.count() == len({(f.election_id, f.area, f.measure, f.detail)
                                                for f in PublicFigure.objects.all()})


def test_the_stored_figures_of_an_empty_installation_are_empty_and_equal(db, settings):
    _stored_equals_live(elections=("", "pilkada-2024"), provinces=("19",))
    assert PublicFigure.objects.count() == 0
    stats = statistics_public()
    assert all(f.count == 0 for f in stats.totals) and not stats.regions and not stats.violations


def test_without_figures_the_page_computes_and_stores_them(client, published):
    assert not PublicFiguresState.objects.exists()
    response = client.get(STATISTICS)
    assert response.context["stats"].figure("totals", "recommendations") == 5
    state = PublicFiguresState.objects.get(pk=STATE_ID)
    assert state.computed_at is not None and PublicFigure.objects.exists()
    assert not DBTaskResult.objects.exists()  # computed in the request: nothing queued
    page = re.sub(r"\s+", " ", response.content.decode())
    assert 'id="figures-as-of"' in page
    assert timezone.localtime(state.computed_at).strftime("%H:%M") in page


def _run_queued_tasks() -> None:
    """What ``manage.py db_worker`` does with each queued task (the worker itself closes the test's connection)."""
    for queued in DBTaskResult.objects.order_by("enqueued_at"):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        queued.delete()


def _recommendations_on(client, url) -> int:
    return client.get(url).context["stats"].figure("totals", "recommendations")


def test_a_refresh_after_new_data_changes_the_page(client, published, time_machine, settings):
    settings.NETRAL_PUBLIC_FIGURES_MAX_AGE = 60
    assert _recommendations_on(client, STATISTICS) == 5
    _copies(published["sanctioned"], 20)
    assert _recommendations_on(client, STATISTICS) == 5  # fresh figures are served as stored
    assert not DBTaskResult.objects.exists()
    time_machine.shift(timedelta(seconds=61))
    assert _recommendations_on(client, STATISTICS) == 5  # stale: served, and one refresh queued
    assert DBTaskResult.objects.count() == 1
    province = client.get(BABEL).context["regions_total"]["recommendations"]
    assert province == 5 and DBTaskResult.objects.count() == 1  # the other pages find it queued
    _run_queued_tasks()
    assert _recommendations_on(client, STATISTICS) == 25
    assert client.get(BABEL).context["regions_total"]["recommendations"] == 25
    assert PublicFiguresState.objects.get().refresh_requested_at is None


def test_the_guard_queues_one_refresh_for_many_stale_reads(client, published, time_machine):
    public_figures_rebuild()
    time_machine.shift(timedelta(minutes=5))
    public_figures_snapshot()
    assert DBTaskResult.objects.count() == 1
    # While the refresh is claimed (a worker slow or stopped), a read is one SELECT, no write statement.
    for _read in range(4):
        with CaptureQueriesContext(connection) as queries:
            public_figures_snapshot()
        assert len(queries) == 1 and queries[0]["sql"].lstrip().upper().startswith("SELECT")
    assert DBTaskResult.objects.count() == 1
    assert public_figures_refresh_request() is False  # claimed
    # A claim older than the timeout is taken as a lost task: one more may be queued.
    time_machine.shift(timedelta(minutes=11))
    assert public_figures_refresh_request() is True and DBTaskResult.objects.count() == 2
    # Fresh figures: nothing to queue, claimed or not.
    public_figures_rebuild()
    assert public_figures_refresh_request() is False and DBTaskResult.objects.count() == 2


def test_figures_of_another_day_are_stale_whatever_their_age(settings):
    computed_at = timezone.make_aware(timezone.datetime(2024, 12, 6, 23, 59, 30))
    assert not is_stale(computed_at=computed_at, computed_on=computed_at.date(), now=computed_at + timedelta(seconds=20),
                        max_age=60)
    # Just past midnight (local time): a recommendation due yesterday is ignored now, no longer pending.
    assert is_stale(computed_at=computed_at, computed_on=computed_at.date(), now=computed_at + timedelta(seconds=40),
                    max_age=60)
    assert is_stale(computed_at=computed_at, computed_on=computed_at.date(), now=computed_at + timedelta(seconds=61),
                    max_age=60)


def test_a_rebuild_counts_with_its_own_day(published, time_machine):
    """The published fixture's pending recommendation is due 9 December: ignored once that day has passed."""
    public_figures_rebuild()
    assert statistics_public().figure("followup", "pending") == 1
    time_machine.move_to("2024-12-10 08:00 +07:00")
    public_figures_rebuild()
    stats = statistics_public()
    assert stats.figure("followup", "pending") == 0 and stats.figure("followup", "ignored") == 2
    assert str(stats.today) == "2024-12-10"


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries), len(response.content)


def test_the_query_count_is_fixed_as_the_rows_grow(client, varied):
    public_figures_rebuild()
    before = {url: _queries(client, url) for url in (STATISTICS, BABEL, "/api/v1/statistics")}
    _copies(varied["sanctioned"], 15)
    _copies(varied["overdue"], 15)
    public_figures_rebuild()
    assert statistics_public().figure("totals", "recommendations") == 51
    assert {url: _queries(client, url)[0] for url in before} == {url: count for url, (count, _size) in before.items()}


def test_the_nightly_command_rebuilds_and_audits(published):
    from audit.models import AuditEntry

    call_command("public_figures")
    assert AuditEntry.objects.filter(action="followup.public_figures_rebuilt").count() == 1
    assert PublicFiguresState.objects.get().computed_on == timezone.localdate()
