"""Reads of the onboarding pages: an agency's state, its people, and the national list.

The national list asks the checklist's questions (onboarding.checklist) in SQL, as EXISTS and
COUNT subqueries on the agency row, so a page of agencies is one query whatever the country
holds (onboarding/tests/test_views.py asserts the count).
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.invitations import inviting_region, may_invite
from accounts.models import Invitation, User
from accounts.permissions import PEMDA_ROLES, Role
from agreements.models import Party
from onboarding.checklist import MAX_NAMES, AgencyState
from organizations.models import Agency
from regions.models import Region
from registry.models import ImportJob

STATUS_LIVE, STATUS_PROGRESS, STATUS_NOT_STARTED = "live", "progress", "not_started"


def _people(agency_ref) -> QuerySet[User]:
    """The agency's PPK and personnel accounts that count: active, or invited with an open link."""
    pending = Invitation.objects.filter(user=OuterRef("pk"), status=Invitation.Status.PENDING)
    return User.objects.filter(agency=agency_ref, role__in=PEMDA_ROLES).filter(Q(is_active=True) | Exists(pending))


def _enrolled():
    return Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))


def _unenrolled(agency_ref) -> QuerySet[User]:
    return _people(agency_ref).filter(~Q(is_active=True) | ~_enrolled())


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("agency").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_flags(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    """Each agency with the checklist's answers as columns (one query)."""
    agency = OuterRef("pk")
    return agencies.annotate(
        ppk_named=Exists(_people(agency).filter(role=Role.PPK)),
        personnel_named=Exists(_people(agency).filter(role=Role.PEMDA_STAFF)),
        unenrolled=_count(_unenrolled(agency)),
        register_imported=Exists(ImportJob.objects.filter(agency=agency, state=ImportJob.State.COMMITTED)),
        agreement_recorded=Exists(Party.objects.filter(agency=agency)),
    )


LIVE_Q = Q(ppk_named=True, personnel_named=True, unenrolled=0, register_imported=True, agreement_recorded=True)
NOT_STARTED_Q = Q(ppk_named=False, personnel_named=False, register_imported=False, agreement_recorded=False)


def state_of(agency: Agency, *, names: tuple[str, ...] = ()) -> AgencyState:
    """The checklist's state from an agency annotated by ``with_flags``."""
    return AgencyState(ppk_named=agency.ppk_named, personnel_named=agency.personnel_named,
                       unenrolled=agency.unenrolled, register_imported=agency.register_imported,
                       agreement_recorded=agency.agreement_recorded, unenrolled_names=names)


def agency_state(agency: Agency) -> AgencyState:
    flagged = with_flags(Agency.objects.filter(pk=agency.pk)).get()
    names = tuple(user.get_full_name() or user.username
                  for user in _unenrolled(agency.pk).order_by("first_name", "pk")[:MAX_NAMES])
    return state_of(flagged, names=names)


def regional_agencies_for(user) -> QuerySet[Agency]:
    """The regional governments ``user`` may invite and list (none outside its inviting region)."""
    region = inviting_region(user)
    if region is None:
        return Agency.objects.none()
    return Agency.objects.filter(region.subtree_q("region"), kind=Agency.Kind.REGIONAL)


def onboarding_agencies_for(user, *, province: Region | None = None, status: str = "", q: str = "") -> QuerySet[Agency]:
    agencies = regional_agencies_for(user)
    if province is not None:
        agencies = agencies.filter(province.subtree_q("region"))
    if q:
        agencies = agencies.filter(name__icontains=q)
    agencies = with_flags(agencies.select_related("region", "region__parent"))
    if status == STATUS_LIVE:
        agencies = agencies.filter(LIVE_Q)
    elif status == STATUS_NOT_STARTED:
        agencies = agencies.filter(NOT_STARTED_Q)
    elif status == STATUS_PROGRESS:
        agencies = agencies.exclude(LIVE_Q).exclude(NOT_STARTED_Q)
    return agencies.order_by("region__code", "name", "pk")


def province_choices_for(user) -> QuerySet[Region]:
    """The provinces the list filters by (38 at most: a short, fixed list)."""
    region = inviting_region(user)
    if region is None:
        return Region.objects.none()
    return Region.objects.filter(region.subtree_q(), level=Region.Level.PROVINCE).order_by("code")


def access_onboarding_agency(user, pk) -> Agency:
    """The one door to an agency's onboarding page: the Pemda side its own agency, whoever may
    invite it; 404 for anything else, as for a missing agency."""
    agency = Agency.objects.select_related("region").filter(pk=pk, kind=Agency.Kind.REGIONAL).first()
    if agency is None:
        raise Http404
    if user.role in PEMDA_ROLES:
        if agency.pk != user.agency_id:
            raise Http404
    elif not may_invite(user, agency):
        raise Http404
    return agency


def agency_people(agency: Agency) -> QuerySet[User]:
    """The agency's PPK and personnel accounts, each with its latest invitation and whether it has
    enrolled its authenticator app (one query)."""
    latest = Invitation.objects.filter(user=OuterRef("pk")).order_by("-created_at", "-id")
    return (User.objects.filter(agency=agency, role__in=PEMDA_ROLES)
            .annotate(enrolled=_enrolled(), invitation_status=Subquery(latest.values("status")[:1]),
                      invitation_expires=Subquery(latest.values("expires_at")[:1]),
                      invitation_sent=Subquery(latest.values("created_at")[:1]))
            .order_by("role", "first_name", "pk"))
