"""storage.staging: quotas that hold under concurrent uploads, and nothing counted for a refused file.

The rows are reports.StagedFile (the one caller's model); the files are real, in the test's
sealed storage. The concurrent test runs real threads, each with its own database connection,
on SQLite and PostgreSQL.
"""

import threading
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.db import connection

from reports.models import StagedFile
from storage import staging
from storage.files import StorageFull
from storage.models import StagingCounter
from storage.tests.faults import FullDiskStorage, files_under

SIZE = 1000
QUOTA = staging.Quota(per_client=int(SIZE * 2.5), total=10 * SIZE, window=timedelta(hours=2))


def stage_one(number: int, *, client="c1", quota=QUOTA, storage=None):
    storage = storage or storages["sealed"]
    return staging.stage(
        staged=StagedFile.objects.all(), storage=storage, name=f"staging/t/{number}.bin", data=b"x" * SIZE,
        size=SIZE, client=client, quota=quota,
        create=lambda name: StagedFile.objects.create(submission_hash=f"{number:064d}", name=f"{number}.jpg",
                                                      sha256=f"{number:064d}", size=SIZE, sealed_name=name))


@pytest.mark.django_db
def test_a_client_stops_at_its_quota_and_another_client_does_not(tmp_path):
    assert [stage_one(n) is not None for n in range(3)] == [True, True, False]
    assert stage_one(3, client="c2") is not None
    assert StagedFile.objects.count() == 3 and len(files_under(tmp_path / "sealed")) == 3


@pytest.mark.django_db
def test_the_total_counts_every_staged_row():
    quota = staging.Quota(per_client=100 * SIZE, total=int(SIZE * 2.5), window=timedelta(hours=2))
    kept = [stage_one(n, client=f"c{n}", quota=quota) is not None for n in range(4)]
    assert kept == [True, True, False, False]


@pytest.mark.django_db
def test_a_full_disk_counts_nothing_and_leaves_no_file(tmp_path):
    full = FullDiskStorage(location=tmp_path / "full")
    with pytest.raises(StorageFull):
        stage_one(1, storage=full)
    assert not StagedFile.objects.exists() and files_under(tmp_path / "full") == []
    assert StagingCounter.objects.filter(client="c1").values_list("bytes", flat=True).first() in (None, 0)
    assert [stage_one(n) is not None for n in range(2, 5)] == [True, True, False]  # the full quota is still there


@pytest.mark.django_db
def test_the_purge_removes_old_rows_their_files_and_past_counts(tmp_path, time_machine,
                                                                 django_capture_on_commit_callbacks):
    time_machine.move_to("2024-11-12 09:10 +07:00")
    stage_one(1)
    time_machine.move_to("2024-11-12 13:10 +07:00")
    with django_capture_on_commit_callbacks(execute=True):
        removed = staging.purge(staged=StagedFile.objects.all(), storage=storages["sealed"],
                                name_field="sealed_name", older_than=timedelta(hours=2),
                                quota_window=QUOTA.window)
    assert removed == 1 and not StagedFile.objects.exists() and files_under(tmp_path / "sealed") == []
    assert not StagingCounter.objects.exclude(client=staging.TOTAL).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_of_one_client_never_pass_its_quota_together(tmp_path):
    """Eight uploads at once from one client whose quota holds two: two are kept, whatever the timing."""
    start, results, errors = threading.Barrier(8), [], []

    def upload(number):
        try:
            start.wait()
            results.append(stage_one(number) is not None)
        except Exception as error:  # reported below, with the thread's own database error
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(results) == [False] * 6 + [True] * 2
    assert StagedFile.objects.count() == 2 and len(files_under(tmp_path / "sealed")) == 2
    assert StagingCounter.objects.exclude(client=staging.TOTAL).get().bytes == 2 * SIZE
