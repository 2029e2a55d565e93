"""Recovery of background tasks interrupted by a dead worker (django-tasks-db).

django-tasks-db's ``db_worker`` marks a task RUNNING when it claims it and SUCCESSFUL or
FAILED when it ends. A worker killed in between (``kill -9``, an out-of-memory kill, a
power cut) leaves the task RUNNING for ever: no other worker takes it. Netral does not run a
queue of its own; it only puts such tasks back to READY so that ``db_worker`` runs them
again:

- ``manage.py netral_worker`` runs ``db_worker`` under a stable worker id (host name and
  slot). On start it re-queues the tasks still RUNNING under its own id: the process that
  had that id is gone (a file lock guarantees one process per id on a host), so those
  tasks were interrupted.
- ``manage.py requeue_stale_tasks --older-than MINUTES`` re-queues the tasks RUNNING for
  longer than that, whatever their worker: for a worker whose machine is gone for good.
  Only use an age well above the longest task (a register import: minutes).

A task re-queued ``NETRAL_TASK_MAX_ATTEMPTS`` times (default 3) is marked FAILED instead,
so that a task that kills its worker does not loop. Our tasks are safe to run again
(registry/services/import_jobs.py ``import_job_claim``): the preview first deletes what it
staged; the commit is one transaction that checks the job's state under a row lock.
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from audit.services import audit_record

MAX_WORKER_ID = 64  # db_worker's limit


class WorkerIdInUse(Exception):
    """Another live process on this host holds the same worker id."""


def stable_worker_id(slot: int = 0, host: str | None = None) -> str:
    """``<host>-<slot>``: the same after a restart, unique per host and slot."""
    host = re.sub(r"[^A-Za-z0-9.-]", "-", host or socket.gethostname()) or "host"
    suffix = f"-{slot}"
    return host[: MAX_WORKER_ID - len(suffix)] + suffix


def max_attempts() -> int:
    return int(getattr(settings, "NETRAL_TASK_MAX_ATTEMPTS", 3))


def hold_worker_id(worker_id: str, lock_dir: Path | None = None):
    """Take the host-local lock of ``worker_id`` for the life of the process (an open file).

    Raises ``WorkerIdInUse`` if another process has it: two processes with one id would
    re-queue each other's tasks. The kernel drops the lock when the process dies, however.
    """
    lock_dir = Path(lock_dir or settings.DATA_DIR / "run")
    lock_dir.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9.-]", "_", worker_id)
    handle = open(lock_dir / f"worker-{name}.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise WorkerIdInUse(worker_id) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def _requeue(queryset, *, reason: str) -> tuple[int, int]:
    """Put RUNNING tasks of ``queryset`` back to READY (FAILED past the attempt limit)."""
    requeued = failed = 0
    with transaction.atomic():
        for task in queryset.select_for_update(skip_locked=True).order_by("started_at"):
            worker = task.worker_ids[-1] if task.worker_ids else ""
            if len(task.worker_ids) >= max_attempts():
                task.status = TaskResultStatus.FAILED
                task.finished_at = timezone.now()
                task.exception_class_path = "ops.workers.Interrupted"
                task.traceback = f"Interrupted {len(task.worker_ids)} times (last worker {worker}); not retried."
                task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                failed += 1
                action = "task.abandoned"
            else:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                requeued += 1
                action = "task.requeued"
            audit_record(actor=None, action=action, target=task, data={
                "task": task.task_path, "worker": worker, "attempts": len(task.worker_ids), "reason": reason,
            })
    return requeued, failed


def tasks_requeue_interrupted(*, worker_id: str) -> tuple[int, int]:
    """Re-queue the tasks left RUNNING by an earlier process with ``worker_id``.

    Call it only while holding ``hold_worker_id(worker_id)``. Returns (re-queued, failed).
    """
    running = DBTaskResult.objects.running()
    # worker_ids is a JSON list; its last item is the worker that claimed the current run.
    # (JSON "contains" is not available on SQLite; RUNNING tasks are few.)
    ids = [pk for pk, workers in running.values_list("pk", "worker_ids") if workers and workers[-1] == worker_id]
    if not ids:
        return 0, 0
    return _requeue(running.filter(pk__in=ids), reason="worker restarted")


def tasks_requeue_stale(*, older_than: timedelta, worker_id: str | None = None) -> tuple[int, int]:
    """Re-queue the tasks RUNNING since before ``now - older_than`` (of one worker, if given)."""
    running = DBTaskResult.objects.running().filter(started_at__lt=timezone.now() - older_than)
    if worker_id:
        ids = [pk for pk, workers in running.values_list("pk", "worker_ids") if workers and workers[-1] == worker_id]
        running = running.filter(pk__in=ids)
    if not running.exists():
        return 0, 0
    return _requeue(running, reason=f"running for more than {older_than}")
