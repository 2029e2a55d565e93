from regions.models import Region


def region_list_under(region: Region, *, level: int | None = None):
    regions = Region.objects.filter(region.subtree_q())
    if level is not None:
        regions = regions.filter(level=level)
    return regions.order_by("code")


def region_choices_for_reporting():
    """Regencies/cities and districts a reporter can pick, with their parents for labels."""
    return Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.DISTRICT]).select_related(
        "parent"
    ).order_by("code")
