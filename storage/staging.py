"""Staged uploads: files kept for a form's next try, within quotas, for a limited time.

The generic part of staging; the caller owns the model of its staged rows (reports.StagedFile)
and passes its queryset and a function that makes a row. A staged file is written and its row
made in one transaction (storage.files: a rollback deletes the file), after the quotas have
been checked and counted in the same transaction:

- per client: the bytes a client (a keyed pseudonym) staged in the current window of
  ``Quota.window`` (a new window starts empty), counted in a ``StagingCounter`` row;
- in total: the bytes of every staged row, summed.

Both checks run while the total's counting row is locked (SELECT ... FOR UPDATE on
PostgreSQL; SQLite takes the write lock at BEGIN, netral/settings.py), so concurrent uploads
are decided one after the other and never pass a quota together.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from storage import files
from storage.models import StagingCounter

TOTAL = ""  # the client of the counting row that guards the total


@dataclass(frozen=True)
class Quota:
    per_client: int  # bytes one client may stage in one window
    total: int  # bytes all staged rows may hold together
    window: timedelta  # the length of a client's counting window


def window_number(window: timedelta) -> int:
    """The number of the current window (windows start at multiples of ``window`` since the epoch)."""
    return int(timezone.now().timestamp()) // max(int(window.total_seconds()), 1)


def _counter(client: str, window: int) -> StagingCounter:
    """The counting row, made if need be, locked until the transaction ends."""
    try:
        with transaction.atomic():
            StagingCounter.objects.get_or_create(client=client, window=window)
    except IntegrityError:
        pass  # made at the same moment by another upload
    return StagingCounter.objects.select_for_update().get(client=client, window=window)


def reserve(*, client: str, size: int, quota: Quota, staged: QuerySet, size_field: str = "size") -> bool:
    """Count ``size`` bytes for ``client`` if both quotas have room; in the caller's transaction."""
    _counter(TOTAL, 0)  # every staging decision waits here for the one before it
    total = staged.aggregate(total=Sum(size_field))["total"] or 0
    if total + size > quota.total:
        return False
    counter = _counter(client, window_number(quota.window))
    if counter.bytes + size > quota.per_client:
        return False
    counter.bytes += size
    counter.save(update_fields=["bytes"])
    return True


def stage(*, staged: QuerySet, storage, name: str, data: bytes, size: int, client: str, quota: Quota,
          create: Callable[[str], object]):
    """Stage one file: the row ``create(stored_name)`` makes, or None when a quota has no room.

    Raises ``StorageFull`` on a full disk, and the IntegrityError of ``create`` (the same file
    staged at the same moment): then nothing of this call remains, file and count included.
    """
    with transaction.atomic():
        if not reserve(client=client, size=size, quota=quota, staged=staged):
            return None
        return create(files.save(storage, name, data))


def clear(*, rows: QuerySet, storage, name_field: str) -> int:
    """Delete staged rows (their files once the deletion commits); returns how many."""
    names = list(rows.values_list(name_field, flat=True))
    if not names:
        return 0
    count, _detail = rows.delete()
    for name in names:
        files.delete_on_commit(storage, name)
    return count


def purge(*, staged: QuerySet, storage, name_field: str, older_than: timedelta, quota_window: timedelta) -> int:
    """Remove staged rows older than ``older_than`` with their files, and the counts of past windows."""
    with transaction.atomic():
        count = clear(rows=staged.filter(created_at__lt=timezone.now() - older_than), storage=storage,
                      name_field=name_field)
        StagingCounter.objects.exclude(client=TOTAL).filter(window__lt=window_number(quota_window)).delete()
    return count
