"""Reading recommendations: one door (access_recommendation) and the lists, by role and jurisdiction.

- The civil-service authority sees the forwardings addressed to it and the
  recommendations it issued.
- A Pemda's personnel staff and PPK see the recommendations addressed to their agency.
- Bawaslu staff see both stages of the cases of their jurisdiction (read only).
- An administrator sees everything.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import PEMDA_ROLES
from cases.models import Case
from followup import compliance
from followup.models import Notice, Recommendation
from netral.clock import due_soon_until
from organizations.selectors import office_ids_under

Role = User.Role


def visible_q(user) -> Q:
    """The recommendations ``user`` may read, as a filter; PermissionDenied for anyone else."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.AUTHORITY and user.agency_id:
        return Q(addressee_id=user.agency_id) | Q(issuer_agency_id=user.agency_id)
    if user.role in PEMDA_ROLES and user.agency_id:
        return Q(addressee_id=user.agency_id, stage=Recommendation.Stage.PPK)
    if user.is_bawaslu and user.jurisdiction is not None:
        return Q(case__office_id__in=office_ids_under(user.jurisdiction))
    raise PermissionDenied


def recommendation_list_for(user, *, stage: str = "", state: str = "", query: str = "",
                            today: date | None = None) -> QuerySet[Recommendation]:
    """The user's recommendations, open ones by deadline first; query count independent of rows.

    ``state``: open, soon (open and due within the next working days, netral.clock), overdue,
    escalated, closed, or empty for all.
    """
    today = today or timezone.localdate()
    items = Recommendation.objects.filter(visible_q(user))
    if stage:
        items = items.filter(stage=stage)
    if state == "open":
        items = items.filter(is_open__in=[True])
    elif state == "soon":
        items = items.filter(is_open__in=[True], due_on__gte=today, due_on__lte=due_soon_until(today))
    elif state == "overdue":
        items = items.filter(is_open__in=[True], due_on__lt=today)
    elif state == "escalated":
        items = items.filter(is_open__in=[True], escalation_level__gt=0)
    elif state == "closed":
        items = items.filter(is_open__in=[False])
    if query:
        # A whole letter or case number is an index lookup (both on the recommendation's own
        # columns); anything else is looked for inside the numbers and the names.
        exact = items.filter(Q(number=query) | Q(case_id__in=Case.objects.filter(number=query).values("pk")))
        items = exact if exact.exists() else items.filter(
            Q(number__icontains=query) | Q(case__number__icontains=query) | Q(person_name__icontains=query))
    return (items.select_related("case", "addressee", "issuer_agency", "issuer_office", "decision")
            .order_by("-is_open", "due_on", "-id"))


def access_recommendation(user, pk) -> Recommendation:
    """The recommendation if the user may read it: 404 for a missing and a foreign one alike."""
    try:
        return (Recommendation.objects.filter(visible_q(user))
                .select_related("case__office__region", "case__election", "addressee__region", "issuer_agency",
                                "issuer_office", "parent", "person", "employee__unit", "letter", "acknowledged_by")
                .get(pk=pk))
    except (Recommendation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def forwarding_of_case(user, case) -> Recommendation | None:
    return Recommendation.objects.filter(visible_q(user), case=case, stage=Recommendation.Stage.AUTHORITY).first()


def employee_history(employee_id: int) -> QuerySet[Recommendation]:
    """Every recommendation about one register entry, newest first: repeat offenders show."""
    return (Recommendation.objects.filter(employee_id=employee_id, stage=Recommendation.Stage.PPK)
            .select_related("case", "decision").order_by("-issued_on", "-id"))


def notices_unread(user, *, limit: int = 10) -> list[Notice]:
    return list(Notice.objects.filter(user=user, read_at__isnull=True)
                .select_related("recommendation__case").order_by("-sent_on", "-id")[:limit])


def access_employee(user, pk):
    """A register entry whose follow-up history the user may read: 404 otherwise.

    The agency's own personnel staff and PPK, the civil-service authority, Bawaslu staff
    whose jurisdiction contains the agency's region, and administrators.
    """
    from registry.models import Employee

    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    try:
        employee = Employee.objects.select_related("agency__region", "unit").get(pk=pk)
    except (Employee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if user.role in {Role.ADMIN, Role.AUTHORITY}:
        return employee
    if user.role in PEMDA_ROLES and user.agency_id and user.agency_id == employee.agency_id:
        return employee
    if user.is_bawaslu and user.jurisdiction is not None and user.jurisdiction.contains(employee.agency.region):
        return employee
    raise Http404


# --- Figures for the agreements' indicators (no user: the agreement fixes the scope) ---------

def agency_compliance(*, agency, issued_from: date, issued_until: date, today: date) -> compliance.Figures:
    """The PPK-stage recommendations addressed to ``agency`` and issued in the period, by class (one query)."""
    items = Recommendation.objects.filter(stage=Recommendation.Stage.PPK, addressee=agency,
                                          issued_on__gte=issued_from, issued_on__lte=issued_until)
    return compliance.Figures.of(items.aggregate(**compliance.class_counts(today)))


def sanctions_imposed_count(*, agency, start: date, end: date) -> int:
    """Sanctions the PPK of ``agency`` imposed (recommendations closed as sanctioned) in the period."""
    return Recommendation.objects.filter(stage=Recommendation.Stage.PPK, addressee=agency,
                                         status=Recommendation.Status.SANCTIONED, closed_on__gte=start,
                                         closed_on__lte=end).count()


def violations_by_election(*, agency) -> list[tuple[object, int, int]]:
    """(election, decided, sanctioned) for every election, oldest voting day first (one query).

    Decided: the civil-service authority's recommendations to the PPK of ``agency`` about its
    ASN (a violation found, one per person and case); sanctioned: those the PPK acted on with
    a sanction. Contract staff are not ASN and are not counted.
    """
    from django.db.models import Count

    from rules.models import Election

    ppk = (Q(cases__recommendations__stage=Recommendation.Stage.PPK, cases__recommendations__addressee=agency)
           & ~Q(cases__recommendations__employee_kind="contract"))
    elections = Election.objects.annotate(
        decided=Count("cases__recommendations", filter=ppk, distinct=True),
        sanctioned=Count("cases__recommendations", distinct=True,
                         filter=ppk & Q(cases__recommendations__status=Recommendation.Status.SANCTIONED)),
    ).order_by("voting_day", "id")
    return [(election, election.decided, election.sanctioned) for election in elections]


def decided_violations_count(*, agency, start: date, end: date) -> int:
    """The authority's recommendations to the PPK of ``agency`` about its ASN issued in the period."""
    return (Recommendation.objects.filter(stage=Recommendation.Stage.PPK, addressee=agency, issued_on__gte=start,
                                          issued_on__lte=end).exclude(employee_kind="contract").count())


def election_titles() -> dict[str, str]:
    """Every election's id and title (in the active language), oldest voting day first."""
    from rules.models import Election

    return {election.pk: election.title for election in Election.objects.order_by("voting_day", "id")}
