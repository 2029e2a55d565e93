from django.db.models.functions import Length

from regions.models import Region
from regions.names import place_label, rank_by_name, split_place


def region_list_under(region: Region, *, level: int | None = None, down_to: int = Region.Level.DISTRICT):
    """The region and those below it, down to ``down_to`` (districts: the 83,762 villages are
    no list's filter or choice; pass ``Region.Level.VILLAGE`` to have them)."""
    regions = Region.objects.filter(region.subtree_q(), level__lte=down_to)
    if level is not None:
        regions = regions.filter(level=level)
    return regions.order_by("code")


def region_choices_for_reporting():
    """Current regencies/cities and districts a reporter can pick, with their parents for labels."""
    return (
        Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.DISTRICT], retired_in="")
        .select_related("parent")
        .order_by("code")
    )


# A reporter types a place; these find it (the web form, its suggestions, the chat channels).
REPORTING_LEVELS = (Region.Level.REGENCY, Region.Level.DISTRICT)
MAX_CANDIDATES = 50


def region_candidates(text: str, *, limit: int = MAX_CANDIDATES, jurisdiction: Region | None = None) -> list[Region]:
    """Current regencies/cities and districts whose name holds what was typed, shortest names
    first (the likeliest: "Manggar" before "Kabupaten Manggarai Barat"), with their parents.

    "Manggar, Belitung Timur" keeps those lying in a region named so. Retired regions
    (``retired_in``) are never offered. At most ``limit``: one query, whatever the country holds.
    ``jurisdiction``: only regions inside this one (a staff account's jurisdiction).
    """
    key, within = split_place(text)
    if not key:
        return []
    regions = Region.objects.filter(level__in=REPORTING_LEVELS, retired_in="", name__icontains=key)
    if within:
        regions = regions.filter(parent__name__icontains=within)
    if jurisdiction is not None:
        regions = regions.filter(jurisdiction.subtree_q())
    return list(regions.select_related("parent").order_by(Length("name"), "code")[:limit])


def region_resolve(text: str, *, jurisdiction: Region | None = None) -> list[Region]:
    """The regions a typed place names, best first: one is the answer, several a choice to offer.

    An equal name wins over names holding it as whole words, which win over names merely
    containing it (regions.names.rank_by_name).
    """
    key, _within = split_place(text)
    candidates = region_candidates(text, jurisdiction=jurisdiction)
    return rank_by_name(key, [(region, region.name) for region in candidates])


def region_for_reporting(pk, *, jurisdiction: Region | None = None) -> Region | None:
    """The current regency/city or district with this id, or None (a posted id, e.g. from a partner form);
    with ``jurisdiction``, only one inside it."""
    text = str(pk or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    regions = Region.objects.filter(pk=int(text), level__in=REPORTING_LEVELS, retired_in="")
    if jurisdiction is not None:
        regions = regions.filter(jurisdiction.subtree_q())
    return regions.select_related("parent").first()


def region_label(region: Region) -> str:
    """ "Manggar, Kab. Belitung Timur": the name and the region it lies in (the parent must be loaded)."""
    parent = region.parent if region.parent_id else None
    return place_label(region.name, parent.name if parent is not None and not parent.is_country else "")


def region_filter_choices(jurisdiction: Region, *, chosen: str = "") -> list[Region]:
    """The regions a list's filter offers, as a cascade: those directly within the jurisdiction,
    and those within each region on the way down to ``chosen`` (a code), down to districts.

    A national account sees 38 provinces, then a province's regencies, then a regency's districts:
    never the ~7,800 of the whole country. One query; ordered by code, so each region's own follow it.
    """
    parents = [jurisdiction.code]
    parts = chosen.split(".") if chosen else []
    for depth in range(1, len(parts) + 1):
        code = ".".join(parts[:depth])
        if code != jurisdiction.code and jurisdiction.contains(Region(code=code)):
            parents.append(code)
    return list(
        Region.objects.filter(parent__code__in=parents, level__lte=Region.Level.DISTRICT).order_by("code")
    )
