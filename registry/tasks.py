"""Background jobs of the register exchange (django-tasks, database backend).

The web process enqueues them after its transaction commits; ``manage.py db_worker``
runs them. Each job claims its ``ImportJob`` (queued -> running) first, so a job that
runs twice does its work once.
"""

from django_tasks import task

from registry import services


@task()
def import_preview_task(job_id: int) -> None:
    services.import_preview_run(job_id=job_id)


@task()
def import_commit_task(job_id: int) -> None:
    services.import_commit_run(job_id=job_id)
