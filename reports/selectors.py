"""Reading reports: the one door for staff (access_report) and for reporters (the code)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from accounts.permissions import can_handle_reports
from organizations.selectors import office_ids_under
from reports.models import Attachment, Message, Report, ReportedPerson, StatusChange
from reports.tracking import normalize_code, sha256_hex


def _jurisdiction_q(user) -> Q:
    """Reports of the offices in the user's jurisdiction (see organizations.selectors)."""
    return Q(office_id__in=office_ids_under(user.jurisdiction))


def report_list_for(user, *, status: str = "", election: str = "", region_code: str = "", query: str = "",
                    unread: bool = False, channel: str = ""):
    """Reports in the user's jurisdiction and below, newest first, ready for the inbox.

    Counts are annotated and reported persons prefetched: the query count stays the same
    whatever the number of rows on the page.
    """
    if not can_handle_reports(user):
        raise PermissionDenied
    reports = Report.objects.filter(_jurisdiction_q(user))
    if status:
        reports = reports.filter(status=status)
    if election:
        reports = reports.filter(election_id=election)
    if region_code:
        reports = reports.filter(Q(region__code=region_code) | Q(region__code__startswith=region_code + "."))
    if query:
        reports = reports.filter(
            Q(number__icontains=query) | Q(place__icontains=query)
            | Q(pk__in=ReportedPerson.objects.filter(name__icontains=query).values("report_id"))
        )
    if unread:
        reports = reports.filter(unread_by_staff=True)
    if channel:
        reports = reports.filter(channel=channel)
    return (
        reports.select_related("region", "election", "office")
        # A correlated count, evaluated for the page's rows only (a JOIN + GROUP BY would
        # aggregate every report of the jurisdiction before the page is cut).
        .annotate(attachment_count=Subquery(
            Attachment.objects.filter(report=OuterRef("pk")).order_by().values("report")
            .annotate(count=Count("pk")).values("count")[:1]))
        .prefetch_related(Prefetch("reported_persons", queryset=ReportedPerson.objects.order_by("id")))
        .order_by("-created_at", "-id")
    )


def access_report(user, pk) -> Report:
    """The report if the user may handle it: 404 for a missing and a foreign report alike."""
    if not can_handle_reports(user):
        raise PermissionDenied
    try:
        return (
            Report.objects.filter(_jurisdiction_q(user))
            .select_related("region__parent", "election", "office")
            .get(pk=pk)
        )
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def report_by_code(code: str) -> Report | None:
    normalized = normalize_code(code)
    if normalized is None:
        return None
    return Report.objects.filter(tracking_hash=sha256_hex(normalized)).select_related("region", "election").first()


@dataclass
class ReportThread:
    """Everything shown about one report, loaded in a fixed number of queries."""

    report: Report
    reported_persons: list
    violations: list
    links: list
    attachments: list
    messages: list
    status_changes: list


def report_thread(report: Report) -> ReportThread:
    attachments = list(Attachment.objects.filter(report=report).select_related("blob").order_by("id"))
    by_message: dict[int, list] = {}
    for attachment in attachments:
        if attachment.message_id:
            by_message.setdefault(attachment.message_id, []).append(attachment)
    messages = list(Message.objects.filter(report=report).select_related("author").order_by("created_at", "id"))
    for message in messages:
        message.files = by_message.get(message.pk, [])
    return ReportThread(
        report=report,
        reported_persons=list(report.reported_persons.select_related("employee__unit").order_by("id")),
        violations=list(report.violations.order_by("position", "id")),
        links=list(report.links.order_by("id")),
        attachments=[a for a in attachments if a.message_id is None],
        messages=messages,
        status_changes=list(StatusChange.objects.filter(report=report).order_by("created_at", "id")),
    )


def attachment_of(report: Report, attachment_id) -> Attachment:
    try:
        return Attachment.objects.select_related("blob").get(report=report, pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
