"""Background jobs of the messaging channels (django-tasks, database backend).

The webhook stores a message and enqueues its processing after its transaction commits;
``manage.py netral_worker`` runs it. Safe to run twice: a processed message is skipped, and
a conversation's messages are applied under its row lock, in arrival order.
"""

from django_tasks import task

from intake import services


@task()
def inbound_process_task(message_id: int) -> None:
    services.inbound_process(message_id=message_id)


@task()
def outbound_send_task(outbound_id: int) -> None:
    services.outbound_send(outbound_id=outbound_id)
