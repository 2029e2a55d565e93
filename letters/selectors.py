"""Reads of the letters app: who signs on a date, an issuer's officials, a letter by its verification token.

    official = signatory_on(office=office, on=date(2024, 11, 27))   # an Official, or None
    letter = letter_by_token(token)                                  # None for an unknown token
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from letters.models import Letter, Official
from organizations.models import Agency, BawasluOffice


def issuer_filter(*, office: BawasluOffice | None = None, agency: Agency | None = None) -> Q:
    """The rows of one issuer: an office or an agency, exactly one given."""
    if (office is None) == (agency is None):
        raise ValueError("an issuer is either an office or an agency")
    return Q(office=office) if office is not None else Q(agency=agency)


def in_office_on(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def signatory_on(*, office: BawasluOffice | None = None, agency: Agency | None = None, on: date) -> Official | None:
    """The official who signs the issuer's letters dated ``on``: the acting head while one is
    in office (Plh./Plt.), else the head; None when no one is recorded for that date."""
    acting_first = Case(When(role=Official.Role.ACTING, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (Official.objects.filter(issuer_filter(office=office, agency=agency), in_office_on(on))
            .order_by(acting_first, "-valid_from", "-id").first())


def officials_of(*, office: BawasluOffice | None = None, agency: Agency | None = None) -> QuerySet[Official]:
    """The issuer's officials, the latest period first."""
    return Official.objects.filter(issuer_filter(office=office, agency=agency)).order_by("-valid_from", "role", "-id")


def office_above(office: BawasluOffice | None) -> BawasluOffice | None:
    """The nearest Bawaslu office above ``office`` (the province's for a regency), or None."""
    if office is None:
        return None
    region = office.region.parent
    while region is not None:
        above = BawasluOffice.objects.filter(region=region).first()
        if above is not None:
            return above
        region = region.parent
    return None


def letter_by_token(token: str) -> Letter | None:
    """The letter a verification link names, or None (an unknown or malformed token)."""
    if not token or len(token) > 40:
        return None
    return Letter.objects.select_related("office", "agency").filter(verify_token=token).first()
