"""``manage.py netral_worker``: django-tasks-db's ``db_worker`` under a stable worker id.

Same options as ``db_worker`` plus ``--slot`` (default 0): the worker id is
``<host name>-<slot>`` unless ``--worker-id`` is given; run one process per slot on a host
(systemd: ``netral-worker@0``, ``netral-worker@1``...). On start it re-queues the tasks its
id left RUNNING when it was killed (ops/workers.py), then works as ``db_worker``. Never
reloads on code changes (``--reload`` is off whatever DEBUG says).

A database that goes away (a PostgreSQL restart, a network cut) does not end the process:
db_worker's loop stops on the error, and this command waits (1 s, doubling up to 30 s),
re-queues what it was running and starts the loop again, so that the worker outlives the
outage without a supervisor. A task whose own work failed on the lost connection is
recorded as failed by db_worker, as any failed task (docs/operations.md).
"""

import time

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import logger

from ops.workers import WorkerIdInUse, hold_worker_id, stable_worker_id, tasks_requeue_interrupted


class Command(DbWorkerCommand):
    help = "Run a database background worker with a stable id; re-queue the tasks it was running when killed."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--slot", type=int, default=0, help="Worker slot on this host (default: 0).")
        parser.set_defaults(worker_id=None, reload=False)

    def handle(self, *, worker_id=None, slot=0, **options):
        self.configure_logging(options["verbosity"])
        worker_id = worker_id or stable_worker_id(slot)
        try:
            self._lock = hold_worker_id(worker_id)  # held until the process ends
        except WorkerIdInUse:
            raise CommandError(f"Another worker on this host runs as {worker_id!r}; use another --slot.") from None
        options["reload"] = False  # the reloader's child would not hold the lock
        delay = 1
        while True:
            try:
                requeued, failed = tasks_requeue_interrupted(worker_id=worker_id)
                if requeued or failed:
                    logger.warning("worker_id=%s: re-queued %d interrupted task(s), gave up on %d",
                                   worker_id, requeued, failed)
                delay = 1  # the database answers again
                super().handle(worker_id=worker_id, **options)
                return  # stopped by a signal, --batch or --max-tasks
            except DatabaseError as error:
                reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
                logger.warning("worker_id=%s: the database is unavailable (%s); trying again in %d s",
                               worker_id, reason, delay)
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, 30)
