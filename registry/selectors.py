from django.db.models import Q

from registry.models import Employee
from registry.nip import normalize_nip

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
