"""The read replica router (netral/db.py): which alias each read and write goes to, and when the
replica is healthy enough to be read (pure functions; the real standby: ops/tests/test_standby.py)."""

import logging

import pytest

from netral.db import (
    REPLICA,
    ReplicaRouter,
    check_is_due,
    forget_replica_health,
    remember_replica_health,
    replay_lag,
    replica,
    replica_health,
    replica_usable,
)
from regions.models import Region


@pytest.fixture(autouse=True)
def _no_cached_check():
    forget_replica_health()
    yield
    forget_replica_health()


def with_replica(settings, *, usable=True):
    """A replica alias, and its last check's result (kept for the test: a long check interval)."""
    settings.DATABASES = {**settings.DATABASES, REPLICA: {**settings.DATABASES["default"],
                                                         "TEST": {"MIRROR": "default"}}}
    settings.NETRAL_REPLICA_CHECK_SECONDS = 3600
    remember_replica_health(usable=usable, reason="set by the test")


def test_without_a_replica_everything_reads_from_default():
    with replica():
        assert ReplicaRouter().db_for_read(Region) == "default"


def test_reads_go_to_the_replica_only_inside_the_block(settings):
    with_replica(settings)
    assert ReplicaRouter().db_for_read(Region) == "default"
    with replica():
        assert ReplicaRouter().db_for_read(Region) == REPLICA
    assert ReplicaRouter().db_for_read(Region) == "default"


def test_a_decorated_function_reads_from_the_replica(settings):
    with_replica(settings)

    @replica()
    def view():
        return ReplicaRouter().db_for_read(Region)

    assert view() == REPLICA
    assert ReplicaRouter().db_for_read(Region) == "default"


def test_an_unhealthy_replica_is_not_read(settings):
    with_replica(settings, usable=False)
    with replica():
        assert ReplicaRouter().db_for_read(Region) == "default"


def test_writes_go_to_default_even_for_an_object_read_from_the_replica(settings):
    with_replica(settings)
    region = Region(name="Manggar")
    region._state.db = REPLICA
    with replica():
        assert ReplicaRouter().db_for_write(Region, instance=region) == "default"


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate(REPLICA, "reports") is False
    assert ReplicaRouter().allow_migrate("default", "reports") is True


def test_the_cached_check_is_kept_for_the_interval(settings):
    with_replica(settings)
    first = replica_health()
    assert replica_health() is first  # no new check (which would need the database) within the hour


@pytest.mark.parametrize(("in_recovery", "caught_up", "seconds", "lag"), [
    (False, False, None, 0.0),   # a primary named as the replica: never behind
    (True, True, 3600.0, 0.0),   # everything received is replayed: an idle primary sent nothing
    (True, False, 12.5, 12.5),   # replay behind: the age of the last replayed transaction
    (True, False, -0.2, 0.0),    # clocks a little apart
    (True, False, None, None),   # behind and nothing replayed yet: unknown
])
def test_replay_lag(in_recovery, caught_up, seconds, lag):
    assert replay_lag(in_recovery=in_recovery, caught_up=caught_up, seconds_since_replay=seconds) == lag


@pytest.mark.parametrize(("reachable", "lag", "usable", "reason"), [
    (True, 0.0, True, "replay lag 0.0 s"),
    (True, 30.0, True, "replay lag 30.0 s"),
    (True, 30.5, False, "replay lag 30.5 s over the limit of 30 s"),
    (True, None, False, "replay lag unknown (nothing replayed yet)"),
    (False, None, False, "unreachable"),
])
def test_replica_usable(reachable, lag, usable, reason):
    assert replica_usable(reachable=reachable, lag_seconds=lag, max_lag_seconds=30) == (usable, reason)


def test_check_is_due():
    assert check_is_due(checked_at=None, now=100.0, every_seconds=5)
    assert not check_is_due(checked_at=100.0, now=104.9, every_seconds=5)
    assert check_is_due(checked_at=100.0, now=105.0, every_seconds=5)
    assert check_is_due(checked_at=100.0, now=100.0, every_seconds=0)


def test_a_change_of_health_is_logged_once(caplog):
    with caplog.at_level(logging.WARNING, logger="netral.db"):
        remember_replica_health(usable=True, reason="replay lag 0.0 s")
        for _ in range(3):
            remember_replica_health(usable=False, reason="unreachable")
        remember_replica_health(usable=True, reason="replay lag 0.0 s")
    assert [record.getMessage() for record in caplog.records] == [
        "Read replica not used, reads go to the primary: unreachable",
        "Read replica used again: replay lag 0.0 s",
    ]
