"""Faults from outside our code, for tests: a database that refuses a row, a disk that is full.

``refuse_inserts`` adds a real trigger to the test database (SQLite or PostgreSQL) so that
the next INSERT into a table fails, as a lost connection or a constraint would: the code under
test runs unchanged up to that statement. The trigger is dropped again on exit.
``FullDiskStorage`` is Django's file system storage on a disk that fills after the first
byte of each file (ENOSPC), leaving that byte behind as a real full disk does.
"""

import contextlib
import errno
import os

from django.core.files.storage import FileSystemStorage
from django.db import connection


@contextlib.contextmanager
def refuse_inserts(table: str):
    trigger = f"refuse_{table}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE FUNCTION {trigger}() RETURNS trigger AS $$ BEGIN "
                           f"RAISE EXCEPTION 'refused by the test'; END; $$ LANGUAGE plpgsql")
            cursor.execute(f"CREATE TRIGGER {trigger} BEFORE INSERT ON {table} "
                           f"FOR EACH ROW EXECUTE FUNCTION {trigger}()")
        else:
            cursor.execute(f"CREATE TRIGGER {trigger} BEFORE INSERT ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER {trigger}" + (f" ON {table}" if connection.vendor == "postgresql" else ""))
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP FUNCTION {trigger}()")


class FullDiskStorage(FileSystemStorage):
    """A real file system storage whose disk is full after the first byte of each new file."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "xb") as handle:
            handle.write(content.read()[:1])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)


def full_disk_storages(settings) -> None:
    """Point the default and the sealed storage at full disks (same folders as the test's)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storage.tests.faults.FullDiskStorage"},
        "sealed": {**settings.STORAGES["sealed"], "BACKEND": "storage.tests.faults.FullDiskStorage"},
    }


def files_under(folder) -> list[str]:
    """The files below ``folder`` (a Path), relative to it; none if it does not exist."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
