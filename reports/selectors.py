"""Reading reports: the one door for staff (access_report) and for reporters (the code)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.permissions import can_handle_reports
from organizations.selectors import office_ids_under
from reports.models import Attachment, ClockPause, Message, Report, ReportedPerson, StatusChange
from reports.states import Status
from reports.tracking import normalize_code, sha256_hex
from rules import deadlines
from rules.catalog import STEP_COMPLETION, STEP_INITIAL_STUDY
from rules.selectors import DeadlineRuleNotFound, deadline_rule, holiday_calendar


def _jurisdiction_q(user) -> Q:
    """Reports of the offices in the user's jurisdiction (see organizations.selectors)."""
    return Q(office_id__in=office_ids_under(user.jurisdiction))


def report_list_for(user, *, status: str = "", election: str = "", region_code: str = "", query: str = "",
                    unread: bool = False, channel: str = "", order: str = "new"):
    """Reports in the user's jurisdiction and below, ready for the inbox: newest first, or with
    ``order="due"`` by next deadline: the reports whose clock runs, soonest first, then the others,
    newest first (one ORDER BY on the stored Report.next_due_on, index report_office_due).

    A plain queryset for a Paginator. Counts are annotated and reported persons prefetched: the
    query count stays the same whatever the number of rows on the page.
    """
    if not can_handle_reports(user):
        raise PermissionDenied
    reports = _filtered(user, status=status, election=election, region_code=region_code, query=query,
                        unread=unread, channel=channel)
    if order == "due":
        return _for_inbox(reports).order_by(F("next_due_on").asc(nulls_last=True), "-created_at", "-id")
    return _for_inbox(reports).order_by("-created_at", "-id")


def _filtered(user, *, status, election, region_code, query, unread, channel):
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
    return reports


def _for_inbox(reports):
    return (
        reports.select_related("region", "election", "office")
        # A correlated count, evaluated for the page's rows only (a JOIN + GROUP BY would
        # aggregate every report of the jurisdiction before the page is cut).
        .annotate(attachment_count=Subquery(
            Attachment.objects.filter(report=OuterRef("pk")).order_by().values("report")
            .annotate(count=Count("pk")).values("count")[:1]))
        .prefetch_related(Prefetch("reported_persons", queryset=ReportedPerson.objects.order_by("id")))
    )


# --- Next deadlines of the inbox ---------------------------------------------------------------
# Issue 20: a report's next deadline is stored (Report.next_due_on), computed here by the rule of
# cases.deadlines.report_next_deadline: on each write that changes it (reports.services), by the
# daily ``manage.py recompute_deadlines`` and the data migration that filled the column.
# reports/tests/test_inbox_deadlines.py and test_stored_deadlines.py hold the stored date to the
# one-report rule.

RUNNING = (Status.RECEIVED, Status.IN_REVIEW, Status.NEEDS_COMPLETION)


def report_deadlines(reports) -> dict[int, date | None]:
    """The next deadline of each report, by id, as stored on it: None where no clock runs. No query."""
    return {report.pk: report.next_due_on for report in reports}


def report_deadlines_compute(reports, *, today: date | None = None, calendar=None) -> dict[int, date | None]:
    """The next deadline of each report (its ``election`` loaded), by id, computed from its status,
    its clock pauses and the holiday calendar: None where no clock runs.

    A fixed number of queries whatever the number of reports: one for the clock pauses, two
    for the holiday calendar (none when ``calendar`` is given, none when no clock runs).
    """
    today = today or timezone.localdate()
    running = [report for report in reports if report.status in RUNNING]
    dues: dict[int, date | None] = {report.pk: None for report in reports}
    if not running:
        return dues
    pauses: dict[int, list[tuple[date, date | None]]] = {}
    rows = (ClockPause.objects.filter(report_id__in=[r.pk for r in running]).order_by("started_on", "id")
            .values_list("report_id", "started_on", "ended_on"))
    for report_id, started_on, ended_on in rows:
        pauses.setdefault(report_id, []).append((started_on, ended_on))
    calendar = calendar if calendar is not None else holiday_calendar()
    for report in running:
        dues[report.pk] = report_next_due(status=report.status, created_at=report.created_at,
                                          regime=report.election.regime, pauses=pauses.get(report.pk, []),
                                          today=today, calendar=calendar)
    return dues


def report_next_due(*, status: str, created_at, regime: str, pauses, today: date, calendar) -> date | None:
    """The next deadline of one report (cases.deadlines.report_next_deadline's rule), from plain
    values so that the data migration can call it with historical rows.

    ``pauses``: (stopped on, answered on or None) pairs, oldest first. Waiting for the reporter,
    the completion window runs from the last stop; received or being checked, the initial study
    runs from the day of receipt, the pauses added.
    """
    if status == Status.NEEDS_COMPLETION:
        if not pauses:
            return None
        step, start, pairs = STEP_COMPLETION, pauses[-1][0], ()
    elif status in (Status.RECEIVED, Status.IN_REVIEW):
        step, start = STEP_INITIAL_STUDY, timezone.localdate(created_at)
        pairs = [(started_on, ended_on or today) for started_on, ended_on in pauses]
    else:
        return None
    try:
        rule = deadline_rule(regime, step, start)
    except DeadlineRuleNotFound:
        return None  # the regime sets no clock for this step
    return deadlines.compute(rule, start, calendar, pairs).due


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
