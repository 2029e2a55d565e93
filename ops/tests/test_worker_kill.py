"""A real worker process killed with SIGKILL in the middle of a register commit (PostgreSQL).

The test holds a row lock that the commit needs, so the worker is certainly inside the
commit's transaction when it is killed; then a worker restarted under the same id
re-queues the task and finishes the import exactly once.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from registry.models import Employee, ImportJob
from registry.services.import_jobs import import_job_commit
from registry.services.preview import import_job_from_rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and a second process need PostgreSQL"),
]

BASE_DIR = Path(django_settings.BASE_DIR)
ROWS = [{"nip": f"198503152010012{n:03d}", "name": f"Pegawai {n}", "kind": "PNS"} for n in range(1, 51)]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(worker_id: str, log: Path, *extra: str, url: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url or database_url(),
           "NETRAL_DATA_DIR": str(django_settings.DATA_DIR),
           "NETRAL_DEBUG": "0"}
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "netral_worker", "--worker-id", worker_id, "--interval", "0.1",
             "--no-startup-delay", *extra], cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_for(condition, what: str, process: subprocess.Popen, log: Path, limit: float = 120):
    """Poll until ``condition()``; fail with the worker's log if it never holds (a hang, not a timing test)."""
    deadline = time.monotonic() + limit
    while not condition():
        if process.poll() is not None and process.returncode not in (None, 0):
            pytest.fail(f"worker exited with {process.returncode} before {what}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"never saw {what}:\n{log.read_text()}")
        time.sleep(0.1)


def test_a_worker_killed_mid_commit_is_restarted_and_commits_once(settings, tmp_path, pemda_beltim, agencies):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    log = tmp_path / "worker.log"
    job = import_job_from_rows(actor=pemda_beltim, agency=agencies["beltim"], rows=ROWS, partner="SIASN")
    import_job_commit(job=job, actor=pemda_beltim, full_export=False)  # enqueued on commit
    task = DBTaskResult.objects.get()

    # Another session locks the agency row: the commit will wait for it inside its transaction.
    blocker = psycopg.connect(database_url().replace("postgres://", "postgresql://"))
    blocker.execute("SELECT id FROM organizations_agency WHERE id = %s FOR UPDATE", [agencies["beltim"].pk])
    worker = start_worker("host-7", log)

    def commit_waits_for_the_lock():
        # (a transaction sees one snapshot of the statistics: look from a fresh one each time)
        with psycopg.connect(database_url().replace("postgres://", "postgresql://"), autocommit=True) as observer:
            row = observer.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
        return row[0] > 0

    try:
        wait_for(commit_waits_for_the_lock, "the commit waiting for the agency lock", worker, log)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        blocker.rollback()
        blocker.close()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING  # what db_worker alone would leave for ever
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.COMMITTING
    assert Employee.objects.count() == 0  # the transaction died with the worker

    restarted = start_worker("host-7", log, "--batch")  # --batch: exits when the queue is empty
    wait_for(lambda: restarted.poll() == 0, "the restarted worker finishing", restarted, log)

    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.worker_ids == ["host-7", "host-7"]
    assert job.state == ImportJob.State.COMMITTED
    assert Employee.objects.count() == len(ROWS)
    assert AuditEntry.objects.filter(action="registry.import_committed").count() == 1
    assert AuditEntry.objects.filter(action="task.requeued", target_id=str(task.pk)).count() == 1
