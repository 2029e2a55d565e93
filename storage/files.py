"""Writing and removing stored files so that they follow the database transaction.

A file is written before the row that names it is committed. Django runs code when a
transaction commits (``transaction.on_commit``) but has no hook for a rollback, so a row
rolled back used to leave its file on disk. ``save`` writes through a Django storage and,
inside ``transaction.atomic``, remembers the name on the database connection together with
the savepoints that were open, exactly as Django remembers an on-commit callback. The
connection's ``commit``, ``savepoint_rollback``, ``rollback`` and ``close`` are wrapped
(once per connection object, on the first tracked write) so that:

- a commit of the transaction keeps every file written in it;
- a rollback to a savepoint (an inner ``atomic`` that raised) deletes the files written
  while that savepoint was open, and only those;
- a rollback of the transaction, or a connection closed in the middle of it (the database
  then rolls back by itself), deletes every file written in it.

Outside a transaction (autocommit) ``save`` only writes: the caller's row is committed by
its own statement. ``delete_on_commit`` removes a replaced or removed file once the change
that drops it is durable, and never if that change rolls back.

Names get a random suffix, so that a name is this write's alone: a write that fails half
way (a full disk) leaves a part only this call can have made, which is then deleted, and
no rollback can delete another request's file. A full disk or quota becomes
``StorageFull``, a ValidationError with a message for the person who sent the file.
"""

import errno
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# A write that fails for want of space: a full disk, a user or group quota, a file-size limit.
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class StorageFull(ValidationError):
    """The storage refused a write for want of space; nothing of the write was kept."""

    message_text = gettext_lazy(
        "The server's file storage is full at the moment: nothing was saved. Please try again later.")

    def __init__(self):
        super().__init__(self.message_text, code="storage_full")


@dataclass(frozen=True)
class _Written:
    storage: object
    name: str
    savepoints: frozenset  # the savepoint ids open when it was written (as Django's on_commit)


def unique_name(name: str) -> str:
    """``name`` with a random suffix before its extension: ``a/b.pdf`` -> ``a/b_x7Kq2pLm.pdf``."""
    folder, slash, base = name.rpartition("/")
    stem, dot, extension = base.rpartition(".")
    if not dot or not stem:
        stem, extension = base, ""
    suffix = get_random_string(8)
    return f"{folder}{slash}{stem}_{suffix}{'.' + extension if extension else ''}"


def save(storage, name: str, data: bytes | File, *, max_length: int | None = None,
         using: str = DEFAULT_DB_ALIAS) -> str:
    """Write ``data`` under (a unique variant of) ``name``; returns the name stored.

    ``data`` is bytes, or a Django ``File`` (an upload) that the storage reads in chunks.
    Inside ``transaction.atomic`` on ``using`` the file is deleted again if the transaction,
    or the savepoint it was written in, rolls back. Raises ``StorageFull`` when the storage
    has no room, with nothing of the file left behind.
    """
    name = unique_name(name)
    try:
        content = data if isinstance(data, File) else ContentFile(data)
        saved = storage.save(name, content, max_length=max_length)
    except OSError as error:
        _delete_quietly(storage, name)
        if error.errno in STORAGE_FULL_ERRNOS:
            raise StorageFull() from error
        raise
    connection = connections[using]
    # In a transaction: atomic, or autocommit turned off by hand on an open connection.
    if connection.in_atomic_block or (connection.connection is not None and not connection.get_autocommit()):
        _pending(connection).append(_Written(storage, saved, frozenset(connection.savepoint_ids)))
    return saved


def save_field(field_file, filename: str, data: bytes | File, *, using: str = DEFAULT_DB_ALIAS) -> str:
    """``save`` for a model's FileField: its ``upload_to`` and storage, the name set on the instance.

    As ``FieldFile.save(..., save=False)``, but the file follows the transaction. The caller
    saves the row.
    """
    field, instance = field_file.field, field_file.instance
    name = save(field_file.storage, field.generate_filename(instance, filename), data,
                max_length=field.max_length, using=using)
    setattr(instance, field.attname, name)
    return name


def delete_on_commit(storage, name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete ``name`` once the current transaction commits (at once outside a transaction).

    For a file that a change replaces or removes: if the change rolls back, the file stays,
    as the row that names it does. A file that cannot be deleted is logged, not raised: the
    change is committed by then.
    """
    if not name:
        return
    from django.db import transaction

    transaction.on_commit(lambda: _delete_quietly(storage, name), using=using, robust=True)


def pending_names(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The names written in the current transaction that a rollback would delete (for tests)."""
    return [written.name for written in getattr(connections[using], "_netral_written_files", [])]


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # a file we cannot delete must not hide the error that got us here
        logger.exception("Could not delete stored file %s", name)


def _pending(connection) -> list:
    """The connection's list of files written in its open transaction, installing the hooks once."""
    pending = getattr(connection, "_netral_written_files", None)
    if pending is not None:
        return pending
    pending = connection._netral_written_files = []
    commit, rollback = connection.commit, connection.rollback
    savepoint_rollback, close = connection.savepoint_rollback, connection.close

    def commit_keeping():
        commit()
        pending.clear()  # committed: every file written in the transaction is now named by a row

    def rollback_deleting():
        rollback()  # refused inside an atomic block: nothing rolled back, nothing deleted
        _delete_all(pending)  # (a rollback that fails makes Django close the connection: see below)

    def close_deleting():
        try:
            close()
        finally:
            _delete_all(pending)  # an open transaction dies with its connection

    def savepoint_rollback_deleting(sid):
        savepoint_rollback(sid)
        if sid is None:
            return
        rolled_back = [written for written in pending if sid in written.savepoints]
        pending[:] = [written for written in pending if sid not in written.savepoints]
        for written in rolled_back:
            _delete_quietly(written.storage, written.name)

    connection.commit = commit_keeping
    connection.rollback = rollback_deleting
    connection.close = close_deleting
    connection.savepoint_rollback = savepoint_rollback_deleting
    return pending


def _delete_all(pending: list) -> None:
    written, pending[:] = list(pending), []
    for item in written:
        _delete_quietly(item.storage, item.name)
