"""Background jobs of reports (django-tasks, database backend): the reporter's e-mail notices.

Enqueued after the commit of a staff change (reports/notices.py); ``manage.py netral_worker``
runs them. Safe to run twice: a change already told is not told again.
"""

from django_tasks import task

from reports import notices


@task()
def report_notices_send_task(report_id: int) -> None:
    notices.notices_send(report_id=report_id)
