"""Public reference data of the API: regions, agencies and units, the violation catalog.

No token: this is what any partner system needs to map its own codes to Netral's.
Lists are bounded (a region's children, an agency's units) and read in one query each.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from api.schemas import PUBLIC_PROBLEMS, Id

router = Router(tags=["reference"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None


class AgencyOut(Schema):
    id: int
    name: str
    kind: str
    region: str


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    parent: int | None


class ViolationOut(Schema):
    id: str
    family: str
    level: str | None
    title: str
    legal_bases: list[str]
    sanctions: list[str]
    source: str
    verified: bool


@router.get("/regions", response=list[RegionOut], url_name="regions",
            openapi_extra=PUBLIC_PROBLEMS,
            summary="Regions: the country's provinces, or the children of one region (parent=code)")
def regions(request: HttpRequest, parent: str = ""):
    from regions.models import Region

    items = Region.objects.select_related("parent")
    items = items.filter(parent__code=parent) if parent else items.filter(level__lte=Region.Level.PROVINCE)
    return [{"code": r.code, "name": r.name, "level": r.level, "parent": r.parent.code if r.parent else None}
            for r in items.order_by("code")]


@router.get("/agencies", response=list[AgencyOut], url_name="agencies",
            openapi_extra=PUBLIC_PROBLEMS,
            summary="Government agencies, optionally of one region and below (region=code)")
def agencies(request: HttpRequest, region: str = ""):
    from organizations.models import Agency

    items = Agency.objects.select_related("region").order_by("name")
    if region:
        items = items.filter(region__code__in=[region]) | items.filter(region__code__startswith=f"{region}.")
    return [{"id": a.pk, "name": a.name, "kind": a.kind, "region": a.region.code} for a in items]


@router.get("/agencies/{agency_id}/units", response=list[UnitOut], url_name="units",
            openapi_extra=PUBLIC_PROBLEMS, summary="Units of one agency")
def units(request: HttpRequest, agency_id: Id):
    from organizations.models import Unit

    return [{"id": u.pk, "name": u.name, "short_name": u.short_name, "parent": u.parent_id}
            for u in Unit.objects.filter(agency_id=agency_id).order_by("name")]


@router.get("/violations", response=list[ViolationOut], url_name="violations",
            openapi_extra=PUBLIC_PROBLEMS,
            summary="The catalog of prohibited acts, with legal bases, sanctions and citations")
def violations(request: HttpRequest):
    from api.v1 import request_language
    from rules.selectors import catalog

    language = request_language(request)
    return [{"id": v.id, "family": v.family, "level": v.level, "title": v.title.get(language),
             "legal_bases": list(v.legal_bases), "sanctions": list(v.sanctions), "source": v.source,
             "verified": v.verified} for v in catalog().violations.values()]


class FigureOut(Schema):
    section: str
    key: str
    label: str
    measure: str
    value: int | None = None  # None: a regency/city count of 1 to K-1, withheld (followup.public.area_count)
    election_id: str
    as_of: str


@router.get("/statistics", response=list[FigureOut], url_name="statistics",
            openapi_extra=PUBLIC_PROBLEMS,
            summary="Public statistics: reports, cases, outcomes, follow-up and sanctions (as /data/statistik.json)")
def statistics(request: HttpRequest, election: str = ""):
    from django.utils import translation

    from api.v1 import request_language
    from followup.opendata import statistics_records
    from followup.public import statistics_public

    with translation.override(request_language(request)):
        stats = statistics_public(election=election, regencies=True)  # the regions as in the open data
        return [{**record, "as_of": str(record["as_of"]), "election_id": record["election_id"] or ""}
                for record in statistics_records(stats)]
