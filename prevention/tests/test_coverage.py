"""Issue 20: the pledges' coverage of a province or the country is read from stored figures
(prevention.coverage), equal to the live count; a regency office and a Pemda account count live.

The stored figures are compared with the same querysets counted live (``live_coverage_queries``) on
varied data: the hand-counted register of Belitung Timur and Bangka, contract staff, employees without
a unit, someone who moved after signing, a revoked pledge, an inactive signer, a second province, and
an election with pledges and one without.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from netral.tests.growth import assert_page_does_not_grow, many_employees
from organizations.models import Agency, BawasluOffice, Unit
from prevention import services
from prevention.coverage import (
    FIGURES,
    _store,
    compute_coverage,
    pledge_coverage_rebuild,
    pledge_coverage_refresh_request,
)
from prevention.models import Pledge, PledgeCoverage, PledgeCoverageState
from prevention.selectors import coverage_queries, live_coverage_queries
from regions.models import Region
from registry.factories import EmployeeFactory
from registry.models import Employee
from rules.models import Election

pytestmark = pytest.mark.django_db

PLEDGES = reverse("prevention:pledges")


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    """Tasks queued in the database, as in production: a test runs the worker when it means to."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def staff_ri(places):
    from conftest import _user

    office = BawasluOffice.objects.create(region=places["country"], name="Bawaslu Republik Indonesia",
                                          short_name="Bawaslu RI", number_code="RI")
    return _user("staf.ri", "bawaslu_staff", bawaslu_office=office)


def sign(employee, election):
    services.pledge_sign(employee=employee, election=election, typed_name=employee.name)


@pytest.fixture
def varied(register, election, agencies, places, pemda_beltim):
    """The hand-counted register (conftest) and more, with pledges for Pilkada 2024 only."""
    country = places["country"]
    jabar = Region.objects.create(code="32", name="Jawa Barat", level=Region.Level.PROVINCE, parent=country)
    bogor = Region.objects.create(code="32.01", name="Kabupaten Bogor", level=Region.Level.REGENCY, parent=jabar)
    agency_bogor = Agency.objects.create(name="Pemerintah Kabupaten Bogor", region=bogor)
    dinkes_bogor = Unit.objects.create(agency=agency_bogor, name="Dinas Kesehatan")  # a name Beltim has too
    people = dict(register)
    people["bogor"] = [EmployeeFactory(agency=agency_bogor, unit=dinkes_bogor) for _n in range(3)]
    people["contract"] = EmployeeFactory(kind=Employee.Kind.CONTRACT, nip=None, agency=agencies["beltim"],
                                         unit=agencies["dinkes_beltim"], position="Pengemudi")
    people["no_unit"] = EmployeeFactory(agency=agencies["bangka"], unit=None)
    for key in ("ani", "budi", "fajar", "indra", "no_unit", "contract"):
        sign(people[key], election)
    sign(people["bogor"][0], election)
    sign(people["eko_pensiun"], election)  # inactive: does not count
    services.pledge_revoke(pledge=Pledge.objects.get(employee=people["budi"]), actor=pemda_beltim, reason="keliru")
    # Gita moves to Bangka's unit after signing: she counts there.
    sign(people["gita"], election)
    Employee.objects.filter(pk=people["gita"].pk).update(agency=agencies["bangka"], unit=register["bangka_unit"])
    return people


def assert_stored_equals_live(user, elections):
    pledge_coverage_rebuild()
    for election in elections:
        stored = coverage_queries(user, election=election)
        live = live_coverage_queries(user, election=election)
        assert [list(queryset) for queryset in stored] == [list(queryset) for queryset in live], election.pk
        assert stored[0].model is PledgeCoverage  # read from the stored rows indeed


def test_the_stored_coverage_equals_the_live_count_for_a_province_and_the_country(varied, staff_babel, staff_ri,
                                                                                   pemda_beltim):
    elections = list(Election.objects.filter(pk__in=["pilkada-2024", "pemilu-2024"]))
    assert len(elections) == 2
    assert_stored_equals_live(staff_babel, elections)
    assert_stored_equals_live(staff_ri, elections)
    pilkada = Election.objects.get(pk="pilkada-2024")
    by_unit, by_agency = coverage_queries(staff_ri, election=pilkada)
    # By hand: Beltim 4 Dinkes + contract, Manggar fajar and hadi (gita left); Bangka 2 + gita + one without unit.
    assert {row["agency__name"]: (row["active"], row["signed"], row["contract_active"], row["contract_signed"])
            for row in by_agency} == {"Pemerintah Kabupaten Belitung Timur": (7, 3, 1, 1),
                                      "Pemerintah Kabupaten Bangka": (4, 3, 0, 0),
                                      "Pemerintah Kabupaten Bogor": (3, 1, 0, 0)}
    assert len(by_unit) == 5  # two "Dinas Kesehatan", apart; the unit-less row of Bangka
    pemilu = Election.objects.get(pk="pemilu-2024")
    assert {row["agency__name"]: row["signed"] for row in coverage_queries(staff_ri, election=pemilu)[1]} == {
        "Pemerintah Kabupaten Belitung Timur": 0, "Pemerintah Kabupaten Bangka": 0, "Pemerintah Kabupaten Bogor": 0}
    # The province sees its own agencies only.
    assert {row["agency__name"] for row in coverage_queries(staff_babel, election=pilkada)[1]} == {
        "Pemerintah Kabupaten Belitung Timur", "Pemerintah Kabupaten Bangka"}
    # Changed again (a pledge, a revocation, a unit emptied): still equal.
    sign(varied["joko"], pilkada)
    services.pledge_revoke(pledge=Pledge.objects.get(employee=varied["ani"]), actor=pemda_beltim, reason="keliru")
    Employee.objects.filter(pk__in=[p.pk for p in varied["bogor"]]).update(active=False)
    assert_stored_equals_live(staff_ri, [pilkada, pemilu])
    assert not PledgeCoverage.objects.filter(agency__name="Pemerintah Kabupaten Bogor").exists()


def test_an_asn_who_signed_again_after_a_revocation_counts_once(varied, staff_beltim, staff_ri, election):
    """The live count joins each employee to its valid pledge (prevention.coverage.employees_with_pledge):
    a revoked pledge is not one, and a second valid one cannot exist (pledge_once_per_election)."""
    def beltim():
        return next((row["active"], row["signed"]) for row in live_coverage_queries(staff_beltim, election=election)[1]
                    if row["agency__name"] == "Pemerintah Kabupaten Belitung Timur")

    active, signed = beltim()
    sign(varied["budi"], election)  # revoked in ``varied``, signed again
    assert Pledge.objects.filter(employee=varied["budi"], election=election).count() == 2
    assert beltim() == (active, signed + 1)
    assert_stored_equals_live(staff_ri, [election])


def test_the_live_count_is_one_grouping_joining_each_employee_to_its_pledge(staff_beltim, election, varied):
    """On PostgreSQL an EXISTS per employee became a hashed sub-plan over every valid pledge of the election in
    the country (270 ms for a regency at 240,000 pledges; docs/performance.md): the query is a LEFT JOIN, tested
    on the pledge's employee (in the index of pledge_once_per_election), and the agencies are its sums."""
    with CaptureQueriesContext(connection) as captured:
        by_unit, by_agency = live_coverage_queries(staff_beltim, election=election)
    [query] = captured.captured_queries
    assert 'LEFT OUTER JOIN "prevention_pledge"' in query["sql"] and "EXISTS" not in query["sql"]
    assert '"employee_id" IS NOT NULL' in query["sql"]
    assert by_agency == [{"agency_id": agency, "agency__name": name, **{
        figure: sum(row[figure] for row in by_unit if row["agency_id"] == agency) for figure in FIGURES}}
        for agency, name in dict((row["agency_id"], row["agency__name"]) for row in by_unit).items()]


def test_an_installation_without_employees_stores_nothing_and_agrees(staff_ri, election):
    assert_stored_equals_live(staff_ri, [election])
    assert not PledgeCoverage.objects.exists() and PledgeCoverageState.objects.get().computed_at is not None


def test_without_figures_the_province_page_computes_and_stores_them(client, varied, staff_babel):
    client.force_login(staff_babel)
    response = client.get(PLEDGES)
    state = PledgeCoverageState.objects.get()
    assert state.computed_at is not None and PledgeCoverage.objects.exists()
    assert not DBTaskResult.objects.exists()  # computed in the request: nothing queued
    assert {row.label: (row.active, row.signed) for row in response.context["agencies"]} == {
        "Pemerintah Kabupaten Belitung Timur": (7, 3), "Pemerintah Kabupaten Bangka": (4, 3)}
    page = re.sub(r"\s+", " ", response.content.decode())
    assert 'id="coverage-as-of"' in page
    assert timezone.localtime(state.computed_at).strftime("%H:%M") in page


def test_a_province_page_reads_the_stored_rows_and_does_not_grow(client, varied, staff_babel, agencies):
    client.force_login(staff_babel)

    def grow():
        many_employees(agencies["beltim"], agencies["dinkes_beltim"], 300)
        pledge_coverage_rebuild()

    assert_page_does_not_grow(client, PLEDGES, grow=grow)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PLEDGES)
    assert response.context["agencies"][1].active == 307  # Beltim, after Bangka
    # The coverage tables read the stored rows; no query groups the register.
    assert any("prevention_pledgecoverage" in query["sql"] for query in queries.captured_queries)
    assert not any('FROM "registry_employee"' in query["sql"] for query in queries.captured_queries)


def _run_queued_tasks() -> None:
    """What ``manage.py db_worker`` does with each queued task."""
    for queued in DBTaskResult.objects.order_by("enqueued_at"):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        queued.delete()


def _signed_in_beltim(client) -> int:
    agencies = client.get(PLEDGES).context["agencies"]
    return {row.label: row.signed for row in agencies}["Pemerintah Kabupaten Belitung Timur"]


def test_stale_figures_are_served_and_queue_exactly_one_refresh(client, varied, staff_babel, staff_ri, election,
                                                                 time_machine, settings):
    settings.NETRAL_COVERAGE_MAX_AGE = 60
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(staff_babel)
    assert _signed_in_beltim(client) == 3
    sign(varied["hadi"], election)
    assert _signed_in_beltim(client) == 3  # fresh figures are served as stored
    assert not DBTaskResult.objects.exists()
    time_machine.shift(timedelta(seconds=61))
    assert _signed_in_beltim(client) == 3  # stale: served, and one refresh queued
    assert DBTaskResult.objects.count() == 1
    client.force_login(staff_ri)
    assert _signed_in_beltim(client) == 3 and DBTaskResult.objects.count() == 1  # the others find it queued
    # While it is claimed, a read is one SELECT of the state, no write statement.
    with CaptureQueriesContext(connection) as queries:
        coverage_queries(staff_ri, election=election)
    assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in queries.captured_queries)
    assert pledge_coverage_refresh_request() is False
    _run_queued_tasks()
    assert _signed_in_beltim(client) == 4
    assert PledgeCoverageState.objects.get().refresh_requested_at is None
    # A claim older than the timeout is taken as a lost task: one more may be queued.
    time_machine.shift(timedelta(minutes=2))
    assert pledge_coverage_refresh_request() is True
    time_machine.shift(timedelta(minutes=11))
    assert pledge_coverage_refresh_request() is True and DBTaskResult.objects.count() == 2


def test_a_refresh_writes_only_the_rows_that_changed(varied, election, agencies):
    pledge_coverage_rebuild()
    before = dict(PledgeCoverage.objects.values_list("pk", "signed_count"))
    manggar = PledgeCoverage.objects.filter(election=election, unit=agencies["camat_manggar"])
    old = manggar.get()
    assert _store(compute_coverage()) == 0  # nothing changed: nothing written
    sign(varied["hadi"], election)
    assert _store(compute_coverage()) == 2  # Kecamatan Manggar's row for Pilkada 2024, and Belitung Timur's
    after = dict(PledgeCoverage.objects.values_list("pk", "signed_count"))
    new = manggar.get()
    # That row replaced (deleted and added again: netral.stored_figures), every other one untouched.
    assert (set(before) - set(after), set(after) - set(before)) == ({old.pk}, {new.pk})
    assert new.signed_count == old.signed_count + 1
    assert {pk: count for pk, count in after.items() if pk != new.pk} == {
        pk: count for pk, count in before.items() if pk != old.pk}
    # A new unit is a row added (per election offered), an emptied one a row deleted.
    puskesmas = Unit.objects.create(agency=agencies["beltim"], name="Puskesmas Manggar")
    Employee.objects.filter(pk=varied["hadi"].pk).update(unit=puskesmas)
    Employee.objects.filter(pk=varied["no_unit"].pk).update(active=False)
    offered = Election.objects.filter(active=True).count()
    # Manggar's rows change (hadi left), Puskesmas' are added, Bangka's unit-less rows go and Bangka's
    # sums change (Belitung Timur's stay: hadi is still one of its employees).
    assert _store(compute_coverage()) == 4 * offered
    assert PledgeCoverage.objects.filter(unit=puskesmas).count() == offered
    assert not PledgeCoverage.objects.filter(unit=None).exists()


def test_a_regency_office_and_a_pemda_account_count_live(client, varied, staff_beltim, pemda_beltim, staff_babel,
                                                        election):
    client.force_login(staff_babel)
    client.get(PLEDGES)  # the province's figures stored
    for user in (staff_beltim, pemda_beltim):
        client.force_login(user)
        before = _signed_in_beltim(client)
        sign(varied["hadi" if user is staff_beltim else "cici"], election)
        response = client.get(PLEDGES)
        assert {row.label: row.signed for row in response.context["agencies"]}[
            "Pemerintah Kabupaten Belitung Timur"] == before + 1  # at once
        assert response.context["coverage_as_of"] is None
        assert 'id="coverage-as-of"' not in response.content.decode()
        assert isinstance(coverage_queries(user, election=election)[0], list)  # counted, not read from stored rows
    assert not DBTaskResult.objects.exists()


def test_the_nightly_command_rebuilds_and_audits(varied):
    from audit.models import AuditEntry

    call_command("pledge_coverage", stdout=io.StringIO())
    entry = AuditEntry.objects.get(action="pledge.coverage_rebuilt")
    assert entry.data["rows"] == PledgeCoverage.objects.count() > 0
    assert PledgeCoverageState.objects.get().refresh_requested_at is None


def test_a_rebuild_that_started_before_the_last_one_committed_writes_nothing(varied, election, time_machine):
    pledge_coverage_rebuild()
    PledgeCoverageState.objects.update(computed_at=timezone.now() + timedelta(minutes=1))  # a later rebuild's
    sign(varied["hadi"], election)
    pledge_coverage_rebuild()
    manggar = PledgeCoverage.objects.get(election=election, unit__name="Kecamatan Manggar")
    assert manggar.signed_count == 1  # fajar alone: hadi's pledge waits for the next rebuild


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_the_live_count_can_read_the_register_and_the_pledges_from_their_indexes_alone(pemda_beltim, election):
    """registry's employee_active_coverage and the index of pledge_once_per_election hold every column the
    live count reads: a large regency's employees are not fetched page by page from a register of millions."""
    from prevention.coverage import coverage_figures, employees_with_pledge

    queryset = (employees_with_pledge(Employee.objects.filter(active=True, agency_id=pemda_beltim.agency_id),
                                      election=election)
                .values("unit_id", "agency_id").annotate(**coverage_figures()).order_by())
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Small tables: every way but index-only scans in nested loops made dear, so that the plan says whether
        # the indexes can serve the query alone (which one the planner picks on a few rows depends on statistics).
        for way in ("seqscan", "indexscan", "bitmapscan", "hashjoin", "mergejoin"):
            cursor.execute(f"SET LOCAL enable_{way} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using employee_active_coverage on registry_employee" in plan, plan
    assert "Index Only Scan using pledge_once_per_election on prevention_pledge" in plan, plan
