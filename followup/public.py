"""What of the follow-up may be published, and how: the public register and public figures.

The MoU (seed 000, work plan item 2) has both parties publish the follow-up of the
recommendations. This module is the one place that decides what leaves the system:

- the register lists PPK-stage recommendations that were decided (sanction imposed or
  refused), and those past their deadline without a decision ("not yet acted on, past
  deadline"); an undecided recommendation whose deadline has not passed is never shown;
- a row carries the agency, unit, class of position, violations, the recommended and the
  imposed sanction, dates, the Bawaslu office and the election; never the NIP, the
  decision file, the considerations or the refusal's reasons (free text that may name
  people), and nothing of the reporter (followup holds nothing of the reporter);
- the reported person's name is masked ("R*** H******", titles dropped) unless the
  installation sets ``NETRAL_PUBLISH_NAMES``;
- the unit and the class of position are shown only as far as at least K people of the
  register share them (``registry.disclosure``, K = ``NETRAL_PUBLIC_K_ANONYMITY``): the
  class in the unit, else the class in the agency, else neither ("withheld"). A page of
  rows reads the counts in one grouped query.

The figures are aggregates: their query count does not grow with the rows.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.states import Outcome
from followup.models import Decision, Recommendation, SanctionTally
from followup.sanctions import grade_label
from regions.models import Region
from registry.disclosure import PositionCounts, k_anonymity
from registry.names import plain_name
from registry.positions import POSITION_CLASS_LABELS
from registry.selectors import position_counts
from reports.models import Report
from rules.models import Election, Violation
from rules.selectors import catalog, localized

Status = Recommendation.Status

# The public status of a published row (a code in the open data, a label on the page).
SANCTIONED, REFUSED, OVERDUE = "sanctioned", "refused", "overdue"
PUBLIC_STATUS_LABELS = {
    SANCTIONED: _("Sanction imposed"),
    REFUSED: _("Refused by the PPK"),
    OVERDUE: _("Not yet acted on, past the deadline"),
}


def publish_names() -> bool:
    """Whether the installation publishes reported persons' names in full (default: masked)."""
    return bool(getattr(settings, "NETRAL_PUBLISH_NAMES", False))


def mask_name(name: str) -> str:
    """ "Rudi Hartono" -> "R*** H******": each word keeps its first character, letters and digits become *.

    Titles are dropped first ("dr. Siti Aminah, S.Kom." -> "S*** A*****"): a degree is no part of
    the name, and the one "dr." of a small unit would single its holder out.
    """
    words = []
    for word in plain_name(name or "").split():
        words.append(word[0] + "".join("*" if char.isalnum() else char for char in word[1:]))
    return " ".join(words)


def public_name(name: str) -> str:
    return (name or "").strip() if publish_names() else mask_name(name)


WITHHELD_LABEL = _("withheld")


# --- the register ------------------------------------------------------------------------

def published_q(today: date) -> Q:
    """The PPK-stage recommendations that may be published on ``today``."""
    return Q(stage=Recommendation.Stage.PPK) & (
        Q(status__in=[Status.SANCTIONED, Status.REFUSED]) | Q(is_open__in=[True], due_on__lt=today))


STATUS_FILTERS = {
    SANCTIONED: Q(status=Status.SANCTIONED),
    REFUSED: Q(status=Status.REFUSED),
    OVERDUE: Q(is_open__in=[True]),
}


def register_queryset(*, election: str = "", region: Region | None = None, agency: int | None = None,
                      status: str = "", today: date | None = None) -> QuerySet[Recommendation]:
    """The published recommendations, newest first, filtered; rows are read with ``public_rows``.

    ``region``: the place where the violation happened (the case's region) and below.
    Three queries for any page of rows: the count, the page, its violations.
    """
    today = today or timezone.localdate()
    items = Recommendation.objects.filter(published_q(today))
    if election:
        items = items.filter(case__election_id=election)
    if region is not None:
        items = items.filter(region.subtree_q("case__region"))
    if agency:
        items = items.filter(addressee_id=agency)
    if status in STATUS_FILTERS:
        items = items.filter(STATUS_FILTERS[status])
    return (items.select_related("case__office", "case__election", "case__region__parent__parent", "addressee",
                                 "decision")
            .prefetch_related("violations")
            .order_by("-issued_on", "-id"))


def register_page(queryset: QuerySet[Recommendation], ids: list[int]) -> list[Recommendation]:
    """The rows of one page of the register, in the order of ``ids``.

    A page is found in two steps: its ids on the recommendation table alone, in the register's order
    through the index ``rec_ppk_published_order`` (so that OFFSET skips index entries, not joined rows),
    then its rows with their joins, by id: two queries, whatever the page's number.
    """
    by_id = {recommendation.pk: recommendation for recommendation in queryset.filter(pk__in=ids).order_by()}
    return [by_id[pk] for pk in ids if pk in by_id]


def register_ids(queryset: QuerySet[Recommendation]) -> QuerySet:
    """The register's ids in its order (``register_page``): what the paginator counts and slices."""
    return queryset.select_related(None).prefetch_related(None).values_list("pk", flat=True)


@dataclass(frozen=True)
class PublicRow:
    """One published recommendation: only what may leave the system."""

    id: int
    status: str
    status_label: str
    name: str
    name_masked: bool
    employee_kind: str
    position_class: str  # "" when withheld (``disclosure``)
    position_class_label: str
    unit: str  # "" when withheld, or when the recommendation names none
    disclosure: str  # registry.disclosure: "unit", "agency" or "withheld"
    agency: str
    province: str
    regency: str
    violations: tuple[str, ...]
    violation_ids: tuple[str, ...]
    recommended_family: str
    recommended_level: str
    recommended_sanction: str
    imposed_sanction_id: str
    imposed_sanction: str
    case_registered_on: date
    recommendation_issued_on: date
    deadline: date
    decision_letter_date: date | None
    decided_on: date | None
    acted_in_time: bool | None
    days_overdue: int | None
    bawaslu_office: str
    election_id: str
    election: str


def _province_and_regency(region: Region | None) -> tuple[str, str]:
    province = regency = ""
    while region is not None:
        if region.level <= Region.Level.PROVINCE:
            province = region.name if region.level == Region.Level.PROVINCE else province
            break  # nothing above a province is shown (and its parent is not loaded)
        if region.level == Region.Level.REGENCY:
            regency = region.name
        region = region.parent
    return province, regency


def public_row(recommendation: Recommendation, *, today: date, counts: PositionCounts, k: int) -> PublicRow:
    """The published form of one recommendation (violations and decision already loaded).

    ``counts``: the register's holders of each class in the addressee's units (``position_counts``).
    """
    decision: Decision | None = getattr(recommendation, "decision", None) if not recommendation.is_open else None
    if recommendation.status == Status.SANCTIONED:
        status = SANCTIONED
    elif recommendation.status == Status.REFUSED:
        status = REFUSED
    else:
        status = OVERDUE
    imposed_id = imposed = ""
    if decision is not None and decision.outcome == Decision.Outcome.IMPOSED:
        imposed_id = decision.sanction
        entry = catalog().sanctions.get(decision.sanction)
        imposed = localized(entry.title) if entry else decision.sanction
    case = recommendation.case
    province, regency = _province_and_regency(case.region)
    violations = sorted(recommendation.violations.all(), key=lambda v: (v.position, v.id))
    closed_on = recommendation.closed_on if status != OVERDUE else None
    shown = counts.disclose(agency_id=recommendation.addressee_id, unit=recommendation.unit_name,
                            position_class=recommendation.position_class, k=k)
    return PublicRow(
        id=recommendation.pk, status=status, status_label=str(PUBLIC_STATUS_LABELS[status]),
        name=public_name(recommendation.person_name), name_masked=not publish_names(),
        employee_kind=recommendation.employee_kind, position_class=shown.position_class,
        position_class_label=str(POSITION_CLASS_LABELS.get(shown.position_class, WITHHELD_LABEL)),
        unit=shown.unit, disclosure=shown.level, agency=recommendation.addressee.name, province=province,
        regency=regency,
        violations=tuple(v.title for v in violations), violation_ids=tuple(v.id for v in violations),
        recommended_family=recommendation.sanction_family, recommended_level=recommendation.sanction_level,
        recommended_sanction=grade_label(recommendation.sanction_family, recommendation.sanction_level)
        if recommendation.sanction_family else "",
        imposed_sanction_id=imposed_id, imposed_sanction=imposed,
        case_registered_on=case.registered_on, recommendation_issued_on=recommendation.issued_on,
        deadline=recommendation.due_on,
        decision_letter_date=decision.letter_date if decision is not None else None,
        decided_on=closed_on,
        acted_in_time=(closed_on <= recommendation.due_on) if closed_on else None,
        days_overdue=(today - recommendation.due_on).days if status == OVERDUE else None,
        bawaslu_office=case.office.name, election_id=case.election_id, election=case.election.title,
    )


def public_rows(recommendations, *, today: date | None = None) -> list[PublicRow]:
    """The published form of a page of recommendations: one more query, the register's counts."""
    today = today or timezone.localdate()
    recommendations = list(recommendations)
    counts = position_counts({recommendation.addressee_id for recommendation in recommendations})
    k = k_anonymity()
    return [public_row(recommendation, today=today, counts=counts, k=k) for recommendation in recommendations]


def register_iter(queryset: QuerySet[Recommendation], *, today: date | None = None,
                  chunk_size: int = 500) -> Iterator[PublicRow]:
    """Every row of ``queryset`` without holding the register in memory (two queries per chunk:
    the rows, and the register's counts for their agencies)."""
    today = today or timezone.localdate()
    chunk = []
    for recommendation in queryset.iterator(chunk_size=chunk_size):
        chunk.append(recommendation)
        if len(chunk) >= chunk_size:
            yield from public_rows(chunk, today=today)
            chunk = []
    if chunk:
        yield from public_rows(chunk, today=today)


# --- the filters' choices ------------------------------------------------------------------

def election_choices() -> list[tuple[str, str]]:
    return [(election.id, election.title) for election in Election.objects.order_by("-voting_day", "id")]


def region_choices() -> list[tuple[str, str]]:
    """Provinces and regencies/cities by code, regencies indented under their province."""
    return [(region.code, region.name if region.level == Region.Level.PROVINCE else f"— {region.name}")
            for region in Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY])
            .order_by("code")]


def published_agencies(*, today: date | None = None):
    """The agencies that have at least one published row, as a queryset (the register's typed agency filter:
    issue 20, never a list of every one of them on the page)."""
    from organizations.models import Agency

    today = today or timezone.localdate()
    return Agency.objects.filter(pk__in=Recommendation.objects.filter(published_q(today)).values("addressee_id"))


def region_by_code(code: str) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=code, level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]).first()


# --- the small-count rule ------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaCount:
    """One count of one area (a province, a regency/city) as the public sees it."""

    value: int | None  # None: withheld (1 to K-1)
    text: str
    withheld: bool


def area_count(count: int, *, k: int, level: int = Region.Level.REGENCY) -> AreaCount:
    """The one small-count rule of every public per-area count: the map and its tables, the
    statistics pages' per-region tables and the open data of the same figures.

    In an area below a province (``level``: a regency/city, or what a province's table shows beside
    its regencies), 0 is 0, 1 to K-1 is "fewer than K" and K and more are exact: a count of 1 to 4
    in a regency could point at a reporter or a reported person in a small place
    (``registry.disclosure``, K = ``NETRAL_PUBLIC_K_ANONYMITY``). The national and the province
    totals stay exact (a province is no small place; issue 20, the lead's decision).
    """
    if count == 0:
        return AreaCount(0, "0", False)
    if count < k and level > Region.Level.PROVINCE:
        return AreaCount(None, str(_("fewer than %(k)d") % {"k": k}), True)
    return AreaCount(count, str(count), False)


# --- public figures ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """One counted item: a code for the open data, a label for the page."""

    key: str
    label: str
    count: int


REGION_MEASURES = ("recommendations", "in_time", "late", "ignored", "pending")
PROVINCE_CODE_LENGTH, REGENCY_CODE_LENGTH = 2, 5


@dataclass(frozen=True)
class RegionFigures:
    """The follow-up in one area (where the violations happened), each count through ``area_count``.

    ``level``: "province" (a row with its own page), "regency", or "other" (placed at the country,
    or at the province itself on a province's table). The measures read as int, None when withheld.
    """

    key: str
    label: str
    province: str
    level: str
    counts: tuple[AreaCount, ...]  # in the order of REGION_MEASURES

    def _value(self, measure: str) -> int | None:
        return self.counts[REGION_MEASURES.index(measure)].value

    @property
    def recommendations(self) -> int | None:
        return self._value("recommendations")

    @property
    def in_time(self) -> int | None:
        return self._value("in_time")

    @property
    def late(self) -> int | None:
        return self._value("late")

    @property
    def ignored(self) -> int | None:
        return self._value("ignored")

    @property
    def pending(self) -> int | None:
        return self._value("pending")


@dataclass(frozen=True)
class ViolationFigures:
    key: str
    label: str
    family: str
    recommendations: int
    sanctioned: int


@dataclass(frozen=True)
class Statistics:
    today: date
    election: str
    totals: list[Figure]
    outcomes: list[Figure]
    followup: list[Figure]
    sanction_families: list[Figure]
    sanctions: list[Figure]
    regions: list[RegionFigures]
    violations: list[ViolationFigures]
    channels: list[Figure] = field(default_factory=list)  # reports received by the channel they came by
    k: int = 1  # the small-count rule's K of ``regions``
    # {area code: reports, cases, in_time, due}: the map's figures (portal.maps.area_counts' form), from the
    # same grouped queries; the areas of ``regions``.
    areas: dict[str, dict] = field(default_factory=dict)
    as_of: datetime | None = None  # when the figures were computed (None: computed live)

    def figure(self, section: str, key: str) -> int:
        return next((item.count for item in getattr(self, section) if item.key == key), 0)


IN_TIME = Q(is_open__in=[False], closed_on__lte=F("due_on"))
LATE = Q(is_open__in=[False], closed_on__gt=F("due_on"))


def counted_rows(*, election: str = "") -> tuple[QuerySet[Report], QuerySet[Case], QuerySet[Recommendation]]:
    """What the public figures count (optionally of one election): every report, the cases not
    merged into another, and the recommendations to the PPKs."""
    reports = Report.objects.all()
    cases = Case.objects.filter(merged_into__isnull=True)
    recommendations = Recommendation.objects.filter(stage=Recommendation.Stage.PPK)
    if election:
        reports, cases = reports.filter(election_id=election), cases.filter(election_id=election)
        recommendations = recommendations.filter(case__election_id=election)
    return reports, cases, recommendations


def area_code_q(field: str, within: str) -> Q:
    """Rows whose region (under ``field``) is the area ``within`` (a code) or below it; all for ""."""
    if not within:
        return Q()
    return Q(**{f"{field}__code": within}) | Q(**{f"{field}__code__startswith": within + "."})


def _grouped(queryset: QuerySet, field: str, length: int, within: str = "") -> QuerySet:
    """``queryset`` annotated with its area: the first ``length`` characters of the region code under ``field``
    ("19" a province, "19.06" a regency/city), optionally only within the area ``within``."""
    return queryset.filter(area_code_q(field, within)).annotate(area=Substr(f"{field}__code", 1, length))


FOLLOWUP_MEASURES = (*REGION_MEASURES, "sanctioned", "refused")


def _followup_by_area(recommendations: QuerySet[Recommendation], today: date, *, length: int,
                      within: str = "", by: tuple[str, ...] = ()) -> dict:
    """{area code: follow-up counts}: one grouped query, its rows bounded by the areas (the first
    ``length`` characters of the case region's code: "19" a province, "19.06" a regency/city).

    ``by``: more fields to group by; the keys are then (their values..., area code).
    """
    rows = (_grouped(recommendations, "case__region", length, within).values(*by, "area")
            .annotate(recommendations=Count("pk"), in_time=Count("pk", filter=IN_TIME),
                      late=Count("pk", filter=LATE),
                      ignored=Count("pk", filter=Q(is_open__in=[True], due_on__lt=today)),
                      pending=Count("pk", filter=Q(is_open__in=[True], due_on__gte=today)),
                      sanctioned=Count("pk", filter=Q(status=Status.SANCTIONED)),
                      refused=Count("pk", filter=Q(status=Status.REFUSED)))
            .order_by())
    if not by:
        return {row.pop("area"): row for row in rows}
    return {(*(row.pop(name) for name in by), row.pop("area")): row for row in rows}


def _region_figures(by_area: dict[str, dict], *, k: int, per_province: bool,
                    province: Region | None = None) -> list[RegionFigures]:
    """The rows of a per-region table from ``_followup_by_area``'s counts: one query for the names.

    ``per_province``: the areas are provinces (totals: exact); otherwise regencies/cities (the
    small-count rule), with what lies at a province itself or under a retired code.
    """
    if not by_area:
        return []
    codes = set(by_area) | {code[:PROVINCE_CODE_LENGTH] for code in by_area}
    regions = {region.code: region for region in Region.objects.filter(code__in=codes).only("code", "name", "level")}
    figures = []
    for code, counts in sorted(by_area.items()):
        region = regions.get(code)
        province_region = regions.get(code[:PROVINCE_CODE_LENGTH])
        if region is not None and region.level == Region.Level.COUNTRY:  # placed at the country: a total
            level, rule_level = "other", Region.Level.COUNTRY
        elif per_province and region is not None and region.level == Region.Level.PROVINCE:
            level, rule_level = "province", Region.Level.PROVINCE
        elif region is not None and region.level == Region.Level.REGENCY:
            level, rule_level = "regency", Region.Level.REGENCY
        else:  # at a province itself beside its regencies, or a code no longer listed: a small area
            level, rule_level = "other", Region.Level.REGENCY
        if province is not None and code == province.code:
            label = str(_("The province itself, or a regency/city no longer listed"))
        else:
            label = region.name if region is not None else code
        figures.append(RegionFigures(
            key=code, label=label, province=province_region.name if province_region is not None else "",
            level=level, counts=tuple(area_count(counts[measure], k=k, level=rule_level)
                                      for measure in REGION_MEASURES)))
    return figures


# --- the counted rows: computed by the grouped queries, stored, summed -----------------------------

# What a row of figures counts (``FigureRow.measure``) and what its ``detail`` is.
REPORTS = "reports"  # reports received; detail: the channel
CASES = "cases"  # cases registered, not merged; detail: the outcome ("" undecided)
FOLLOWUP = "followup"  # PPK-stage recommendations; detail: one of FOLLOWUP_MEASURES
VIOLATION = "violation"  # recommendations naming a provision; detail: the violation id (area "")
VIOLATION_SANCTIONED = "violation_sanctioned"  # ... of them sanctioned
SANCTION = "sanction"  # sanctions imposed; detail: "family|level|sanction" (area "")
AREA_MEASURES = (REPORTS, CASES, FOLLOWUP)


@dataclass(frozen=True)
class FigureRow:
    """One count of the public figures: an election, an area (the first five characters of the region
    code: "19.06" a regency/city, "19" the province itself, "ID" the country; "" for the measures counted
    for the whole country only), a measure and its detail. A province's figures and the country's are
    sums of these rows: exact."""

    election_id: str
    area: str
    measure: str
    detail: str
    count: int


def compute_figures(*, today: date, election: str = "") -> list[FigureRow]:
    """Every count of the public pages, per election and regency/city, from the live rows: the grouped
    queries of the statistics (``_grouped``, ``_followup_by_area``), each grouped by election as well.
    Five queries whatever the number of rows; ``today`` decides which open recommendations are ignored
    (past their deadline) and which pending."""
    reports, cases, recommendations = counted_rows(election=election)
    rows = [FigureRow(row["election_id"], row["area"], CASES, row["outcome"], row["n"])
            for row in _grouped(cases, "region", REGENCY_CODE_LENGTH).values("election_id", "area", "outcome")
            .annotate(n=Count("pk")).order_by()]
    rows += [FigureRow(row["election_id"], row["area"], REPORTS, row["channel"], row["n"])
             for row in _grouped(reports, "region", REGENCY_CODE_LENGTH).values("election_id", "area", "channel")
             .annotate(n=Count("pk")).order_by()]
    by_area = _followup_by_area(recommendations, today, length=REGENCY_CODE_LENGTH, by=("case__election_id",))
    rows += [FigureRow(election_id, area, FOLLOWUP, measure, counts[measure])
             for (election_id, area), counts in by_area.items() for measure in FOLLOWUP_MEASURES
             if counts[measure] or measure == "recommendations"]
    for (election_id, violation_id), counts in _violation_counts(
            recommendations, by=("recommendation__case__election_id",)).items():
        rows.append(FigureRow(election_id, "", VIOLATION, violation_id, counts["recommendations"]))
        if counts["sanctioned"]:
            rows.append(FigureRow(election_id, "", VIOLATION_SANCTIONED, violation_id, counts["sanctioned"]))
    # The sanctions imposed: precomputed (followup.tallies, kept current by the follow-up services in the
    # transaction of every decision): a few thousand tally rows, never a scan of the decisions.
    imposed = SanctionTally.objects.filter(stage=Recommendation.Stage.PPK, outcome=Decision.Outcome.IMPOSED)
    if election:
        imposed = imposed.filter(election_id=election)
    for election_id, family, level, sanction, count in (
            imposed.order_by().values_list("election_id", "sanction_family", "sanction_level", "sanction")
            .annotate(count=Sum("count"))):
        if count:
            rows.append(FigureRow(election_id, "", SANCTION, f"{family}|{level}|{sanction}", count))
    return rows


def _statistics_from(rows, *, election: str, today: date, regencies: bool, k: int,
                     as_of=None) -> Statistics:
    """The public figures from counted rows, (area, measure, detail, count) of ``compute_figures``, stored or
    not, the areas of any length from the province's up: summed here by the areas the page shows."""
    length = REGENCY_CODE_LENGTH if regencies else PROVINCE_CODE_LENGTH
    areas: dict[str, dict] = {}

    def area(code: str) -> dict:
        return areas.setdefault(code, {"reports": 0, "cases": 0, "in_time": 0, "due": 0})

    by_outcome: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    by_area: dict[str, dict] = {}
    by_violation: dict[str, dict] = {}
    by_grade: dict[tuple[str, str], int] = {}
    by_sanction: dict[str, int] = {}
    for code, measure, detail, count in rows:
        if measure == CASES:
            by_outcome[detail] = by_outcome.get(detail, 0) + count
            area(code[:length])["cases"] += count
        elif measure == REPORTS:
            by_channel[detail] = by_channel.get(detail, 0) + count
            area(code[:length])["reports"] += count
        elif measure == FOLLOWUP:
            counts = by_area.setdefault(code[:length], dict.fromkeys(FOLLOWUP_MEASURES, 0))
            counts[detail] += count
        elif measure in (VIOLATION, VIOLATION_SANCTIONED):
            counts = by_violation.setdefault(detail, {"recommendations": 0, "sanctioned": 0})
            counts["recommendations" if measure == VIOLATION else "sanctioned"] += count
        elif measure == SANCTION and count:
            family, level, sanction = detail.split("|", 2)
            by_grade[family, level] = by_grade.get((family, level), 0) + count
            by_sanction[sanction] = by_sanction.get(sanction, 0) + count
    registered = sum(by_outcome.values())
    decided = sum(count for outcome, count in by_outcome.items() if outcome)
    for code, counts in by_area.items():
        area(code)["in_time"] += counts["in_time"]
        area(code)["due"] += counts["in_time"] + counts["late"] + counts["ignored"]
    follow = {key: sum(counts[key] for counts in by_area.values()) for key in FOLLOWUP_MEASURES}
    totals = [
        Figure("reports_received", str(_("Reports received")), sum(by_channel.values())),
        Figure("cases_registered", str(_("Cases registered (reports and findings)")), registered),
        Figure("cases_decided", str(_("Cases decided")), decided),
        Figure("cases_forwarded_authority", str(_("Forwarded to the civil-service authority")),
               by_outcome.get(Outcome.FORWARDED_AUTHORITY, 0)),
        Figure("recommendations", str(_("Recommendations to a PPK")), follow["recommendations"]),
    ]
    outcomes = [Figure(value, str(label), by_outcome.get(value, 0)) for value, label in Outcome.choices]
    followup = [
        Figure("in_time", str(_("Acted on in time")), follow["in_time"]),
        Figure("late", str(_("Acted on late")), follow["late"]),
        Figure("ignored", str(_("Not acted on, past the deadline")), follow["ignored"]),
        Figure("pending", str(_("Awaiting action, deadline not yet passed")), follow["pending"]),
        Figure("sanctioned", str(_("Sanction imposed")), follow["sanctioned"]),
        Figure("refused", str(_("Refused by the PPK")), follow["refused"]),
    ]
    sanction_families = [Figure(f"{family}:{level}" if level else family, grade_label(family, level), count)
                         for (family, level), count in sorted(by_grade.items())]
    entries = catalog().sanctions
    sanctions = [Figure(sanction_id, localized(entry.title), by_sanction[sanction_id])
                 for sanction_id, entry in entries.items() if sanction_id in by_sanction]
    sanctions += [Figure(key, key, count) for key, count in sorted(by_sanction.items()) if key not in entries]
    channels = [Figure(value, str(label), by_channel.get(value, 0)) for value, label in Report.Channel.choices]
    violations = Violation.objects.filter(pk__in=list(by_violation)).order_by("position", "id") if by_violation else []
    return Statistics(today=today, election=election, totals=totals, outcomes=outcomes, followup=followup,
                      sanction_families=sanction_families, sanctions=sanctions,
                      regions=_region_figures(by_area, k=k, per_province=not regencies),
                      violations=[ViolationFigures(key=v.id, label=v.title, family=v.family,
                                                   recommendations=by_violation[v.id]["recommendations"],
                                                   sanctioned=by_violation[v.id]["sanctioned"]) for v in violations],
                      channels=channels, k=k, areas=areas, as_of=as_of)


@dataclass(frozen=True)
class ProvinceFigures:
    """A province page's figures: its follow-up per regency/city (``area_count``), the province's exact
    total, the follow-up counts per area code (``_followup_by_area``'s form) and the map's figures per
    area code (portal.maps.area_counts' form: reports, cases, in_time, due)."""

    regions: list[RegionFigures]
    total: dict
    by_area: dict[str, dict]
    areas: dict[str, dict] = field(default_factory=dict)
    as_of: datetime | None = None  # when the figures were computed (None: computed live)


def _province_from(rows, *, province: Region, k: int, as_of=None) -> ProvinceFigures:
    """A province page's figures from counted rows (area, measure, detail, count) of its areas."""
    by_area: dict[str, dict] = {}
    areas: dict[str, dict] = {}
    for code, measure, detail, count in rows:
        if measure == FOLLOWUP:
            by_area.setdefault(code, dict.fromkeys(FOLLOWUP_MEASURES, 0))[detail] += count
        elif measure in (REPORTS, CASES):
            areas.setdefault(code, {"reports": 0, "cases": 0, "in_time": 0, "due": 0})[measure] += count
    for code, counts in by_area.items():
        item = areas.setdefault(code, {"reports": 0, "cases": 0, "in_time": 0, "due": 0})
        item["in_time"] += counts["in_time"]
        item["due"] += counts["in_time"] + counts["late"] + counts["ignored"]
    total = {measure: sum(counts[measure] for counts in by_area.values()) for measure in REGION_MEASURES}
    return ProvinceFigures(regions=_region_figures(by_area, k=k, per_province=False, province=province),
                           total=total, by_area=by_area, areas=areas, as_of=as_of)


def _in_area(code: str, within: str) -> bool:
    return code == within or code.startswith(within + ".")


def region_figures(*, province: Region, election: str = "", today: date | None = None,
                   live: bool = False) -> ProvinceFigures:
    """A province page's figures per regency/city, from the stored figures (followup.public_figures): two
    queries whatever the number of rows (the figures of the province's areas, the regions' names), more
    when the figures are stale (one refresh queued) or not computed yet (computed here, once).

    ``live``: computed now from the live rows (``today``: the day that decides ignored and pending).
    """
    from followup import public_figures

    k = k_anonymity()
    if live:
        rows = compute_figures(today=today or timezone.localdate(), election=election)
        return _province_from([(row.area, row.measure, row.detail, row.count) for row in rows
                               if row.measure in AREA_MEASURES and _in_area(row.area, province.code)],
                              province=province, k=k)
    snapshot = public_figures.public_figures_snapshot()
    return _province_from(public_figures.province_rows(snapshot, province=province.code, election=election),
                          province=province, k=k, as_of=snapshot.computed_at)


def statistics_public(*, election: str = "", today: date | None = None, regencies: bool = False,
                      live: bool = False) -> Statistics:
    """The public figures (optionally of one election), from the stored figures (followup.public_figures):
    a fixed number of queries, each bounded by the catalog or the areas, never by the rows.

    - reports received: public reports (anonymous ones included), by channel (web form,
      WhatsApp, SMS, Telegram, e-mail, partner system);
    - cases registered: reports registered and findings, not counting cases merged into another;
    - outcomes: decided cases by outcome;
    - follow-up: PPK-stage recommendations, acted on in time (decision on or before the
      deadline), late (after it), ignored (no decision and the deadline passed), pending
      (no decision, deadline not yet passed), sanctioned, refused: as on the day the figures were
      computed (``Statistics.today``);
    - sanctions imposed by family and level, and by catalog entry (from the precomputed followup.tallies);
    - by region: per province where the violation happened (``regencies``: per regency/city,
      the open data), each count through ``area_count``; by violated provision.

    The national figures are exact; the per-region ones follow the small-count rule, applied here, on
    read. ``live``: computed now from the live rows (``today``), not stored: the stored figures' reference.
    """
    from followup import public_figures

    k = k_anonymity()
    if live:
        today = today or timezone.localdate()
        rows = compute_figures(today=today, election=election)
        return _statistics_from([(row.area, row.measure, row.detail, row.count) for row in rows],
                                election=election, today=today, regencies=regencies, k=k)
    snapshot = public_figures.public_figures_snapshot()
    return _statistics_from(public_figures.national_rows(snapshot, election=election, regencies=regencies),
                            election=election, today=snapshot.computed_on, regencies=regencies, k=k,
                            as_of=snapshot.computed_at)


def _violation_counts(recommendations: QuerySet[Recommendation], *, by: tuple[str, ...] = ()) -> dict:
    """{(by values..., violation id): recommendations, sanctioned} per violated provision (a recommendation
    may name several): one grouped query, its rows bounded by the catalog (and ``by``)."""
    through = Recommendation.violations.through
    rows = (through.objects.filter(recommendation__in=recommendations.values("pk"))
            .values(*by, "violation_id")
            .annotate(recommendations=Count("recommendation_id"),
                      sanctioned=Count("recommendation_id",
                                       filter=Q(recommendation__status=Status.SANCTIONED)))
            .order_by())
    return {tuple(row[name] for name in (*by, "violation_id")): row for row in rows}
