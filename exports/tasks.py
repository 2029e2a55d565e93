"""The background job of an export (django-tasks, database backend), run by ``manage.py netral_worker``.

It claims its ``ExportJob`` (queued -> running) first, so a task that runs twice builds once.
"""

from django_tasks import task

from exports.services import export_job_run


@task()
def export_build_task(job_id: int) -> None:
    export_job_run(job_id=job_id)
