import re

from django.db.models.functions import Length

from organizations.models import BawasluOffice
from regions.names import rank_by_name, region_key


def office_ids_under(region) -> list[int]:
    """The Bawaslu offices of a jurisdiction: the region's own and every one below it.

    Reports and cases belong to an office; filtering them by a short list of office ids
    (one id for a regency) lets the database walk an index on (office, ...) instead of
    joining regions for every row.
    """
    return list(BawasluOffice.objects.filter(region.subtree_q("region")).values_list("pk", flat=True))


MAX_OFFICE_CANDIDATES = 50
_FULL_WORDS = {"kab": "kabupaten", "prov": "provinsi", "kep": "kepulauan"}


def _office_words(name: str) -> str:
    """ "Bawaslu Kab. Bangka" as "kabupaten bangka": lower case, no punctuation, no "Bawaslu"."""
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    if words[:1] == ["bawaslu"]:
        words = words[1:]
    return " ".join(_FULL_WORDS.get(word, word) for word in words)


def office_resolve(text: str, *, exclude_pk: int | None = None) -> list[BawasluOffice]:
    """The Bawaslu offices a typed name names, best first: one is the answer, several a choice.

    "Bawaslu Kabupaten Bangka", "Kab. Bangka" and "bangka" name the same office; the whole name
    typed ("Kota Bekasi") tells a city's office from the regency's of the same name. One query of at
    most ``MAX_OFFICE_CANDIDATES`` offices, whatever the country holds.
    """
    full = _office_words(text)
    key = region_key(full)
    if not key:
        return []
    offices = BawasluOffice.objects.filter(name__icontains=key).select_related("region")
    if exclude_pk is not None:
        offices = offices.exclude(pk=exclude_pk)
    found = list(offices.order_by(Length("name"), "region__code")[:MAX_OFFICE_CANDIDATES])
    same = [office for office in found if _office_words(office.name) == full]
    if len(same) == 1:
        return same
    return rank_by_name(key, [(office, _office_words(office.name)) for office in found])
