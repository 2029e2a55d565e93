import re

from django.db.models import IntegerField, Value, Window
from django.db.models.functions import Length, RowNumber

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
    return _best_named(found, full, key, field=field, every=every)


def _best_named(found: list, full: str, key: str, *, field: str, every: bool = False) -> list:
    """Of the rows holding ``key`` (in the order of the search), those the typed name (``full``) names, best first."""
    same = [row for row in found if name_words(getattr(row, field)) == full]
    best = same if len(same) == 1 else rank_by_name(key, [(row, name_words(getattr(row, field))) for row in found])
    return best + [row for row in found if row not in best] if every else best


def rows_named_many(searches: list[tuple], *, field: str = "name", order: tuple = ("pk",),
                    limit: int = MAX_NAMED_ROWS) -> list[list]:
    """``rows_named(rows, text)`` for each (rows, text) of ``searches``, in one query whatever their number.

    Several names typed at once (one per line: netral.forms.PickLinesField) are one UNION ALL of each
    name's bounded search (at most ``limit`` rows, chosen in a subquery, as SQLite allows no LIMIT in a
    compound's member), each row tagged with its search and its place in that search's order. The
    querysets must be of one model with the same ``select_related``. A text that names nothing
    searchable costs no query.
    """
    parts, keys = [], {}
    ordering = [Length(field).asc(), *order]
    for index, (rows, text) in enumerate(searches):
        full = name_words(text)
        key = region_key(full)
        if not key:
            continue
        keys[index] = (full, key)
        chosen = rows.filter(**{f"{field}__icontains": key}).order_by(*ordering).values("pk")[:limit]
        parts.append(rows.filter(pk__in=chosen).order_by().annotate(
            _search=Value(index, output_field=IntegerField()),
            _place=Window(RowNumber(), order_by=ordering)))
    found: dict[int, list] = {index: [] for index in keys}
    if parts:
        for row in sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (row._search, row._place)):
            found[row._search].append(row)
    return [_best_named(found[index], *keys[index], field=field) if index in keys else []
            for index in range(len(searches))]


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



UNIT_ORDER = ("agency__name", "pk")


def _unit_search(text: str, units) -> tuple:
    """(the units to search, the unit's name) of a typed text: "Dinas Kesehatan, Belitung Timur" (or the
    search's "Dinas Kesehatan · Pemerintah Kabupaten Belitung Timur") keeps those of an agency so named."""
    name, *within = re.split(r"\s*[,·]\s*", text.strip(), maxsplit=1)
    rows = units.select_related("agency")
    agency_key = region_key(name_words(within[0])) if within else ""
    if agency_key:
        rows = rows.filter(agency__name__icontains=agency_key)
    return rows, name


def unit_resolve(text: str, *, units, every: bool = False) -> list:
    """The units of ``units`` a typed name names, best first (rows_named); the agency may follow a comma."""
    rows, name = _unit_search(text, units)
    return rows_named(rows, name, order=UNIT_ORDER, every=every)


def unit_resolve_many(texts: list[str], *, units) -> list[list]:
    """``unit_resolve`` of each text, in one query for all (rows_named_many): the units typed one per line."""
    return rows_named_many([_unit_search(text, units) for text in texts], order=UNIT_ORDER)


def unit_label(unit) -> str:
    """ "Dinas Kesehatan · Pemerintah Kabupaten Belitung Timur" (the agency must be loaded)."""
    return f"{unit.name} · {unit.agency.name}"
