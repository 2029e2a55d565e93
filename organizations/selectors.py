from organizations.models import BawasluOffice


def office_ids_under(region) -> list[int]:
    """The Bawaslu offices of a jurisdiction: the region's own and every one below it.

    Reports and cases belong to an office; filtering them by a short list of office ids
    (one id for a regency) lets the database walk an index on (office, ...) instead of
    joining regions for every row.
    """
    return list(BawasluOffice.objects.filter(region.subtree_q("region")).values_list("pk", flat=True))
