"""Background jobs of prevention (django-tasks, database backend; ``manage.py db_worker`` runs them)."""

from django_tasks import task

from prevention.notices import notice_deliver_run


@task()
def notice_deliver_task(notice_id: int) -> None:
    notice_deliver_run(notice_id=notice_id)
