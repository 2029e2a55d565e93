"""Recovery of interrupted background tasks (ops/workers.py), on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from ops.workers import (
    WorkerIdInUse,
    hold_worker_id,
    stable_worker_id,
    tasks_requeue_interrupted,
    tasks_requeue_stale,
)
from registry.models import Employee, ImportJob
from registry.services.commit import import_commit_run
from registry.services.import_jobs import import_job_commit, import_job_create, import_job_preview
from registry.services.preview import import_job_from_rows, import_preview_run
from registry.tasks import import_commit_task

pytestmark = pytest.mark.django_db

NOW = timezone.datetime(2026, 11, 24, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))
ROWS = [
    {"nip": "198503152010012002", "name": "Ani Lestari", "kind": "PNS"},
    {"nip": "197908212005011003", "name": "Budi Santoso", "kind": "PNS"},
]


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def claimed_task(worker_id: str, *, job_id: int = 1, times: int = 1) -> DBTaskResult:
    """A queued task claimed by ``worker_id`` (``times`` claims: earlier runs interrupted too)."""
    result = import_commit_task.enqueue(job_id)
    task = DBTaskResult.objects.get(pk=result.id)
    for _ in range(times):
        task.claim(worker_id)
    return task


def test_the_stable_worker_id_is_host_and_slot():
    assert stable_worker_id(2, host="web1.bawaslu.go.id") == "web1.bawaslu.go.id-2"
    assert stable_worker_id(0, host="a b/c") == "a-b-c-0"


def test_a_long_host_name_is_cut_to_the_64_characters_db_worker_accepts():
    worker_id = stable_worker_id(11, host="x" * 100)
    assert len(worker_id) == 64 and worker_id.endswith("-11")


def test_a_restarted_worker_requeues_the_task_it_was_running():
    task = claimed_task("host-0")

    assert tasks_requeue_interrupted(worker_id="host-0") == (1, 0)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None
    assert task.worker_ids == ["host-0"]  # the history stays
    entry = AuditEntry.objects.get(action="task.requeued")
    assert entry.target_id == str(task.pk)
    assert entry.data == {"task": task.task_path, "worker": "host-0", "attempts": 1, "reason": "worker restarted"}


def test_tasks_of_other_workers_and_finished_tasks_are_left_alone():
    other = claimed_task("host-1")
    done = claimed_task("host-0")
    done.set_successful(None)
    earlier = claimed_task("host-0")  # interrupted on host-0, then taken over by host-1
    earlier.claim("host-1")

    assert tasks_requeue_interrupted(worker_id="host-0") == (0, 0)

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"RUNNING", "SUCCESSFUL"}
    assert other.pk in DBTaskResult.objects.running().values_list("pk", flat=True)
    assert not AuditEntry.objects.filter(action="task.requeued").exists()


def test_a_task_interrupted_too_often_is_marked_failed_not_requeued(settings):
    settings.NETRAL_TASK_MAX_ATTEMPTS = 3
    task = claimed_task("host-0", times=3)

    assert tasks_requeue_interrupted(worker_id="host-0") == (0, 1)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "ops.workers.Interrupted"
    assert "3 times" in task.traceback
    assert AuditEntry.objects.filter(action="task.abandoned").count() == 1


def test_stale_tasks_are_requeued_only_past_the_given_age():
    with time_machine.travel(NOW, tick=False):
        old = claimed_task("vanished-0")
    with time_machine.travel(NOW + timedelta(minutes=50), tick=False):
        recent = claimed_task("vanished-0")
    with time_machine.travel(NOW + timedelta(minutes=60), tick=False):
        assert tasks_requeue_stale(older_than=timedelta(minutes=30)) == (1, 0)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def test_stale_tasks_can_be_limited_to_one_worker():
    with time_machine.travel(NOW, tick=False):
        mine = claimed_task("vanished-0")
        claimed_task("alive-0")
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert tasks_requeue_stale(older_than=timedelta(minutes=30), worker_id="vanished-0") == (1, 0)
    mine.refresh_from_db()
    assert mine.status == TaskResultStatus.READY
    assert DBTaskResult.objects.running().count() == 1


def test_the_requeue_stale_tasks_command_reports_what_it_did(capsys):
    with time_machine.travel(NOW, tick=False):
        claimed_task("vanished-0")
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        call_command("requeue_stale_tasks", "--older-than", "30")
    assert "1 task(s) re-queued, 0 marked failed" in capsys.readouterr().out


def test_one_worker_id_is_held_by_one_process_at_a_time(tmp_path):
    first = hold_worker_id("host-0", lock_dir=tmp_path)
    with pytest.raises(WorkerIdInUse):
        hold_worker_id("host-0", lock_dir=tmp_path)
    second_slot = hold_worker_id("host-1", lock_dir=tmp_path)
    first.close()  # the process ended: the kernel releases the lock
    hold_worker_id("host-0", lock_dir=tmp_path).close()
    second_slot.close()


def test_netral_worker_refuses_an_id_another_process_holds(settings, tmp_path):
    from django.core.management.base import CommandError

    settings.DATA_DIR = tmp_path
    held = hold_worker_id("host-0")
    with pytest.raises(CommandError, match="host-0"):
        call_command("netral_worker", "--worker-id", "host-0", "--batch", "--no-startup-delay", verbosity=0)
    held.close()


@pytest.mark.django_db(transaction=True)  # db_worker closes connections between tasks
def test_netral_worker_requeues_its_interrupted_task_then_runs_it_once(settings, tmp_path, pemda_beltim, agencies):
    settings.DATA_DIR = tmp_path
    job = import_job_from_rows(actor=pemda_beltim, agency=agencies["beltim"], rows=ROWS, partner="SIASN")
    import_job_commit(job=job, actor=pemda_beltim, full_export=False)  # enqueued on commit
    # The worker "host-0" claimed the task and moved the job to committing, then was killed.
    task = DBTaskResult.objects.get()
    task.claim("host-0")
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.COMMITTING)

    call_command("netral_worker", "--worker-id", "host-0", "--batch", "--no-startup-delay", verbosity=0)

    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.worker_ids == ["host-0", "host-0"]
    assert job.state == ImportJob.State.COMMITTED
    assert Employee.objects.count() == 2
    assert AuditEntry.objects.filter(action="registry.import_committed").count() == 1


def test_a_commit_run_again_after_it_finished_changes_nothing(pemda_beltim, agencies,
                                                              django_capture_on_commit_callbacks):
    job = import_job_from_rows(actor=pemda_beltim, agency=agencies["beltim"], rows=ROWS, partner="SIASN")
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(job=job, actor=pemda_beltim, full_export=False)
    import_commit_run(job_id=job.pk)  # the task, run by a worker
    import_commit_run(job_id=job.pk)  # the same task again: re-queued while it was finishing

    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED
    assert Employee.objects.count() == 2
    assert AuditEntry.objects.filter(action="registry.import_committed").count() == 1


def test_an_interrupted_preview_runs_again_from_the_start(pemda_beltim, agencies, django_capture_on_commit_callbacks):
    from registry.tests.conftest import HEADERS, csv_upload

    upload = csv_upload([["198503152010012002", "Ani Lestari", "", "", "", "PNS", "", "", "", "Aktif"]],
                        headers=HEADERS)
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=upload)
    with django_capture_on_commit_callbacks(execute=False):
        import_job_preview(job=job, actor=pemda_beltim, mapping=job.mapping)
    # Killed after its claim: the job says "previewing", nothing is staged.
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.PREVIEWING)

    import_preview_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED, job.error
    assert job.rows_new == 1
