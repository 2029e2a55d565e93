"""Opening a reporter's identity: by two people where the office asks for it, else by one.

Two people (``BawasluOffice.identity_reveal_needs_approval``, on by default; the report's
office decides): a staff member asks with a reason (``identity_request_create``); leadership
of the requester's office or of an office above it, never the requester, approves or refuses
(``identity_request_decide``); only then, and only until the end of the day of approval in
the installation's time zone, can the requester open the identity (``report_reveal_identity``).
The rest of the day rather than one look: a staff member who must call the reporter may need
the number twice, and every look is audited anyway. One person: the audited reveal as before.

Each opening leaves an ``IdentityDisclosure`` that the reporter's status page lists by role
and date, never by name. Every state change is one transaction with its audit entry.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import (
    Capability,
    can_approve_identity_requests,
    can_read_reporter_identity,
    roles_with,
)
from audit.services import audit_record
from organizations.models import BawasluOffice
from organizations.selectors import office_ids_under
from reports.models import IdentityDisclosure, IdentityRequest, Report

REASON_MIN_LENGTH = 10


def needs_two_people(report: Report) -> bool:
    return report.office.identity_reveal_needs_approval


def _end_of_day(moment: datetime) -> datetime:
    """Midnight after ``moment``, in the installation's time zone (WIB, WITA or WIT)."""
    return timezone.make_aware(datetime.combine(timezone.localdate(moment) + timedelta(days=1), time.min))


def _in_jurisdiction(user, report: Report) -> bool:
    return report.office_id in set(office_ids_under(user.jurisdiction))


def _may_decide(user, request: IdentityRequest) -> bool:
    """Leadership of the requester's office or of one above it, who may handle the report; not the requester."""
    requester_office = request.requested_by.bawaslu_office
    return (can_approve_identity_requests(user) and user.pk != request.requested_by_id
            and requester_office is not None and user.jurisdiction.contains(requester_office.region)
            and _in_jurisdiction(user, request.report))


def _active_grant(report: Report, user, *, now: datetime, lock: bool = False) -> IdentityRequest | None:
    grants = IdentityRequest.objects.filter(report=report, requested_by=user, valid_until__gt=now,
                                            status=IdentityRequest.Status.APPROVED)
    if lock:
        grants = grants.select_for_update(of=("self",))
    return grants.order_by("-decided_at", "-id").first()


# --- Writes -----------------------------------------------------------------------------------

@transaction.atomic
def identity_request_create(*, report: Report, actor, reason: str) -> IdentityRequest:
    """Ask to see the reporter's identity. Asking again while a request waits returns that one."""
    if not can_read_reporter_identity(actor):
        raise PermissionDenied
    report = Report.objects.select_for_update(of=("self",)).select_related("office").get(pk=report.pk)
    if not _in_jurisdiction(actor, report):
        raise PermissionDenied
    if not needs_two_people(report):
        raise ValidationError(_("At this office the identity is shown without a second person's approval."))
    if report.reporter is None:
        raise ValidationError(_("This report holds no identity to open."))
    now = timezone.now()
    waiting = IdentityRequest.objects.filter(report=report, requested_by=actor,
                                             status=IdentityRequest.Status.PENDING).first()
    if waiting is not None:
        return waiting
    if _active_grant(report, actor, now=now) is not None:
        raise ValidationError(_("Your request was already approved: you may open the identity today."))
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": _("Say why you need the identity (at least %(count)d characters).")
                               % {"count": REASON_MIN_LENGTH}})
    try:
        with transaction.atomic():
            request = IdentityRequest.objects.create(report=report, requested_by=actor, reason=reason,
                                                     requested_at=now)
    except IntegrityError:  # the same person's other tab, a moment ago (identity_request_one_pending)
        return IdentityRequest.objects.get(report=report, requested_by=actor,
                                           status=IdentityRequest.Status.PENDING)
    audit_record(actor=actor, action="report.identity_requested", target=report,
                 data={"request": request.pk, "reason": reason})
    mails = _mails_to_deciders(request)
    # Silent on a mail server error: the request is saved and waits in the leadership's inbox;
    # an error page after the commit would make the requester ask again.
    transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True) if mails else None)
    return request


@transaction.atomic
def identity_request_decide(*, request: IdentityRequest, actor, approve: bool, note: str = "") -> IdentityRequest:
    """Approve or refuse a waiting request; an approval holds until the end of the day."""
    if not can_approve_identity_requests(actor):
        raise PermissionDenied
    request = (IdentityRequest.objects.select_for_update(of=("self",))
               .select_related("report__office", "requested_by__bawaslu_office__region").get(pk=request.pk))
    if not _may_decide(actor, request):
        raise PermissionDenied
    if request.status != IdentityRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    now = timezone.now()
    request.status = IdentityRequest.Status.APPROVED if approve else IdentityRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
    request.valid_until = _end_of_day(now) if approve else None
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "valid_until"])
    audit_record(actor=actor, target=request.report,
                 action="report.identity_request_approved" if approve else "report.identity_request_refused",
                 data={"request": request.pk, "requested_by": request.requested_by_id,
                       "note": request.decision_note,
                       "valid_until": request.valid_until.isoformat() if request.valid_until else None})
    return request


@transaction.atomic
def report_reveal_identity(*, report: Report, actor) -> dict | None:
    """The reporter's identity, for a role that needs it (and an approval where asked); every read is audited."""
    if not can_read_reporter_identity(actor):
        raise PermissionDenied
    # The row lock orders the first look of two tabs: one disclosure each time, not two.
    report = Report.objects.select_for_update(of=("self",)).select_related("office").get(pk=report.pk)
    if not _in_jurisdiction(actor, report):
        raise PermissionDenied
    now = timezone.now()
    grant = None
    if report.reporter is not None and needs_two_people(report):
        grant = _active_grant(report, actor, now=now, lock=True)
        if grant is None:
            raise PermissionDenied
    if report.reporter is not None:
        _record_disclosure(report=report, viewer=actor, grant=grant, now=now)
    audit_record(actor=actor, action="report.identity_viewed", target=report,
                 data={"request": grant.pk} if grant else {})
    return report.reporter


def _record_disclosure(*, report: Report, viewer, grant: IdentityRequest | None, now: datetime) -> None:
    if grant is not None:
        if not IdentityDisclosure.objects.filter(request=grant).exists():
            IdentityDisclosure.objects.create(report=report, viewer=viewer, viewer_role=viewer.role, request=grant,
                                              approver_role=grant.decided_by.role, opened_at=now)
        return
    # One-step reveal: one line per person and day on the reporter's page, however many looks.
    start = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    today = IdentityDisclosure.objects.filter(report=report, viewer=viewer, request=None, opened_at__gte=start)
    if not today.exists():
        IdentityDisclosure.objects.create(report=report, viewer=viewer, viewer_role=viewer.role, opened_at=now)


def _mails_to_deciders(request: IdentityRequest) -> list[tuple]:
    """Tell the leadership who may decide (the requester's office and those above it); no identity."""
    region, codes = request.requested_by.bawaslu_office.region, []
    while region is not None:
        codes.append(region.code)
        region = region.parent
    offices = BawasluOffice.objects.filter(region__code__in=codes)
    deciders = (User.objects.filter(is_active=True, role__in=roles_with(Capability.APPROVE_IDENTITY_REQUESTS),
                                    bawaslu_office__in=offices)
                .exclude(pk=request.requested_by_id).exclude(email=""))
    with translation.override("id"):
        subject = _("Request to open a reporter's identity: %(number)s") % {"number": request.report.number}
        body = _("A staff member asks to see the reporter's identity of report %(number)s. Decide at %(path)s "
                 "(log in first). The request and your decision are recorded in the audit log.") % {
            "number": request.report.number, "path": reverse("reports:identity_requests")}
    return [(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in deciders]


# --- Reads ------------------------------------------------------------------------------------

def identity_requests_to_decide(user):
    """Waiting requests that ``user`` may decide, oldest first."""
    if not can_approve_identity_requests(user):
        return IdentityRequest.objects.none()
    jurisdiction = user.jurisdiction
    return (IdentityRequest.objects.filter(status=IdentityRequest.Status.PENDING,
                                           report__office_id__in=office_ids_under(jurisdiction))
            .filter(jurisdiction.subtree_q("requested_by__bawaslu_office__region"))
            .exclude(requested_by=user)
            .select_related("report", "requested_by__bawaslu_office")
            .order_by("requested_at", "id"))


def identity_requests_of(user):
    """The user's own requests, newest first (what became of them)."""
    return (IdentityRequest.objects
            .filter(requested_by=user, report__office_id__in=office_ids_under(user.jurisdiction))
            .select_related("report", "decided_by").order_by("-requested_at", "-id"))


def access_identity_request(user, report: Report, pk) -> IdentityRequest:
    """A request about a report the user may handle (``access_report`` first): 404 otherwise."""
    try:
        return (IdentityRequest.objects.select_related("requested_by__bawaslu_office__region", "report__office")
                .get(report=report, pk=pk))
    except (IdentityRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class IdentityPanel:
    """What the report page shows about the identity to one staff member."""

    two_people: bool
    can_read: bool
    grant: IdentityRequest | None = None
    waiting: IdentityRequest | None = None
    to_decide: list = field(default_factory=list)
    history: list = field(default_factory=list)


def identity_panel_for(user, report: Report) -> IdentityPanel:
    panel = IdentityPanel(two_people=needs_two_people(report), can_read=can_read_reporter_identity(user))
    if not panel.two_people or report.reporter is None:
        return panel
    now = timezone.now()
    history = list(report.identity_requests.select_related("requested_by", "decided_by")
                   .order_by("-requested_at", "-id"))
    mine = [r for r in history if r.requested_by_id == user.pk]
    panel.history = history
    panel.grant = next((r for r in mine if r.status == IdentityRequest.Status.APPROVED and r.valid_until > now), None)
    panel.waiting = next((r for r in mine if r.status == IdentityRequest.Status.PENDING), None)
    panel.to_decide = list(identity_requests_to_decide(user).filter(report=report))
    return panel


def identity_disclosures_public(report: Report) -> list[IdentityDisclosure]:
    """What the reporter's page lists: role and date of each opening, never who."""
    return list(IdentityDisclosure.objects.filter(report=report).only(
        "viewer_role", "approver_role", "opened_at", "report_id").order_by("opened_at", "id"))

