"""E-mail notices to a reporter who asked for them (issue 18): that there is news, never the news.

A reporter who gives an e-mail address on the web form may tick the box for notices
(``Report.notify_by_email``; the address itself stays encrypted in ``Report.reporter``). When
staff change the report's public history (a status change, an announced outcome, a handover)
or write to the reporter, the service calls ``notices_queue`` inside its transaction; after
the commit a task (reports/tasks.py, django-tasks) runs ``notices_send``, which sends one
e-mail through Django's mail backend saying only that there is news and where the tracking
page is: no report number, no code, no content, no names. Whoever reads the mailbox learns
that its owner made a report, which is why it is opt-in (docs/threat-model.md).

Each change told is recorded (``ReporterNotice``, unique per change, without the address),
in the same transaction as the sending: a task that runs twice, or two tasks for changes of
one moment, send one e-mail. A mail server error rolls the records back and the task fails
(recorded by the worker); the next change's notice covers what was not told. The reporter
stops the notices on the tracking page (services.report_notices_stop); an anonymous report,
or one whose identity was erased, has no address and gets nothing. A report that came by a
chat channel is told on that channel by intake, not here (docs/channels.md).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import Message, Report, ReporterNotice, StatusChange

# The tracking page's button, named in the e-mail with the same words.
STOP_LABEL = gettext_lazy("Stop receiving notices")


def notices_queue(*, report: Report) -> None:
    """Called inside the transaction of a staff change: a task tells the reporter after the commit."""
    if report.notify_by_email:
        transaction.on_commit(lambda report_id=report.pk: _enqueue(report_id))


def _enqueue(report_id: int) -> None:
    from reports import tasks

    tasks.report_notices_send_task.enqueue(report_id)


def _untold(report: Report) -> tuple[list[int], list[int]]:
    """The staff changes of the report that no notice covered yet: status changes, then messages."""
    changes = StatusChange.objects.filter(report=report, actor__isnull=False, notice__isnull=True)
    messages = Message.objects.filter(report=report, sender=Message.Sender.STAFF, notice__isnull=True)
    return list(changes.values_list("pk", flat=True)), list(messages.values_list("pk", flat=True))


def notices_send(*, report_id: int) -> int:
    """Tell the reporter there is news, once for every staff change not told yet; how many it covered."""
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=report_id).first()
            if report is None or not report.notify_by_email:
                return 0
            address = (report.reporter or {}).get("email", "")
            if not address:  # anonymous, or the identity was erased (cases/retention.py)
                return 0
            changes, messages = _untold(report)
            if not changes and not messages:
                return 0  # told already, by an earlier run of the task
            now = timezone.now()
            # Unique per change: a second run that got here at the same time fails on these rows.
            ReporterNotice.objects.bulk_create(
                [ReporterNotice(report=report, status_change_id=pk, sent_at=now) for pk in changes]
                + [ReporterNotice(report=report, message_id=pk, sent_at=now) for pk in messages])
            notice_email(report=report, address=address).send()  # an error rolls the records back
    except IntegrityError:
        return 0  # another run of the task told these changes a moment ago
    return len(changes) + len(messages)


def notice_language(report: Report) -> str:
    return report.language if report.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def notice_email(*, report: Report, address: str) -> EmailMessage:
    """The notice: that there is news and where to read it. Nothing of the report is in it."""
    url = settings.NETRAL_PUBLIC_URL + reverse("reports:track")
    with translation.override(notice_language(report)):
        subject = _("There is news on your report")
        body = "\n\n".join([
            _("There is news on the report you sent to Bawaslu through Netral."),
            _("To read it, open the tracking page and enter your tracking code:") + f"\n{url}",
            _("For your safety this e-mail holds nothing of the report: not its content, not its number, not your "
              "code. Bawaslu never asks you for your code."),
            _("To stop these e-mails, open your report and choose “%(stop)s”.") % {"stop": STOP_LABEL},
        ])
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address],
                        headers={"Auto-Submitted": "auto-generated"})
