"""The read replica router (netral/db.py): which alias each read and write goes to."""

from netral.db import REPLICA, ReplicaRouter, replica
from regions.models import Region


def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, REPLICA: {**settings.DATABASES["default"],
                                                         "TEST": {"MIRROR": "default"}}}


def test_without_a_replica_everything_reads_from_default():
    with replica():
        assert ReplicaRouter().db_for_read(Region) == "default"


def test_reads_go_to_the_replica_only_inside_the_block(settings):
    with_replica(settings)
    assert ReplicaRouter().db_for_read(Region) == "default"
    with replica():
        assert ReplicaRouter().db_for_read(Region) == REPLICA
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
