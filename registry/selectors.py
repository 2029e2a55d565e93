from django.db.models import Q

from registry.models import Employee
from registry.nip import normalize_nip

# The dataset name of the ASN register in the exchange log (registry.ExchangeLog.dataset).
REGISTER_DATASET = "asn-register"

PUBLIC_SEARCH_LIMIT = 10


def employee_public_search(query: str, *, limit: int = PUBLIC_SEARCH_LIMIT):
    """Employees a reporter may pick: active, by whole NIP, by name or by unit.

    Reporters see name, position and unit only (never NIP or birth date): these are
    public officials' roles, not their personal data.
    """
    query = (query or "").strip()
    if len(query) < 3:
        return Employee.objects.none()
    digits = normalize_nip(query)
    employees = Employee.objects.filter(active=True).select_related("unit", "agency")
    if digits.isdigit() and len(digits) == 18:
        employees = employees.filter(nip=digits)
    else:
        employees = employees.filter(
            Q(name__icontains=query) | Q(unit__name__icontains=query) | Q(unit__short_name__iexact=query)
        )
    return employees.order_by("name", "pk")[:limit]


# --- Register exchange ------------------------------------------------------------------------

def register_agencies_for(user):
    """The agencies whose register this account may import and export."""
    from organizations.models import Agency
    from registry.services.exchange import can_exchange_register

    if not can_exchange_register(user=user):
        return Agency.objects.none()
    if user.role == user.Role.ADMIN:
        return Agency.objects.exclude(kind=Agency.Kind.AUTHORITY).order_by("name")
    return Agency.objects.filter(pk=user.agency_id)


def import_job_list_for(user):
    from registry.models import ImportJob

    return (ImportJob.objects.filter(agency__in=register_agencies_for(user))
            .select_related("agency", "created_by").order_by("-created_at", "-pk"))


def access_import_job(user, pk: int):
    """The only door to an import: 404 for a missing one and for another agency's alike."""
    from django.http import Http404

    from registry.models import ImportJob

    job = ImportJob.objects.select_related("agency", "created_by").filter(pk=pk).first()
    if job is None or not register_agencies_for(user).filter(pk=job.agency_id).exists():
        raise Http404
    return job


def import_rows(job, status: str):
    from registry.models import ImportRow

    return ImportRow.objects.filter(job=job, status=status).order_by("line", "pk")


def exchange_log_for(user):
    from registry.models import ExchangeLog

    return (ExchangeLog.objects.filter(agency__in=register_agencies_for(user))
            .select_related("agency", "actor").order_by("-created_at", "-pk"))


def employee_history(employee):
    return employee.changes.select_related("actor", "job").order_by("-created_at", "-pk")


def exchange_count(*, dataset: str, direction: str | None = None, agency=None, since=None, until=None) -> int:
    """How many exchanges of a data set took place (the agreements' monitoring indicators)."""
    from registry.models import ExchangeLog

    entries = ExchangeLog.objects.filter(dataset=dataset)
    if direction:
        entries = entries.filter(direction=direction)
    if agency is not None:
        entries = entries.filter(agency=agency)
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    if until is not None:
        entries = entries.filter(created_at__lt=until)
    return entries.count()
