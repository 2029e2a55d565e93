"""The staff landing page: what needs the logged-in account today, by role (issue 18, item 8).

Each block is a count and at most ``ROWS`` rows of one of the staff lists, read through that
list's own selector with the same filter as the block's link, so that "3 overdue cases" on
the landing page opens the list of exactly those three. The selectors narrow to the
account's jurisdiction, office or agency (their access rules, not repeated here). A fixed
number of queries whatever the data: a count and one page of rows per block.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import Capability, can
from cases.models import Case
from cases.selectors import case_list_for
from followup.models import Recommendation
from followup.selectors import recommendation_list_for
from netral.clock import SOON_WORKING_DAYS
from registry.models import ImportJob
from registry.selectors import import_job_list_for
from reports.models import Report
from reports.selectors import report_deadlines, report_list_for
from reports.states import Status as ReportStatus

ROWS = 5
# A failed register import stays "needing attention" for a week; older ones are history.
FAILED_IMPORT_DAYS = 7
IMPORT_WAITING = (ImportJob.State.MAPPING, ImportJob.State.PREVIEWED)


@dataclass(frozen=True)
class Row:
    title: str
    url: str
    note: str = ""
    since: date | None = None  # when it began: the row's age
    due: date | None = None  # its next deadline


@dataclass(frozen=True)
class Block:
    id: str  # the HTML id, and what the tests ask for
    title: str
    count: int
    rows: list[Row]
    url: str  # the full list, filtered as the block is
    empty: str = ""


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    url: str = ""


@dataclass
class Summary:
    blocks: list[Block] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)  # the administrators' system summary


def _url(name: str, **query) -> str:
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _block(block_id, title, items, url, rows, empty) -> Block:
    return Block(
        id=block_id, title=title, count=items.count(), rows=rows(list(items[:ROWS])), url=url, empty=empty
    )


def _soon(text: str) -> str:
    return text % {"days": SOON_WORKING_DAYS}


def _case_rows(cases) -> list[Row]:
    return [
        Row(
            title=case.number,
            url=case.get_absolute_url(),
            note=case.get_status_display(),
            since=case.registered_on,
            due=case.due_on,
        )
        for case in cases
    ]


def _recommendation_rows(items) -> list[Row]:
    return [
        Row(
            title=item.number,
            url=item.get_absolute_url(),
            note=" · ".join(filter(None, [item.case.number, item.person_name, item.addressee.name])),
            since=item.issued_on,
            due=item.due_on if item.is_open else None,
        )
        for item in items
    ]


def _report_rows(reports) -> list[Row]:
    dues = report_deadlines(reports)
    return [
        Row(
            title=report.number,
            url=report.get_absolute_url(),
            note=str(report.region),
            since=timezone.localdate(report.created_at),
            due=dues[report.pk],
        )
        for report in reports
    ]


def _bawaslu_blocks(user) -> list[Block]:
    return [
        _block(
            "new-reports",
            _("New reports, not yet registered"),
            report_list_for(user, status=ReportStatus.RECEIVED),
            _url("reports:inbox", status=ReportStatus.RECEIVED, order="due"),
            _report_rows,
            _("No new reports."),
        ),
        _block(
            "cases-due-soon",
            _soon(
                ngettext(
                    "Cases due in the next working day",
                    "Cases due in the next %(days)s working days",
                    SOON_WORKING_DAYS,
                )
            ),
            case_list_for(user, status="open", due="soon", order="due"),
            _url("cases:list", status="open", due="soon", order="due"),
            _case_rows,
            _("No case is due soon."),
        ),
        _block(
            "cases-overdue",
            _("Cases past their deadline"),
            case_list_for(user, status="open", due="overdue", order="due"),
            _url("cases:list", status="open", due="overdue", order="due"),
            _case_rows,
            _("No case is past its deadline."),
        ),
        _block(
            "decisions-awaiting",
            _("Decisions awaiting approval"),
            case_list_for(user, status=Case.Status.AWAITING_APPROVAL, order="due"),
            _url("cases:list", status=Case.Status.AWAITING_APPROVAL, order="due"),
            _case_rows,
            _("No decision awaits approval."),
        ),
    ]


def _ppk_blocks(user, today) -> list[Block]:
    return [
        _block(
            "recommendations-due-soon",
            _soon(
                ngettext(
                    "Recommendations to your agency due in the next working day",
                    "Recommendations to your agency due in the next %(days)s working days",
                    SOON_WORKING_DAYS,
                )
            ),
            recommendation_list_for(user, stage=Recommendation.Stage.PPK, state="soon", today=today),
            _url("followup:list", stage=Recommendation.Stage.PPK, state="soon"),
            _recommendation_rows,
            _("No recommendation is due soon."),
        ),
        _block(
            "recommendations-overdue",
            _("Recommendations to your agency past their deadline"),
            recommendation_list_for(user, stage=Recommendation.Stage.PPK, state="overdue", today=today),
            _url("followup:list", stage=Recommendation.Stage.PPK, state="overdue"),
            _recommendation_rows,
            _("No recommendation is past its deadline."),
        ),
    ]


def _import_attention_q(now) -> Q:
    return Q(state__in=IMPORT_WAITING) | Q(
        state=ImportJob.State.FAILED, created_at__gte=now - timedelta(days=FAILED_IMPORT_DAYS)
    )


def _import_block(user) -> Block:
    jobs = import_job_list_for(user).filter(_import_attention_q(timezone.now()))
    return _block(
        "imports-attention",
        _("Register imports needing attention"),
        jobs,
        reverse("registry:home"),
        lambda items: [
            Row(
                title=job.original_name,
                url=reverse("registry:import_detail", args=[job.pk]),
                note=" · ".join([job.agency.name, job.get_state_display()]),
                since=timezone.localdate(job.created_at),
            )
            for job in items
        ],
        _("No register import needs attention."),
    )


def _authority_blocks(user, today) -> list[Block]:
    return [
        _block(
            "forwardings-awaiting",
            _("Forwarded cases awaiting your recommendation"),
            recommendation_list_for(user, stage=Recommendation.Stage.AUTHORITY, state="open", today=today),
            _url("followup:list", stage=Recommendation.Stage.AUTHORITY, state="open"),
            _recommendation_rows,
            _("No forwarded case awaits a recommendation."),
        ),
    ]


def _system_figures(today) -> list[Figure]:
    """Nationwide counts for an administrator: one aggregate per table."""
    reports = Report.objects.aggregate(new=Count("pk", filter=Q(status=ReportStatus.RECEIVED)))
    cases = Case.objects.aggregate(
        open=Count("pk", filter=Q(is_open=True)),
        overdue=Count("pk", filter=Q(is_open=True, due_on__lt=today)),
    )
    items = Recommendation.objects.aggregate(
        open=Count("pk", filter=Q(is_open=True)),
        overdue=Count("pk", filter=Q(is_open=True, due_on__lt=today)),
    )
    failed = ImportJob.objects.filter(
        state=ImportJob.State.FAILED, created_at__gte=timezone.now() - timedelta(days=FAILED_IMPORT_DAYS)
    ).count()
    return [
        Figure(_("New reports, not yet registered"), reports["new"]),
        Figure(_("Open cases"), cases["open"]),
        Figure(_("Cases past their deadline"), cases["overdue"]),
        Figure(_("Open recommendations"), items["open"], _url("followup:list", state="open")),
        Figure(
            _("Recommendations past their deadline"), items["overdue"], _url("followup:list", state="overdue")
        ),
        Figure(_("Register imports failed in the last 7 days"), failed, reverse("registry:home")),
    ]


def staff_summary(user, *, today: date | None = None) -> Summary:
    """The landing page's blocks for ``user``, by what its role may do."""
    today = today or timezone.localdate()
    summary = Summary()
    if can(user, Capability.HANDLE_REPORTS):
        summary.blocks += _bawaslu_blocks(user)
    if can(user, Capability.ACT_AS_PPK) and can(user, Capability.SEE_FOLLOWUP):
        summary.blocks += _ppk_blocks(user, today)
    if can(user, Capability.ACT_AS_AUTHORITY) and can(user, Capability.SEE_FOLLOWUP):
        summary.blocks += _authority_blocks(user, today)
    if can(user, Capability.SEE_NATIONAL_FIGURES) and user.role == user.Role.ADMIN:
        summary.figures = _system_figures(today)
    elif can(user, Capability.EXCHANGE_REGISTER):
        summary.blocks.append(_import_block(user))
    return summary
