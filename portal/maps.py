"""The public map: figures per province (or per regency/city of one province) drawn as inline SVG.

No JavaScript, no tile server, no request to anyone else: the shapes come from
``regions.geometry`` (path data shipped in the repository), the figures from three grouped
queries whatever the number of rows (reports, cases, recommendations), each grouped by the
leading part of the region code ("19" for a province, "19.06" for a regency/city).

The figures a map can be shaded by (``FIGURES``): reports received, cases registered (merged
cases not counted), and the share of recommendations to PPKs acted on in time among those
that were due (decided, or undecided past the deadline; ``followup.public``'s definitions).

Small counts follow the public pages' one small-count rule (``followup.public.area_count``, K =
``NETRAL_PUBLIC_K_ANONYMITY``): a count of a regency/city from 1 to K-1 is shown as "fewer than K",
and its share computed over fewer than K recommendations is withheld; a province's figures (the
national map's areas, a province map's outline) are totals and stay exact. Shapes carry a class (``map-t0`` ..
``map-t4``, ``map-tw`` for withheld, ``map-tn`` for nothing to show), never a style attribute:
the Content-Security-Policy forbids inline styles.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup.public import IN_TIME, LATE, area_count, counted_rows
from regions.geometry import DETAIL, NATIONAL, RegencyMap, geometry, regency_geometry, regency_map
from regions.models import Region
from registry.disclosure import k_anonymity

REPORTS, CASES, IN_TIME_SHARE = "reports", "cases", "in_time"
FIGURES = {
    REPORTS: _("Reports received"),
    CASES: _("Cases registered"),
    IN_TIME_SHARE: _("Recommendations acted on in time"),
}
DEFAULT_FIGURE = REPORTS
PROVINCE_CODE_LENGTH, REGENCY_CODE_LENGTH = 2, 5
TONES = 4  # shades of a figure above zero (map-t1 .. map-t4)
PADDING = 0.06  # of a province map's width/height, around the shape
REGENCY_LICENSE = "licenses/wilayah-boundaries-MIT.txt"  # regions/data/geometry/LICENSE-wilayah-boundaries.txt


def figure_or_default(value: str) -> str:
    return value if value in FIGURES else DEFAULT_FIGURE


# --- the figures ---------------------------------------------------------------------------

def _grouped(queryset, field: str, length: int, within: str):
    """Counts grouped by the first ``length`` characters of the region code under ``field``."""
    if within:
        queryset = queryset.filter(Q(**{f"{field}__code": within}) | Q(**{f"{field}__code__startswith": within + "."}))
    return queryset.annotate(area=Substr(f"{field}__code", 1, length)).values("area").order_by("area")


def area_counts(*, election: str = "", province: str = "", today: date | None = None,
                followup: dict[str, dict] | None = None) -> dict[str, dict]:
    """{area code: {"reports", "cases", "in_time", "due"}}: per province, or per regency/city of
    ``province`` (a report placed at the province itself counts under the province's code).

    Three queries, whatever the number of rows; two when the page has read the follow-up per area
    already (``followup``: followup.public's counts per area code, of the same areas).
    """
    today = today or timezone.localdate()
    length = REGENCY_CODE_LENGTH if province else PROVINCE_CODE_LENGTH
    reports, cases, recommendations = counted_rows(election=election)
    counts: dict[str, dict] = {}

    def add(rows, **names):
        for row in rows:
            item = counts.setdefault(row["area"], {"reports": 0, "cases": 0, "in_time": 0, "due": 0})
            for key, column in names.items():
                item[key] += row[column]

    add(_grouped(reports, "region", length, province).annotate(n=Count("pk")), reports="n")
    add(_grouped(cases, "region", length, province).annotate(n=Count("pk")), cases="n")
    if followup is not None:
        add([{"area": code, "in_time": item["in_time"], "due": item["in_time"] + item["late"] + item["ignored"]}
             for code, item in followup.items()], in_time="in_time", due="due")
    else:
        due = IN_TIME | LATE | Q(is_open__in=[True], due_on__lt=today)
        add(_grouped(recommendations, "case__region", length, province)
            .annotate(in_time=Count("pk", filter=IN_TIME), due=Count("pk", filter=due)), in_time="in_time", due="due")
    counts.pop("ID", None)  # placed at the country: on no province
    return counts


# --- what is shown -------------------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """One figure of one area as the public sees it."""

    value: float | None  # the number shaded (None: nothing to show, or withheld)
    text: str  # as written in the table and the shape's title
    withheld: bool
    tone: str  # the shape's class suffix: "0".."4", "w" (withheld), "n" (nothing to show)


def _count_shown(count: int, k: int, level: int) -> Shown:
    shown = area_count(count, k=k, level=level)
    if shown.withheld:
        return Shown(None, shown.text, True, "w")
    if count == 0:
        return Shown(0, "0", False, "0")
    return Shown(count, shown.text, False, "")


def _share_shown(in_time: int, due: int, k: int, level: int) -> Shown:
    if due == 0:
        return Shown(None, "–", False, "n")
    if area_count(due, k=k, level=level).withheld:  # a share over fewer than K due: withheld with them
        return Shown(None, str(_("withheld")), True, "w")
    share = in_time / due
    return Shown(share, f"{round(share * 100)}% ({in_time}/{due})", False, "")


@dataclass(frozen=True)
class LegendItem:
    tone: str
    label: str


def _count_breaks(values: list[float], k: int) -> list[int]:
    """Upper bounds of the shaded classes: up to TONES equal ranges from K to the largest count."""
    largest = int(max(values, default=0))
    if largest < k:
        return []
    step = max(1, -(-(largest - k + 1) // TONES))
    breaks = []
    upper = k - 1
    while upper < largest:
        upper = min(largest, upper + step)
        breaks.append(upper)
    return breaks


def _tone_for_count(value: float, breaks: list[int]) -> str:
    for index, upper in enumerate(breaks, start=1):
        if value <= upper:
            return str(index + TONES - len(breaks))
    return str(TONES)


SHARE_BREAKS = (0.25, 0.5, 0.75)


def _tone_for_share(value: float) -> str:
    return str(1 + sum(value >= bound for bound in SHARE_BREAKS))


def _legend(figure: str, breaks: list[int], k: int) -> list[LegendItem]:
    if figure == IN_TIME_SHARE:
        items = [LegendItem("1", str(_("under 25%"))), LegendItem("2", "25–49%"), LegendItem("3", "50–74%"),
                 # Translators: "%" is a percent sign here, not a placeholder.
                 # xgettext:no-python-format
                 LegendItem("4", str(_("75% or more")))]
        if k > 1:
            items.append(LegendItem("w", str(_("withheld: fewer than %(k)d recommendations due") % {"k": k})))
        return [*items, LegendItem("n", str(_("no recommendation due")))]
    items = [LegendItem("0", "0")]
    if k > 1:
        items.append(LegendItem("w", str(_("1 to %(last)d (exact count withheld)") % {"last": k - 1})))
    lower = k
    for index, upper in enumerate(breaks, start=1):
        label = str(upper) if lower == upper else f"{lower}–{upper}"
        items.append(LegendItem(str(index + TONES - len(breaks)), label))
        lower = upper + 1
    return items


@dataclass(frozen=True)
class Area:
    """One row of the table and, where it has a shape, one shape of the map."""

    code: str
    name: str
    reports: Shown
    cases: Shown
    in_time: Shown
    shaded: Shown  # the chosen figure
    url: str  # the province's own map ("" on a province map)
    note: str = ""  # e.g. "drawn within the shape of Papua"


@dataclass(frozen=True)
class MapShape:
    codes: tuple[str, ...]
    d: str
    tone: str
    title: str
    url: str
    count_attr: str  # data-count: the number shaded, "" when withheld or nothing to show


@dataclass(frozen=True)
class PublicMap:
    level: str  # "national" or "province"
    figure: str
    figure_label: str
    view_box: str
    shapes: list[MapShape]
    areas: list[Area]
    legend: list[LegendItem]
    k: int
    attribution: str
    attribution_url: str
    province: Region | None = None
    license_label: str = "CC BY 4.0"
    regencies_drawn: bool = False  # a province drawn as its regencies/cities, not as one outline


def _shown(counts: dict, k: int, level: int) -> dict[str, Shown]:
    """One area's figures as shown: ``level`` of the area (Region.Level), for the small-count rule."""
    return {REPORTS: _count_shown(counts["reports"], k, level), CASES: _count_shown(counts["cases"], k, level),
            IN_TIME_SHARE: _share_shown(counts["in_time"], counts["due"], k, level)}


PROVINCE, REGENCY = Region.Level.PROVINCE, Region.Level.REGENCY


def _shade(shown: Shown, figure: str, breaks: list[int]) -> Shown:
    if shown.tone:
        return shown
    tone = _tone_for_share(shown.value) if figure == IN_TIME_SHARE else _tone_for_count(shown.value, breaks)
    return Shown(shown.value, shown.text, shown.withheld, tone)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if isinstance(value, float) and not value.is_integer() else str(int(value))


def _statistics_url(code: str, query: str) -> str:
    url = reverse("portal:statistics_province", args=[code])
    return f"{url}?{query}" if query else url


EMPTY = {"reports": 0, "cases": 0, "in_time": 0, "due": 0}


def national_map(*, figure: str, election: str = "", query: str = "", today: date | None = None,
                 counts: dict[str, dict] | None = None) -> PublicMap:
    """Every province of the current region edition, one shape each (the 2022 Papua provinces
    share the shape of the province they were carved from: the shape shows their sum).

    ``counts``: the figures per province when the page has them already (``Statistics.areas``, read by
    the same grouped queries as the statistics), else ``area_counts``."""
    k = k_anonymity()
    figure = figure_or_default(figure)
    if counts is None:
        counts = area_counts(election=election, today=today)
    counts = {code: item for code, item in counts.items() if code != "ID"}  # placed at the country: no province
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE, retired_in="").order_by("code"))
    geo = geometry()
    shaded_values = [s.value for code in counts for s in [_shown(counts[code], k, PROVINCE)[figure]]
                     if s.value is not None]
    breaks = _count_breaks(shaded_values, 1)  # provinces are totals: nothing withheld, classes from 1
    names = {province.code: province.name for province in provinces}
    areas = []
    for province in provinces:
        shown = _shown(counts.get(province.code, EMPTY), k, PROVINCE)
        within = geo.drawn_within.get(province.code)
        note = str(_("No boundary of its own in the map data: drawn within %(name)s.")
                   % {"name": names.get(within, within)}) if within else ""
        areas.append(Area(code=province.code, name=province.name, reports=shown[REPORTS], cases=shown[CASES],
                          in_time=shown[IN_TIME_SHARE], shaded=_shade(shown[figure], figure, breaks),
                          url=_statistics_url(province.code, query), note=note))
    shapes = []
    for code, shape in geo.shapes[NATIONAL].items():
        members = [code, *[other for other in geo.shares_with(code) if other in names]]
        total = {key: sum(counts.get(member, EMPTY)[key] for member in members) for key in EMPTY}
        shown = _shade(_shown(total, k, PROVINCE)[figure], figure, breaks)
        if code not in names:  # a province this installation has not loaded (a demo of one province)
            shapes.append(MapShape(codes=(code,), d=shape.d, tone="n", url="", count_attr="",
                                   title=str(_("%(name)s: not in this installation's regions")
                                             % {"name": geo.names.get(code, code)})))
            continue
        label = ", ".join(names[member] for member in members)
        shapes.append(MapShape(codes=tuple(members), d=shape.d, tone=shown.tone,
                               title=f"{label}: {FIGURES[figure]} {shown.text}",
                               url=_statistics_url(code, query), count_attr=_number(shown.value)))
    x, y, width, height = geo.view_boxes[NATIONAL]
    return PublicMap(level="national", figure=figure, figure_label=str(FIGURES[figure]),
                     view_box=f"{x} {y} {width} {height}", shapes=shapes, areas=areas,
                     legend=_legend(figure, breaks, 1), k=k, attribution=geo.source["attribution"],
                     attribution_url=geo.source["license_url"])


def province_map(*, province: Region, figure: str, election: str = "", today: date | None = None,
                 followup: dict[str, dict] | None = None, counts: dict[str, dict] | None = None) -> PublicMap:
    """One province: each regency/city a shape shaded by its own figure, and a table row.

    The shapes come from ``regions.geometry.regency_map`` (docs/dependencies.md). A province
    that data does not hold (an installation's own codes) is drawn whole, shaded by its total.
    ``counts``: the figures per regency/city when the page has them already (``ProvinceFigures.areas``,
    from the stored figures), else ``area_counts``.
    """
    k = k_anonymity()
    figure = figure_or_default(figure)
    if counts is None:
        counts = area_counts(election=election, province=province.code, today=today, followup=followup)
    regencies = list(Region.objects.filter(parent=province, level=Region.Level.REGENCY, retired_in="")
                     .order_by("code"))
    shaded_values = [s.value for code in counts for s in [_shown(counts[code], k, REGENCY)[figure]] if s.value is not None]
    total = {key: sum(item[key] for item in counts.values()) for key in EMPTY}
    total_shown = _shown(total, k, PROVINCE)  # the province's own total: exact
    regency_shapes = regency_map(province.code)
    whole = [total_shown[figure].value] if regency_shapes is None and total_shown[figure].value else []
    breaks = _count_breaks([*shaded_values, *whole], k)
    areas = []
    for regency in regencies:
        shown = _shown(counts.get(regency.code, EMPTY), k, REGENCY)
        areas.append(Area(code=regency.code, name=regency.name, reports=shown[REPORTS], cases=shown[CASES],
                          in_time=shown[IN_TIME_SHARE], shaded=_shade(shown[figure], figure, breaks), url=""))
    listed = {regency.code for regency in regencies}
    rest = [item for code, item in counts.items() if code not in listed]
    if rest:  # placed at the province itself, or in a regency/city no longer listed (retired codes)
        shown = _shown({key: sum(item[key] for item in rest) for key in EMPTY}, k, REGENCY)
        areas.append(Area(code=province.code, name=str(_("The province itself, or a regency/city no longer listed")),
                          reports=shown[REPORTS], cases=shown[CASES], in_time=shown[IN_TIME_SHARE],
                          shaded=_shade(shown[figure], figure, breaks), url=""))
    geo = geometry()
    if regency_shapes is not None:
        return _regency_map(province, figure, areas, breaks, k, regency_shapes)
    shape = geo.shape_for(province.code, level=DETAIL)
    shapes, view_box = [], "0 0 100 100"
    if shape is not None:
        shown = _shade(total_shown[figure], figure, breaks)
        shapes.append(MapShape(codes=(province.code,), d=shape.d, tone=shown.tone,
                               title=f"{province.name}: {FIGURES[figure]} {shown.text}", url="",
                               count_attr=_number(shown.value)))
        left, top, right, bottom = shape.bbox
        pad = round(max(right - left, bottom - top) * PADDING)
        view_box = f"{left - pad} {top - pad} {right - left + 2 * pad} {bottom - top + 2 * pad}"
    return PublicMap(level="province", figure=figure, figure_label=str(FIGURES[figure]), view_box=view_box,
                     shapes=shapes, areas=areas, legend=_legend(figure, breaks, k), k=k,
                     attribution=geo.source["attribution"], attribution_url=geo.source["license_url"],
                     province=province)


def _regency_map(province: Region, figure: str, areas: list[Area], breaks: list[int], k: int,
                 drawn: RegencyMap) -> PublicMap:
    """The province's regencies and cities as shapes, each shaded like its table row."""
    by_code = {area.code: area for area in areas}
    shapes = []
    for code, shape in drawn.shapes.items():
        area = by_code.get(code)
        if area is None:  # in the map data, not among this installation's current regions
            shapes.append(MapShape(codes=(code,), d=shape.d, tone="n", url="", count_attr="",
                                   title=str(_("%(name)s: not in this installation's regions") % {"name": code})))
            continue
        shapes.append(MapShape(codes=(code,), d=shape.d, tone=area.shaded.tone, url="",
                               title=f"{area.name}: {FIGURES[figure]} {area.shaded.text}",
                               count_attr=_number(area.shaded.value)))
    x, y, width, height = drawn.view_box
    pad = round(max(width, height) * PADDING / 2)
    source = regency_geometry().source
    return PublicMap(level="province", figure=figure, figure_label=str(FIGURES[figure]),
                     view_box=f"{x - pad} {y - pad} {width + 2 * pad} {height + 2 * pad}", shapes=shapes,
                     areas=areas, legend=_legend(figure, breaks, k), k=k, attribution=source["attribution"],
                     # The licence's text as shipped beside the data, served by us: no link leaves the site
                     # (the onion address included) but the open-data licence deeds.
                     attribution_url=static(REGENCY_LICENSE), province=province, license_label=source["license"],
                     regencies_drawn=True)


def province_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code, level=Region.Level.PROVINCE).first()
