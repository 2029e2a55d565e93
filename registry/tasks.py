"""Background jobs of the register exchange (django-tasks, database backend).

The web process enqueues them after its transaction commits; ``manage.py db_worker``
runs them. Each job claims its ``ImportJob`` (queued -> running) first, so a job that
runs twice does its work once.
"""

from django_tasks import task

from registry.services.commit import import_commit_run
from registry.services.preview import import_preview_run


@task()
def import_preview_task(job_id: int) -> None:
    import_preview_run(job_id=job_id)


@task()
def import_commit_task(job_id: int) -> None:
    import_commit_run(job_id=job_id)
