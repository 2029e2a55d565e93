"""Walking a storage and removing files that no record names (storage/kinds.py says where to look)."""

from datetime import timedelta
from typing import Iterator

from django.core.files.storage import Storage, storages
from django.utils import timezone

from storage.kinds import KINDS, ORPHANS, names_in_use


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name under ``folder`` of a storage, in a stable order (the storage API: disk or S3)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


def orphans_purge(*, older_than: timedelta, purges=(ORPHANS,)) -> int:
    """Remove files of the kinds purged so (``purges``) that no row names and that are older than ``older_than``.

    A web process killed between writing a file and committing its transaction (kill -9, a
    power cut: bench/faults.py) leaves a file that nobody was given a receipt for and nothing
    refers to. Young files stay: their request may still be committing. A name is known when
    any kind of the same storage records it, so folders that overlap (the sealed evidence
    holds the staged uploads' folder) never lose a recorded file.
    """
    cutoff = timezone.now() - older_than
    removed = 0
    for alias in dict.fromkeys(kind.storage for kind in KINDS if kind.purge in purges):
        storage = storages[alias]
        known = names_in_use(alias)
        seen: set[str] = set()
        for kind in KINDS:
            if kind.storage != alias or kind.purge not in purges:
                continue
            for name in list(walk(storage, kind.prefix.strip("/"))):
                if name in seen or name in known:
                    continue
                seen.add(name)
                if storage.get_modified_time(name) < cutoff:
                    storage.delete(name)
                    removed += 1
    return removed
