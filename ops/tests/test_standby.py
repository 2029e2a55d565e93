"""The read replica against a real PostgreSQL standby, streaming from a real primary.

Run by ``make replica-check`` (ops/standby.py), which makes both clusters, migrates the database
``netral`` on the primary and sets DATABASE_URL, DATABASE_REPLICA_URL and NETRAL_STANDBY_PGDATA;
skipped anywhere else (and the check fails when anything here is skipped).

Which database: the one the script migrated, as it is, never a pytest-django test database.
A test database would be created on the primary only (the standby is read-only), and the
"replica" alias, a TEST MIRROR of default, would be pointed at the primary too: nothing would
be read from the standby. So no test here asks for pytest-django's ``db``: a module fixture
lifts the block on database access, the cast is made once through the real services, every
write commits at once (autocommit, as in production) and streams to the standby, and the
clusters are thrown away after the run. The tests share that data and run in this order;
the last one stops the standby (and starts it again).

Replay is held with ``pg_wal_replay_pause()`` on the standby: the standby then receives the
primary's WAL but does not apply it, which is a lagging replica, made on purpose.
"""

import logging
import os
import time
from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from netral.db import REPLICA, forget_replica_health, replica, replica_health

pytestmark = pytest.mark.skipif(
    not os.environ.get("NETRAL_STANDBY_PGDATA") or not os.environ.get("DATABASE_REPLICA_URL"),
    reason="needs the real standby made by make replica-check (ops/standby.py)")

DASHBOARD = "/staf/kepatuhan/"
STATISTICS = "/statistik/"
SET_UP_ON = "2024-12-02 10:00 +07:00"  # after the pilkada, when BKN answers forwardings (followup tests)


# --- the clusters ---------------------------------------------------------------------------------

def standby_cluster():
    from ops.standby import Cluster

    return Cluster(os.environ["NETRAL_STANDBY_PGDATA"])


def on_primary(sql: str):
    with connections["default"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def on_standby(sql: str, params=()):
    """A statement on the standby through a connection of its own (not Django's replica alias)."""
    with standby_cluster().connect("netral") as conn:
        return conn.execute(sql, params).fetchone()[0]


def wait_until(what: str, condition, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


def wait_replayed():
    """Until the standby has replayed everything the primary has written so far."""
    lsn = on_primary("SELECT pg_current_wal_lsn()::text")
    wait_until("the standby to replay the primary's WAL",
               lambda: on_standby("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,)))


def wait_received():
    """Until the standby has received (not necessarily replayed) everything written so far."""
    lsn = on_primary("SELECT pg_current_wal_lsn()::text")
    wait_until("the standby to receive the primary's WAL",
               lambda: on_standby("SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", (lsn,)))


@contextmanager
def replay_paused():
    on_standby("SELECT pg_wal_replay_pause()::text")
    wait_until("replay to pause", lambda: on_standby("SELECT pg_get_wal_replay_pause_state()") == "paused")
    try:
        yield
    finally:
        on_standby("SELECT pg_wal_replay_resume()::text")
        wait_replayed()


def standby_seconds_since_replay() -> float:
    return on_standby("SELECT EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8")


# --- the cast, made once on the primary -----------------------------------------------------------

def _user(username, role, **kwargs):
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device

    user = User.objects.create_user(username=username, password="kata-sandi-uji-123", role=role, **kwargs)
    confirmed_totp_device(user)
    return user


def new_recommendation(world, n: int):
    """A report of Manggar, forwarded to BKN and answered with a recommendation to Belitung Timur's PPK:
    one more report on /statistik/ (once its figures are refreshed: here at once, on the primary) and one
    more recommendation received on the compliance dashboard."""
    import time_machine

    from followup.public_figures import public_figures_rebuild
    from followup.sanctions import Grade
    from followup.services import recommendation_issue
    from followup.tests.conftest import forward_case
    from registry.factories import EmployeeFactory
    from reports.services import ReportedPersonInput

    with time_machine.travel(SET_UP_ON, tick=True):
        camat = EmployeeFactory(agency=world["beltim"], unit=world["camat_manggar"], name=f"Rudi Hartono {n}",
                                position="Kepala Seksi Pemerintahan")
        forwarded = forward_case(region=world["manggar"], election=world["election"], staff=world["staff"],
                                 lead=world["lead"], known_on=date(2024, 11, 28),
                                 persons=[ReportedPersonInput(name=camat.name, position=camat.position,
                                                              employee=camat)])
        forwarded = forwarded.recommendations.get(stage="authority")
        recommendation = recommendation_issue(
            forwarding=forwarded, actor=world["bkn"], person=forwarded.case.persons.get(), addressee=world["beltim"],
            employee_kind="pns", position_class="pengawas", violations=forwarded.violations.all(),
            grade=Grade("moral", ""), considerations="Terlapor mengakui perbuatannya.")
    public_figures_rebuild()  # what the refresh task does (followup.public_figures), with today's clock
    return recommendation


@pytest.fixture(scope="module", autouse=True)
def _the_database(django_db_blocker):
    """The database the script migrated, open to every test of the module (see the docstring)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def world(_the_database):
    from organizations.models import Agency, BawasluOffice, Unit
    from regions.models import Region
    from rules.models import Election

    country = Region.objects.create(code="ID", name="Indonesia", level=Region.Level.COUNTRY)
    babel = Region.objects.create(code="19", name="Kepulauan Bangka Belitung", level=1, parent=country)
    beltim_region = Region.objects.create(code="19.06", name="Kabupaten Belitung Timur", level=2, parent=babel)
    manggar = Region.objects.create(code="19.06.01", name="Manggar", level=3, parent=beltim_region)
    office = BawasluOffice.objects.create(region=beltim_region, name="Bawaslu Kabupaten Belitung Timur",
                                          short_name="Bawaslu Belitung Timur", number_code="K.BB-06")
    beltim = Agency.objects.create(name="Pemerintah Kabupaten Belitung Timur", region=beltim_region,
                                   ppk_title="Bupati Belitung Timur")
    bkn = Agency.objects.create(name="Badan Kepegawaian Negara", kind="authority", authority_code="bkn",
                                region=country)
    world = {
        "manggar": manggar, "beltim": beltim, "election": Election.objects.get(pk="pilkada-2024"),
        "camat_manggar": Unit.objects.create(agency=beltim, name="Kecamatan Manggar", region=manggar),
        "staff": _user("staf.beltim", "bawaslu_staff", bawaslu_office=office),
        "lead": _user("ketua.beltim", "bawaslu_lead", bawaslu_office=office),
        "bkn": _user("bkn", "authority", agency=bkn),
    }
    new_recommendation(world, 1)
    yield world


@pytest.fixture
def staff_client(client, world, settings):
    """Belitung Timur's staff, logged in; a fresh replica check with the default limits."""
    settings.NETRAL_REPLICA_MAX_LAG_SECONDS = 30
    settings.NETRAL_REPLICA_CHECK_SECONDS = 5
    forget_replica_health()
    client.force_login(world["staff"])
    wait_replayed()
    yield client
    forget_replica_health()


def figures(client) -> tuple[int, int]:
    """(recommendations received on the compliance dashboard, reports received on /statistik/)."""
    dashboard, statistics = client.get(DASHBOARD), client.get(STATISTICS)
    assert dashboard.status_code == 200 and statistics.status_code == 200
    return dashboard.context["dashboard"].total.received, statistics.context["stats"].figure("totals",
                                                                                            "reports_received")


def primary_figures() -> tuple[int, int]:
    from followup.models import Recommendation
    from reports.models import Report

    return Recommendation.objects.filter(stage="ppk").count(), Report.objects.count()


def page_queries(captured) -> list[str]:
    """The queries of the pages among those captured on the replica (not its health check)."""
    return [query["sql"] for query in captured.captured_queries if "pg_is_in_recovery" not in query["sql"]]


# --- the tests, in this order ----------------------------------------------------------------------

def test_the_setting_is_a_real_standby():
    assert connections[REPLICA].settings_dict["PORT"] != connections["default"].settings_dict["PORT"]
    assert on_standby("SELECT pg_is_in_recovery()") is True
    assert on_primary("SELECT pg_is_in_recovery()") is False
    assert on_primary("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1


def test_the_dashboards_read_from_the_standby_within_the_lag_limit(staff_client, world):
    before = figures(staff_client)
    assert before == primary_figures() and min(before) >= 1
    with replay_paused():
        new_recommendation(world, 2)
        wait_received()
        assert primary_figures() == (before[0] + 1, before[1] + 1)
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert figures(staff_client) == before  # the standby's figures: the new ones are not replayed yet
        assert replica_health().usable, replica_health().reason
        assert any("followup_recommendation" in sql for sql in page_queries(on_replica))
        assert any("followup_publicfigure" in sql for sql in page_queries(on_replica))  # /statistik/'s figures
    forget_replica_health()
    assert figures(staff_client) == (before[0] + 1, before[1] + 1)  # replayed: the standby has them


def test_a_standby_lagging_beyond_the_limit_falls_back_to_the_primary(staff_client, world, settings):
    settings.NETRAL_REPLICA_MAX_LAG_SECONDS = 1
    before = figures(staff_client)
    with replay_paused():
        new_recommendation(world, 3)
        wait_received()
        wait_until("the replay lag to pass 1 s", lambda: standby_seconds_since_replay() > 1.5)
        forget_replica_health()
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert figures(staff_client) == (before[0] + 1, before[1] + 1)  # the primary's figures
            assert figures(staff_client) == (before[0] + 1, before[1] + 1)
        health = replica_health()
        assert not health.usable and "over the limit of 1 s" in health.reason
        assert page_queries(on_replica) == []
        assert len(on_replica.captured_queries) == 1  # one check for four pages: cached, not a query per read
    forget_replica_health()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert figures(staff_client) == (before[0] + 1, before[1] + 1)
    assert page_queries(on_replica)  # caught up: read from the standby again


def test_writes_never_go_to_the_standby(staff_client, world):
    from regions.models import Region

    with CaptureQueriesContext(connections[REPLICA]) as on_replica, replica():
        region = Region.objects.get(code="19.06.01")
        assert region._state.db == REPLICA
        region.name = "Kecamatan Manggar"
        region.save(update_fields=["name"])
        Region.objects.filter(code="19.06").update(name="Kab. Belitung Timur")
    assert not [sql for sql in (q["sql"] for q in on_replica.captured_queries)
                if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert on_primary("SELECT name FROM regions_region WHERE code = '19.06.01'") == "Kecamatan Manggar"
    wait_replayed()
    assert on_standby("SELECT name FROM regions_region WHERE code = '19.06'") == "Kab. Belitung Timur"
    import psycopg

    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):  # and the standby would refuse them anyway
        on_standby("UPDATE regions_region SET name = 'x' WHERE code = '19.06' RETURNING name")


def test_a_stopped_standby_falls_back_to_the_primary(staff_client, world, settings, caplog):
    settings.NETRAL_REPLICA_CHECK_SECONDS = 3600  # the last check says "healthy" when the standby stops
    before = figures(staff_client)
    assert replica_health().usable
    standby = standby_cluster()
    standby.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="netral.db"):
            # The failed read inside the view makes it check again and run once more on the primary.
            assert figures(staff_client) == before
            new_recommendation(world, 4)
            assert figures(staff_client) == (before[0] + 1, before[1] + 1)
        warnings = [record.getMessage() for record in caplog.records if record.name == "netral.db"]
        assert len(warnings) == 1 and warnings[0].startswith("Read replica not used, reads go to the primary: "
                                                            "unreachable"), warnings
    finally:
        standby.start()
    from ops.standby import wait_streaming

    wait_streaming(int(connections["default"].settings_dict["PORT"]))
    wait_replayed()
    forget_replica_health()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert figures(staff_client) == (before[0] + 1, before[1] + 1)
    assert page_queries(on_replica)  # back: read from the standby again

