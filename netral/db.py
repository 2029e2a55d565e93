"""Read replica for dashboards (optional): ``DATABASE_REPLICA_URL`` adds a "replica" alias.

Reads go to the replica only inside ``with replica():`` (or a view decorated with
``@replica()``): the compliance dashboard and the public statistics, which tolerate data a
few seconds old. Everything else, and every write, uses "default": a reporter never reads
the replica, so a report just sent is always found. Without the setting, ``replica()``
changes nothing.

The replica is used only while it is healthy: reachable (a short connect timeout,
``NETRAL_REPLICA_CONNECT_TIMEOUT``) and replaying the primary's changes less than
``NETRAL_REPLICA_MAX_LAG_SECONDS`` behind. The check is one query on the replica, cached per
process for ``NETRAL_REPLICA_CHECK_SECONDS`` (not a query per read); a replica that becomes
unusable is logged once (and once again when it is back), and meanwhile reads go to
"default". A view decorated with ``@replica()`` whose replica fails in the middle of the
view (the standby stopped between two checks) is run once more, on "default": such views
only read. docs/deploy.md section 8; tested against a real standby by ``make replica-check``
(ops/standby.py, ops/tests/test_standby.py).
"""

from __future__ import annotations

import logging
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
_reads_from_replica: ContextVar[bool] = ContextVar("netral_reads_from_replica", default=False)
logger = logging.getLogger(__name__)

# Measured on the standby: is it one (a primary named as replica is never behind), how far it
# has received and replayed the primary's WAL, and how long ago the last transaction it
# replayed was committed (clock_timestamp: now() is the start of the transaction).
LAG_QUERY = """
SELECT pg_is_in_recovery(),
       pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(),
       EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8
"""


# --- the decision (pure) ----------------------------------------------------------------------

def replay_lag(*, in_recovery: bool, caught_up: bool, seconds_since_replay: float | None) -> float | None:
    """Seconds the replica is behind its primary; None when it cannot be known.

    Not a standby (a primary given as replica, or a promoted standby): 0. Everything received
    is replayed: 0, however long ago the last transaction was (an idle primary sends nothing).
    Otherwise the age of the last replayed transaction; None if it has replayed none yet.
    """
    if not in_recovery or caught_up:
        return 0.0
    if seconds_since_replay is None:
        return None
    return max(0.0, seconds_since_replay)


def replica_usable(*, reachable: bool, lag_seconds: float | None, max_lag_seconds: float) -> tuple[bool, str]:
    """Whether reads may go to the replica, and why (for the log)."""
    if not reachable:
        return False, "unreachable"
    if lag_seconds is None:
        return False, "replay lag unknown (nothing replayed yet)"
    if lag_seconds > max_lag_seconds:
        return False, f"replay lag {lag_seconds:.1f} s over the limit of {max_lag_seconds:g} s"
    return True, f"replay lag {lag_seconds:.1f} s"


def check_is_due(*, checked_at: float | None, now: float, every_seconds: float) -> bool:
    """A new check once the last one is ``every_seconds`` old (or there was none)."""
    return checked_at is None or now - checked_at >= every_seconds


# --- the check, cached per process -------------------------------------------------------------

@dataclass(frozen=True)
class Health:
    usable: bool
    reason: str
    checked_at: float  # time.monotonic()


_health: Health | None = None
_logged_usable: bool | None = None  # what the log last said: each change is logged once
_lock = threading.Lock()


def _measure() -> tuple[bool, float | None, str]:
    """One query on the replica: (reachable, lag in seconds, error)."""
    conn = connections[REPLICA]
    try:
        with conn.cursor() as cursor:
            if conn.vendor != "postgresql":
                return True, 0.0, ""  # a copy without replication to measure (SQLite in tests)
            cursor.execute(LAG_QUERY)
            in_recovery, caught_up, seconds = cursor.fetchone()
    except DatabaseError as exc:
        try:
            conn.close()  # a broken kept connection is not reused; the next check connects anew
        except DatabaseError:
            pass
        return False, None, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return True, replay_lag(in_recovery=in_recovery, caught_up=caught_up, seconds_since_replay=seconds), ""


def remember_replica_health(*, usable: bool, reason: str) -> Health:
    """Keep a check's result for NETRAL_REPLICA_CHECK_SECONDS; log when usability changes."""
    global _health, _logged_usable
    _health = Health(usable=usable, reason=reason, checked_at=time.monotonic())
    if usable != _logged_usable:
        if not usable:
            logger.warning("Read replica not used, reads go to the primary: %s", reason)
        elif _logged_usable is not None:
            logger.warning("Read replica used again: %s", reason)
        _logged_usable = usable
    return _health


def replica_health(*, force: bool = False) -> Health:
    """The replica's last check, or a new one if it is older than NETRAL_REPLICA_CHECK_SECONDS."""
    every = settings.NETRAL_REPLICA_CHECK_SECONDS
    health = _health
    if not force and health and not check_is_due(checked_at=health.checked_at, now=time.monotonic(),
                                                  every_seconds=every):
        return health
    with _lock:
        health = _health
        if not force and health and not check_is_due(checked_at=health.checked_at, now=time.monotonic(),
                                                      every_seconds=every):
            return health  # another thread checked while this one waited
        reachable, lag, error = _measure()
        usable, reason = replica_usable(reachable=reachable, lag_seconds=lag,
                                        max_lag_seconds=settings.NETRAL_REPLICA_MAX_LAG_SECONDS)
        return remember_replica_health(usable=usable, reason=f"{reason}: {error}" if error else reason)


def forget_replica_health() -> None:
    """Drop the cached check and what was logged (tests): the next read checks again."""
    global _health, _logged_usable
    _health, _logged_usable = None, None


def _replica_configured() -> bool:
    return REPLICA in settings.DATABASES


# --- routing ------------------------------------------------------------------------------------

class replica:  # noqa: N801 (used like a function: ``with replica():``, ``@replica()``)
    """Send the ORM's reads in this block (or decorated view) to the replica, if there is a healthy one."""

    def __enter__(self):
        self._token = _reads_from_replica.set(True)
        return self

    def __exit__(self, *exc_info):
        _reads_from_replica.reset(self._token)
        return False

    def __call__(self, func):
        @wraps(func)
        def reading_from_replica(*args, **kwargs):
            token = _reads_from_replica.set(True)
            try:
                return func(*args, **kwargs)
            except DatabaseError:
                # The replica failed during the view (stopped since the last check)? Then the
                # view runs again on the primary; any other database error is the view's own.
                if not _replica_configured() or replica_health(force=True).usable:
                    raise
            finally:
                _reads_from_replica.reset(token)
            return func(*args, **kwargs)

        return reading_from_replica


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and _replica_configured() and replica_health().usable:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        # Explicit: without it Django would write an object back to the alias it was read from.
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary; never migrate it
