"""The refresh guard and the rebuild lock of figures computed ahead and served stale-while-revalidate (issue 20).

followup/public_figures.py (the public statistics) and prevention/coverage.py (the pledges' coverage of
a province or the country) each keep one state row with ``computed_at`` and ``refresh_requested_at``.
A page that reads stale figures claims the refresh with one conditional UPDATE of that row and, if it
won the claim, queues the task; a claim older than the timeout (a lost task) may be made again. With a
claim standing, pages read without any write statement. Two rebuilds are serialized, and one that
started before the last committed writes nothing (``newer_rebuild``); a rebuild writes only the rows
whose values changed (``store_changed``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Q, QuerySet


def refresh_claimed(state, *, now: datetime, claim_timeout: timedelta) -> bool:
    """Whether a refresh of ``state``'s figures is claimed and not yet taken as lost."""
    return state.refresh_requested_at is not None and state.refresh_requested_at >= now - claim_timeout


def refresh_claim(state_row: QuerySet, *, stale: Q, now: datetime, claim_timeout: timedelta, task) -> bool:
    """Claim the refresh of stale figures and queue ``task``, unless one is claimed already; whether this
    call did. ``state_row``: the queryset of the one state row; ``stale``: the condition, on that row as
    committed, under which its figures are stale (a page that read them just before a rebuild committed
    queues nothing)."""
    unclaimed = Q(refresh_requested_at__isnull=True) | Q(refresh_requested_at__lt=now - claim_timeout)
    claimed = state_row.filter(stale, unclaimed).update(refresh_requested_at=now)
    if claimed:
        task.enqueue()
    return bool(claimed)


def newer_rebuild(state_model, *, pk: int, lock_name: str, started: datetime):
    """Inside a rebuild's transaction, before it writes: wait for any other rebuild (a transaction-level
    advisory lock on PostgreSQL; SQLite serializes writers), then answer the state row if a rebuild that
    started after ``started`` has committed meanwhile (its newer figures stay: write nothing), else None."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [lock_name])
    state = state_model.objects.using(DEFAULT_DB_ALIAS).filter(pk=pk).first()
    if state is not None and state.computed_at is not None and state.computed_at > started:
        return state
    return None


def store_changed(model, *, keys: tuple[str, ...], fields: tuple[str, ...], wanted: dict[tuple, tuple]) -> int:
    """The rows of ``model`` made equal to ``wanted`` ({key values: field values}, ``keys`` and ``fields``
    naming them), writing only what changed: rows gone are deleted, rows whose values differ replaced, new
    ones added. From one refresh to the next most figures stay, and a row rewritten is a dead row for the
    vacuum (a refresh a minute would otherwise leave the whole table dead every minute, and the pages would
    scan it). Answers how many rows were deleted, changed or added.

    A changed row is deleted and inserted again rather than updated with ``bulk_update``: that writes, per
    column, a CASE over the ids of its batch, which PostgreSQL evaluates row by row (quadratic in the
    batch): 51 s for the 55,000 unit rows of the pledges' coverage after the register grew, against about
    a second for the DELETE and INSERT. Nothing refers to such a row by its id, and readers see the old
    rows until the caller's transaction commits."""
    stored = model.objects.using(DEFAULT_DB_ALIAS)
    existing = {tuple(row[:len(keys)]): (row[len(keys)], tuple(row[len(keys) + 1:]))
                for row in stored.order_by().values_list(*keys, "pk", *fields)}
    gone = [pk for key, (pk, _values) in existing.items() if key not in wanted]
    changed = [pk for key, (pk, values) in existing.items() if key in wanted and wanted[key] != values]
    replaced = gone + changed
    for start in range(0, len(replaced), 1000):
        stored.filter(pk__in=replaced[start:start + 1000]).delete()
    written = [model(**dict(zip(keys, key, strict=True)), **dict(zip(fields, values, strict=True)))
               for key, values in wanted.items() if key not in existing or existing[key][1] != values]
    stored.bulk_create(written, batch_size=2000)
    if len(replaced) + len(written) >= max(ANALYZE_AFTER_ROWS, len(existing) // 10):
        _analyze(model)
    return len(gone) + len(written)


# A store that rewrote this many rows (or a tenth of the table) analyzes it on PostgreSQL, in its transaction.
ANALYZE_AFTER_ROWS = 1000


def _analyze(model) -> None:
    """Fresh statistics of a table a store has largely rewritten (PostgreSQL): the first rebuild fills an
    empty table, and until autovacuum got to it the planner took the pledges' coverage for a few rows and
    walked a whole election's range of an index for each unit of a province (511 ms for a sum, 2 ms after
    ANALYZE: docs/performance.md)."""
    if connection.vendor == "postgresql":  # the default database's, as the store's writes
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
