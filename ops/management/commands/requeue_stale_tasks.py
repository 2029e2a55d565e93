"""``manage.py requeue_stale_tasks --older-than MINUTES [--worker-id ID]``.

Re-queues background tasks RUNNING for longer than MINUTES, i.e. whose worker is gone and
will not come back under the same id (a removed machine). A worker that restarts re-queues
its own tasks (``netral_worker``); this is for the others. Choose MINUTES well above the
longest task: a task re-queued while still running would run twice at once (our tasks
tolerate it, see ops/workers.py, but it wastes work).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from ops.workers import tasks_requeue_stale


class Command(BaseCommand):
    help = "Re-queue background tasks left RUNNING by a worker that vanished."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, required=True, metavar="MINUTES",
                            help="Only tasks started more than this many minutes ago.")
        parser.add_argument("--worker-id", help="Only tasks of this worker id.")

    def handle(self, *, older_than, worker_id, verbosity, **options):
        requeued, failed = tasks_requeue_stale(older_than=timedelta(minutes=older_than), worker_id=worker_id)
        if verbosity:
            self.stdout.write(f"{requeued} task(s) re-queued, {failed} marked failed (too many attempts).")
