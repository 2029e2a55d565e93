import re

from django.db.models.functions import Length

from organizations.models import Agency, BawasluOffice
from regions.names import rank_by_name, region_key


def office_ids_under(region) -> list[int]:
    """The Bawaslu offices of a jurisdiction: the region's own and every one below it.

    Reports and cases belong to an office; filtering them by a short list of office ids
    (one id for a regency) lets the database walk an index on (office, ...) instead of
    joining regions for every row.
    """
    return list(BawasluOffice.objects.filter(region.subtree_q("region")).values_list("pk", flat=True))


MAX_OFFICE_CANDIDATES = 50
MAX_NAMED_ROWS = MAX_OFFICE_CANDIDATES
_FULL_WORDS = {"kab": "kabupaten", "prov": "provinsi", "kep": "kepulauan"}
_INSTITUTION_WORDS = {"bawaslu", "pemerintah", "pemda", "pemkab", "pemkot", "pemprov"}


def name_words(name: str) -> str:
    """ "Bawaslu Kab. Bangka" or "Pemerintah Kab. Bangka" as "kabupaten bangka": lower case, no
    punctuation, without the institution's word, abbreviations written whole."""
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    if words[:1] and words[0] in _INSTITUTION_WORDS:
        words = words[1:]
    return " ".join(_FULL_WORDS.get(word, word) for word in words)


def rows_named(rows, text: str, *, field: str = "name", order: tuple = ("pk",), limit: int = MAX_NAMED_ROWS,
               every: bool = False) -> list:
    """The rows of a queryset that a typed name names, best first: one is the answer, several a choice.

    "Pemerintah Kabupaten Bangka", "Kab. Bangka" and "bangka" name the same agency; the whole name
    typed ("Kota Bekasi") tells a city's row from the regency's of the same name. One query of at most
    ``limit`` rows, whatever the table holds (issue 20: every choice among rows that grow is a search).
    ``every``: the best named first, then every other row holding the text (suggestions as one types).
    """
    full = name_words(text)
    key = region_key(full)
    if not key:
        return []
    found = list(rows.filter(**{f"{field}__icontains": key}).order_by(Length(field), *order)[:limit])
    same = [row for row in found if name_words(getattr(row, field)) == full]
    best = same if len(same) == 1 else rank_by_name(key, [(row, name_words(getattr(row, field))) for row in found])
    return best + [row for row in found if row not in best] if every else best


def office_resolve(text: str, *, exclude_pk: int | None = None, offices=None, every: bool = False) -> list[BawasluOffice]:
    """The Bawaslu offices a typed name names, best first (rows_named), among ``offices`` (default: all)."""
    rows = (BawasluOffice.objects.all() if offices is None else offices).select_related("region")
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows_named(rows, text, order=("region__code",), limit=MAX_OFFICE_CANDIDATES, every=every)


def agency_resolve(text: str, *, agencies=None, every: bool = False) -> list[Agency]:
    """The agencies a typed name names, best first (rows_named), among ``agencies`` (default: all)."""
    rows = (Agency.objects.all() if agencies is None else agencies).select_related("region")
    return rows_named(rows, text, order=("region__code", "pk"), every=every)


def agency_label(agency: Agency) -> str:
    return agency.name


def office_label(office: BawasluOffice) -> str:
    return office.name



def unit_resolve(text: str, *, units, every: bool = False) -> list:
    """The units of ``units`` a typed name names, best first (rows_named); "Dinas Kesehatan, Belitung Timur"
    (or the search's "Dinas Kesehatan · Pemerintah Kabupaten Belitung Timur") keeps those of an agency so named."""
    name, *within = re.split(r"\s*[,·]\s*", text.strip(), maxsplit=1)
    rows = units.select_related("agency")
    agency_key = region_key(name_words(within[0])) if within else ""
    if agency_key:
        rows = rows.filter(agency__name__icontains=agency_key)
    return rows_named(rows, name, order=("agency__name", "pk"), every=every)


def unit_label(unit) -> str:
    """ "Dinas Kesehatan · Pemerintah Kabupaten Belitung Timur" (the agency must be loaded)."""
    return f"{unit.name} · {unit.agency.name}"
