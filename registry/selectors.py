from django.db.models import Q

from organizations.models import Unit
from registry.models import Employee
from registry.nip import normalize_nip

# The dataset name of the ASN register in the exchange log (registry.ExchangeLog.dataset).
REGISTER_DATASET = "asn-register"

PUBLIC_SEARCH_LIMIT = 10


def employee_public_search(query: str, *, limit: int = PUBLIC_SEARCH_LIMIT):
    """Employees a reporter may pick: active, by whole NIP, by name or by unit.

    Reporters see name, position and unit only (never NIP or birth date): these are
    public officials' roles, not their personal data.

    A name is ranked (issue 20: a common name in a register of 6,000,000): first the names that
    begin with the text, then those that contain it elsewhere and the staff of the units named like
    it, each group in the order of the name in capitals. Two queries (the units', the employees').
    """
    from django.db import connection
    from django.db.models import Case, Value, When
    from django.db.models.functions import Collate, Upper

    query = (query or "").strip()
    if len(query) < 3:
        return Employee.objects.none()
    digits = normalize_nip(query)
    employees = Employee.objects.filter(active=True).select_related("unit", "agency")
    if digits.isdigit() and len(digits) == 18:
        return employees.filter(nip=digits).order_by("name", "pk")[:limit]
    # Both conditions on the employee's own columns and indexable, so that PostgreSQL can combine
    # the name's trigram index (migration 0006) with the unit's index (a BitmapOr) instead of
    # reading the whole register: the units are read first (a sub-select would be a filter).
    units = list(Unit.objects.filter(Q(name__icontains=query) | Q(short_name__iexact=query))
                 .values_list("pk", flat=True))
    found = employees.filter(Q(name__icontains=query) | Q(unit_id__in=units) if units
                             else Q(name__icontains=query))
    if connection.vendor != "postgresql":
        # SQLite reads the register whole anyway (no trigram index): the same ranking as one sort.
        first = Case(When(name__istartswith=query, then=Value(0)), default=Value(1))
        return found.order_by(first, Upper("name"), "pk")[:limit]
    # PostgreSQL: the two groups apart, each in the order of the B-tree of migration 0007
    # (UPPER(name) compared byte by byte, then id), so that a LIMIT stops the index scan after the
    # page instead of sorting every match: a common first name ("Dewi", one employee in 22) begins
    # the register's names at one place of that index; a common word elsewhere ("Saputra", one in
    # 18) is met every few rows of it (as long as whole names do not recur by the thousand: see
    # docs/performance.md), and for a rare text the planner prefers the trigram index.
    key = Collate(Upper("name"), "C")
    begins = employees.filter(name__istartswith=query).order_by(key, "pk")[:limit]
    elsewhere = found.exclude(name__istartswith=query).order_by(key, "pk")[:limit]
    # UNION ALL without an order of its own: PostgreSQL reads the groups one after the other (an
    # Append) and stops at ``limit`` rows, so the second is not even read when the first fills the
    # page (EXPLAIN ANALYZE: "never executed"; registry/tests/test_name_ranking.py checks the plan).
    return begins.union(elsewhere, all=True)[:limit]


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


MISSING_UNITS_SHOWN = 30


def import_missing_units(job, *, limit: int | None = MISSING_UNITS_SHOWN) -> list[tuple[str, int]]:
    """The units that refused rows of a preview name but the agency lacks, most rows first:
    (name as the file first writes it, rows). One grouped query; names that differ only in
    case or spacing are one unit, as the import matches them."""
    from django.db.models import Count

    from registry.disclosure import unit_key
    from registry.models import ImportRow

    groups = (ImportRow.objects.filter(job=job, status=ImportRow.Status.INVALID, unit_id__isnull=True)
              .exclude(unit_name="").order_by().values_list("unit_name").annotate(rows=Count("pk")))
    merged: dict[str, list] = {}
    for name, rows in sorted(groups):
        entry = merged.setdefault(unit_key(name), [name, 0])
        entry[1] += rows
    ordered = sorted(((name, rows) for name, rows in merged.values()), key=lambda item: (-item[1], item[0]))
    return ordered if limit is None else ordered[:limit]


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


def active_asn_count(*, agency) -> int:
    """Active ASN (PNS and PPPK; contract staff are not ASN) of an agency in the register today."""
    return Employee.objects.filter(agency=agency, active=True,
                                   kind__in=[Employee.Kind.PNS, Employee.Kind.PPPK]).count()


# --- Public pages -------------------------------------------------------------------------------

def position_counts(agency_ids):
    """Active employees per (agency, unit, class) of these agencies: one grouped query.

    What the public pages need to decide how much of a reported person's place they may show
    (``registry.disclosure``); its size is units times classes, whatever the register's size.
    """
    from django.db.models import Count

    from registry.disclosure import PositionCounts

    ids = {agency_id for agency_id in agency_ids if agency_id is not None}
    if not ids:
        return PositionCounts({}, {})
    groups = (Employee.objects.filter(active=True, agency_id__in=ids).order_by()
              .values_list("agency_id", "unit__name", "position_class").annotate(count=Count("pk")))
    return PositionCounts.from_groups(groups)
