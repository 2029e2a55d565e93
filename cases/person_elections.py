"""The stored figures of the repeat offenders: which person keys are reported in two or more elections
(cases.models.PersonElection, read by followup.repeat; issue 20).

Why stored. The list groups the reported persons of a jurisdiction by person key and keeps those
of two or more elections. Read live, that is a join of every reported person of the jurisdiction
with its case and a GROUP BY over them all, on every request: at 200,000 cases (Bawaslu Belitung
Timur: 74,000 cases, 64,000 keys, 10,000 repeated) 237 ms of EXPLAIN ANALYZE on PostgreSQL 15 for
the grouping alone. Grouping by (key, election) first so that PostgreSQL can hash, with covering
indexes for an index-only scan of the cases, was no faster (273 ms without parallel workers, 375
ms with them): the cost is the join and the 74,000 keys, not the sort. Almost every person is
reported once, so what the list needs is small: the keys reported in two or more elections
*anywhere* (a key of one election nationally is of one election in every jurisdiction). Only
those are stored, one row per (key, election, office), with the number of persons and the first
folded name (the list's order); the list groups these rows of the jurisdiction's offices (an
index-only scan of (office, person_key, election, name_key)), 10,000 keys instead of 64,000, no join.

Kept current in the transaction of every write that changes them, key by key: a key's rows are
recomputed from the live rows of that key (an index lookup on CasePerson.person_key), so a write
only has to name the keys it touched, before and after:

- CasePerson.save (created, or its name, unit, entry or case changed), CasePerson's bulk_create,
  a queryset update() of CasePerson, and a delete (cases.models: post_delete, also when a case
  is deleted with its persons);
- the re-resolution of typed persons' keys (cases.person_key: rekey_names, rekey_entries and
  refresh_person_keys, each batch in its own transaction);
- a case whose election, office or merged state changes (Case.save and a queryset update() of
  Case: a merged case's persons are not counted, its copies on the target are).

Each refresh takes a transaction-level advisory lock per key (PostgreSQL; per bucket of keys, see
LOCK_BUCKETS), in a fixed order, before it reads the live rows: two writes of one key never lose one another (read committed:
the second waits, then reads what the first committed) nor deadlock. A fixed number of queries
whatever the data: four per refresh (lock, read, delete, insert). ``person_elections_rebuild``
(``manage.py rebuild_person_elections``, nightly as a check, and the migration that made the
table) recomputes the whole table, idempotently.

The functions take the model classes, so that the migration can pass its historical models.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Min, QuerySet

from cases.states import Status

# pg_advisory_xact_lock(class, bucket): the class keeps these locks apart from any other advisory lock.
# A key locks its bucket, so that a bulk write (5,000 new persons a batch in bench/cases.py, 2,000 a
# batch of refresh_person_keys) holds at most LOCK_BUCKETS locks: advisory locks take room in the
# server's shared lock table (max_locks_per_transaction x connections).
LOCK_CLASS = 20_003
LOCK_BUCKETS = 1024


def _live(case_person_model, keys: list[str] | None):
    """(key, election, office) -> (persons, first folded name), from the live rows: merged cases and
    persons matched with nobody ("") left out. One grouped query."""
    rows = case_person_model._base_manager.exclude(person_key="").exclude(case__status=Status.MERGED)
    if keys is not None:
        rows = rows.filter(person_key__in=keys)
    return rows.order_by().values("person_key", "case__election_id", "case__office_id").annotate(
        persons=Count("pk"), first_name=Min("name_key"))


def _rows(figure_model, live) -> list:
    """The rows to store: those of the keys of two or more elections."""
    elections: dict[str, set] = defaultdict(set)
    live = list(live)
    for row in live:
        elections[row["person_key"]].add(row["case__election_id"])
    return [figure_model(person_key=row["person_key"], election_id=row["case__election_id"],
                         office_id=row["case__office_id"], persons=row["persons"], name_key=row["first_name"])
            for row in live if len(elections[row["person_key"]]) >= 2]


def _lock(keys: list[str]) -> None:
    if connection.vendor != "postgresql" or not keys:
        return
    ids = sorted({zlib.crc32(key.encode()) % LOCK_BUCKETS for key in keys})  # stable across processes
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::int[]) AS k ORDER BY k",
                       [LOCK_CLASS, ids])


def person_elections_refresh(keys: Iterable[str], *, case_person_model=None, figure_model=None) -> None:
    """Recompute the stored rows of these person keys from the live rows, in the caller's transaction."""
    keys = sorted({key for key in keys if key})
    if not keys:
        return
    if case_person_model is None or figure_model is None:
        from cases.models import CasePerson, PersonElection

        case_person_model, figure_model = CasePerson, PersonElection
    with transaction.atomic(savepoint=False):
        _lock(keys)
        rows = _rows(figure_model, _live(case_person_model, keys))
        figure_model._base_manager.filter(person_key__in=keys).delete()
        figure_model._base_manager.bulk_create(rows, batch_size=1000)


def person_elections_of_cases(case_ids: Iterable[int] | QuerySet, *, case_person_model=None) -> set[str]:
    """The person keys of these cases' persons (one query): what a change of the cases may move. The
    cases' ids, or a queryset of their ids (a subquery)."""
    if case_person_model is None:
        from cases.models import CasePerson

        case_person_model = CasePerson
    ids = case_ids if isinstance(case_ids, QuerySet) else sorted(set(case_ids))  # a queryset: a subquery
    if not isinstance(ids, QuerySet) and not ids:
        return set()
    return set(case_person_model._base_manager.filter(case_id__in=ids).exclude(person_key="")
               .values_list("person_key", flat=True).distinct())


def person_elections_rebuild(*, case_person_model=None, figure_model=None) -> int:
    """The whole table recomputed from the live rows (idempotent); returns the rows stored."""
    audited = case_person_model is None or figure_model is None  # not a migration's historical models
    if audited:
        from cases.models import CasePerson, PersonElection

        case_person_model, figure_model = CasePerson, PersonElection
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers wait (their refresh deletes rows of the table), readers do not.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {figure_model._meta.db_table} IN EXCLUSIVE MODE")
        repeated = (case_person_model._base_manager.exclude(person_key="").exclude(case__status=Status.MERGED)
                    .order_by().values("person_key").annotate(elections=Count("case__election_id", distinct=True))
                    .filter(elections__gte=2).values("person_key"))
        live = _live(case_person_model, None).filter(person_key__in=repeated)
        rows = _rows(figure_model, live)
        figure_model._base_manager.all().delete()
        figure_model._base_manager.bulk_create(rows, batch_size=1000)
        if audited:
            from audit.services import audit_record

            audit_record(actor=None, action="cases.person_elections_rebuilt", target="cases:person_elections",
                         data={"rows": len(rows)})
    return len(rows)
