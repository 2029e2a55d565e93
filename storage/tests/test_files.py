"""storage.files: a file written in a transaction lives and dies with it (SQLite and PostgreSQL).

Real files in a temporary folder, real transactions: the outermost ones need a transactional
test (``transaction=True``), since an ordinary test runs inside a transaction of its own.
"""

import errno

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction

from storage import files
from storage.tests.faults import FullDiskStorage


class Boom(Exception):
    pass


@pytest.fixture
def disk(tmp_path):
    return FileSystemStorage(location=tmp_path / "files")


def exists(disk, name):
    return disk.exists(name)


@pytest.mark.django_db(transaction=True)
def test_a_commit_keeps_the_file_and_its_row(disk):
    with transaction.atomic():
        name = files.save(disk, "a/letter.pdf", b"%PDF-1")
        Group.objects.create(name=name)
        assert files.pending_names() == [name]
    assert exists(disk, name) and Group.objects.filter(name=name).exists()
    assert files.pending_names() == []
    assert name.startswith("a/letter_") and name.endswith(".pdf")
    assert disk.open(name).read() == b"%PDF-1"


@pytest.mark.django_db(transaction=True)
def test_an_exception_in_the_outer_block_removes_the_file(disk):
    written = []
    with pytest.raises(Boom), transaction.atomic():
        written.append(files.save(disk, "a/letter.pdf", b"%PDF-1"))
        Group.objects.create(name="x")
        assert exists(disk, written[0])
        raise Boom
    assert not exists(disk, written[0]) and not Group.objects.exists()
    assert files.pending_names() == []


@pytest.mark.django_db(transaction=True)
def test_a_commit_that_fails_removes_the_file(disk):
    """A deferred foreign key is checked at COMMIT (SQLite and PostgreSQL): the commit fails, the file goes."""
    from django.contrib.auth.models import Permission
    from django.db import IntegrityError

    written = []
    with pytest.raises(IntegrityError), transaction.atomic():
        written.append(files.save(disk, "a/letter.pdf", b"%PDF-1"))
        Permission.objects.create(name="x", codename="x", content_type_id=987654)  # no such content type
    assert not exists(disk, written[0]) and files.pending_names() == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_removes_only_its_own_files(disk):
    with transaction.atomic():
        outer = files.save(disk, "outer.bin", b"1")
        with transaction.atomic():
            kept_inner = files.save(disk, "kept.bin", b"2")
        try:
            with transaction.atomic():
                lost = files.save(disk, "lost.bin", b"3")
                with transaction.atomic():
                    lost_deeper = files.save(disk, "deeper.bin", b"4")
                raise Boom
        except Boom:
            pass
        assert not exists(disk, lost) and not exists(disk, lost_deeper)
        assert exists(disk, outer) and exists(disk, kept_inner)
        assert files.pending_names() == [outer, kept_inner]
    assert exists(disk, outer) and exists(disk, kept_inner)


@pytest.mark.django_db(transaction=True)
def test_files_of_released_savepoints_go_when_the_outer_block_fails(disk):
    names = []
    with pytest.raises(Boom), transaction.atomic():
        names.append(files.save(disk, "outer.bin", b"1"))
        with transaction.atomic():
            names.append(files.save(disk, "inner.bin", b"2"))
            with transaction.atomic():
                names.append(files.save(disk, "deeper.bin", b"3"))
        raise Boom
    assert [exists(disk, name) for name in names] == [False, False, False]


@pytest.mark.django_db(transaction=True)
def test_an_inner_block_without_savepoint_dooms_the_whole_transaction_and_its_files(disk):
    names = []
    with transaction.atomic():
        names.append(files.save(disk, "outer.bin", b"1"))
        try:
            with transaction.atomic(savepoint=False):
                names.append(files.save(disk, "inner.bin", b"2"))
                raise Boom
        except Boom:
            pass
        assert all(exists(disk, name) for name in names)  # the rollback happens at the outer exit
    assert [exists(disk, name) for name in names] == [False, False]


@pytest.mark.django_db(transaction=True)
def test_a_connection_closed_in_the_transaction_removes_its_files(disk):
    names = []
    with pytest.raises(Boom), transaction.atomic():
        names.append(files.save(disk, "outer.bin", b"1"))
        connection.close()  # the database rolls back what it had
        raise Boom
    assert not exists(disk, names[0])


@pytest.mark.django_db
def test_a_failed_inner_block_of_an_ordinary_test_removes_its_file(disk):
    """Inside the test's own transaction, a service's atomic block is a savepoint."""
    with pytest.raises(Boom), transaction.atomic():
        name = files.save(disk, "a.bin", b"1")
        raise Boom
    assert not exists(disk, name)
    with transaction.atomic():
        kept = files.save(disk, "b.bin", b"2")
    assert exists(disk, kept) and files.pending_names() == [kept]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_file_is_simply_written(disk):
    name = files.save(disk, "plain.bin", b"1")
    assert exists(disk, name) and files.pending_names() == []
    with transaction.atomic():
        Group.objects.create(name="after")
    assert exists(disk, name)


@pytest.mark.django_db(transaction=True)
def test_delete_on_commit_removes_the_old_file_only_once_the_change_is_durable(disk):
    old = files.save(disk, "old.bin", b"old")
    with pytest.raises(Boom), transaction.atomic():
        files.delete_on_commit(disk, old)
        raise Boom
    assert exists(disk, old)  # the change rolled back: its file stays
    with transaction.atomic():
        files.delete_on_commit(disk, old)
        assert exists(disk, old)
    assert not exists(disk, old)


class BrokenDisk(FullDiskStorage):
    def _save(self, name, content):
        try:
            super()._save(name, content)
        except OSError:
            raise OSError(errno.EIO, "Input/output error") from None


@pytest.mark.django_db
def test_a_full_disk_raises_storage_full_and_leaves_no_part(tmp_path):
    disk = FullDiskStorage(location=tmp_path / "full")
    with pytest.raises(files.StorageFull) as raised, transaction.atomic():
        files.save(disk, "evidence/ab/photo.jpg", b"1234")
    assert raised.value.code == "storage_full"
    assert "penuh" in raised.value.messages[0]  # Bahasa Indonesia by default
    assert [p for p in (tmp_path / "full").rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_another_write_error_is_raised_as_it_is_and_leaves_no_part(tmp_path):
    disk = BrokenDisk(location=tmp_path / "broken")
    with pytest.raises(OSError) as raised:
        files.save(disk, "photo.jpg", b"1234")
    assert raised.value.errno == errno.EIO and not isinstance(raised.value, files.StorageFull)
    assert [p for p in (tmp_path / "broken").rglob("*") if p.is_file()] == []


def test_unique_names_keep_folder_and_extension():
    assert files.unique_name("a/b/c.pdf").startswith("a/b/c_") and files.unique_name("a/b/c.pdf").endswith(".pdf")
    assert files.unique_name("plain").startswith("plain_") and "." not in files.unique_name("plain")
    assert files.unique_name("x.tar.gz").endswith(".gz") and files.unique_name("x") != files.unique_name("x")


@pytest.mark.django_db(transaction=True)
def test_a_rollback_refused_inside_an_atomic_block_deletes_nothing(disk):
    from django.db.transaction import TransactionManagementError

    with transaction.atomic():
        name = files.save(disk, "kept.bin", b"1")
        with pytest.raises(TransactionManagementError):
            transaction.rollback()  # Django refuses: the block is still open
        assert exists(disk, name)
    assert exists(disk, name)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_managed_by_hand_follows_its_commit_and_rollback(disk):
    transaction.set_autocommit(False)
    try:
        lost = files.save(disk, "lost.bin", b"1")
        transaction.rollback()
        kept = files.save(disk, "kept.bin", b"2")
        transaction.commit()
    finally:
        transaction.set_autocommit(True)
    assert not exists(disk, lost) and exists(disk, kept)
