"""Read replica for dashboards (optional): ``DATABASE_REPLICA_URL`` adds a "replica" alias.

Reads go to the replica only inside ``with replica():`` (or a view decorated with
``@replica()``): the compliance dashboard and the public statistics, which tolerate data a
few seconds old. Everything else, and every write, uses "default": a reporter never reads
the replica, so a report just sent is always found. Without the setting, ``replica()``
changes nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reads_from_replica: ContextVar[bool] = ContextVar("netral_reads_from_replica", default=False)


@contextmanager
def replica():
    """Send the ORM's reads in this block (or decorated view) to the replica, if there is one."""
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        # Explicit: without it Django would write an object back to the alias it was read from.
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary; never migrate it
