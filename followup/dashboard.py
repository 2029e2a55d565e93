"""The compliance dashboard: how addressees act on recommendations, per agency and region.

Selectors only. Who sees what:

- Bawaslu staff and leadership: the recommendations of their jurisdiction's cases
  (followup.selectors.visible_q: the cases of the offices of their region subtree);
- a Pemda's personnel staff and PPK: those addressed to their own agency (visible_q);
- the civil-service authority and administrators: the whole country (the authority
  took over KASN's duties, so the KASN-era recommendations are its record too).

Every figure is counted in the database with conditional aggregation, one query per
table whatever the number of rows; the classes follow followup.compliance.classify.
Medians: PostgreSQL computes ``percentile_cont(0.5)`` in SQL; SQLite has no such
aggregate, so the day counts (computed by SQLite) are read with one query per table and
compiled in Python (compliance.median, the same definition).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, connections
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import (
    Case as Cond,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.permissions import Capability, can
from cases.models import Case, CaseReport
from followup import compliance
from followup.models import Decision, Recommendation
from followup.sanctions import grade_label
from followup.selectors import visible_q
from organizations.models import Agency
from regions.models import Region
from rules.models import Election
from rules.selectors import catalog, current_language

# --- scope ---------------------------------------------------------------------------------

def dashboard_q(user) -> Q:
    """The recommendations whose figures ``user`` may see; PermissionDenied for anyone else."""
    q = visible_q(user)  # raises PermissionDenied for an inactive or unattached account
    return Q() if is_national(user) else q


def is_national(user) -> bool:
    return can(user, Capability.SEE_NATIONAL_FIGURES)


@dataclass(frozen=True)
class DashboardFilter:
    """What the page and the exports show: a period of issue, a stage, a region, an agency or an election."""

    stage: str = Recommendation.Stage.PPK
    issued_from: date | None = None
    issued_until: date | None = None
    region: Region | None = None
    agency: Agency | None = None
    election: Election | None = None  # a recommendation belongs to the election of its case


def dashboard_recommendations(user, flt: DashboardFilter) -> QuerySet[Recommendation]:
    """The recommendations counted for ``user`` under ``flt`` (a filter, not yet read)."""
    items = Recommendation.objects.filter(dashboard_q(user), stage=flt.stage)
    if flt.issued_from:
        items = items.filter(issued_on__gte=flt.issued_from)
    if flt.issued_until:
        items = items.filter(issued_on__lte=flt.issued_until)
    if flt.region is not None:
        items = items.filter(flt.region.subtree_q("addressee__region"))
    if flt.agency is not None:
        items = items.filter(addressee=flt.agency)
    if flt.election is not None:
        items = items.filter(case__election=flt.election)
    return items


def agency_choices_for(user) -> QuerySet[Agency]:
    """The addressees the user may filter by: those of the recommendations the user may see."""
    q = dashboard_q(user)
    if not q:
        return Agency.objects.order_by("name")
    return Agency.objects.filter(
        pk__in=Recommendation.objects.filter(q).order_by().values("addressee_id")).order_by("name")


def region_choices_for(user) -> QuerySet[Region]:
    """Provinces and regencies/cities within the user's jurisdiction (all of them for national roles)."""
    regions = Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY])
    if not is_national(user):
        jurisdiction = user.jurisdiction
        if jurisdiction is None:
            return regions.none()
        regions = regions.filter(jurisdiction.subtree_q())
    return regions.order_by("code")


# --- counts per agency and per region ----------------------------------------------------------

@dataclass
class AgencyRow:
    agency_id: int
    name: str
    region_code: str
    region_name: str
    figures: compliance.Figures

    @property
    def segments(self):
        return compliance.bar_segments(self.figures)


@dataclass
class RegionRow:
    code: str
    name: str
    level: int
    agencies: int
    figures: compliance.Figures

    @property
    def segments(self):
        return compliance.bar_segments(self.figures)


def compliance_by_agency(items: QuerySet[Recommendation], *, today: date) -> list[AgencyRow]:
    """One row per addressee, by name: two queries.

    Counted per addressee id first, then named: grouping by the agencies' and regions' names
    joined to every row took four times as long for a year of the country's recommendations.
    """
    counts = {row["addressee_id"]: row for row in
              items.order_by().values("addressee_id").annotate(**compliance.class_counts(today))}
    agencies = (Agency.objects.filter(pk__in=list(counts)).order_by("name", "pk")
                .values_list("pk", "name", "region__code", "region__name"))
    return [AgencyRow(pk, name, region_code, region_name, compliance.Figures.of(counts[pk]))
            for pk, name, region_code, region_name in agencies]


def compliance_by_region(agency_rows: list[AgencyRow], *, depth: int = 2) -> list[RegionRow]:
    """Provinces (and regencies/cities to ``depth`` 2), each including the agencies below it.

    One query (the regions' names), whatever the number of rows.
    """
    totals = compliance.roll_up(((row.region_code, row.figures) for row in agency_rows), depth=depth)
    names = {}
    if totals:
        names = {code: (name, level) for code, name, level in
                 Region.objects.filter(code__in=list(totals)).values_list("code", "name", "level")}
    return [RegionRow(code, names.get(code, (code, 0))[0], names.get(code, (code, 0))[1], total.agencies,
                      total.figures) for code, total in totals.items()]


# --- sanctions ---------------------------------------------------------------------------------

@dataclass
class SanctionRow:
    """A sanction imposed (by its catalog id) or the refusals, with their count."""

    outcome: str
    sanction: str
    family: str
    level: str
    title: str
    count: int
    share: float | None = None

    @property
    def share_percent(self) -> float | None:
        return compliance.percent(self.share)

    @property
    def outcome_label(self) -> str:
        return str(Decision.Outcome(self.outcome).label)

    @property
    def grade_label(self) -> str:
        return grade_label(self.family, self.level)


def sanction_distribution(items: QuerySet[Recommendation]) -> list[SanctionRow]:
    """The PPK decisions on the selected recommendations, per sanction (refusals last): one query."""
    return sanction_rows(Decision.objects.filter(recommendation__in=items.order_by().values("pk")).order_by()
                         .values("outcome", "sanction", "sanction_family", "sanction_level")
                         .annotate(count=Count("pk")))


def sanction_rows(rows) -> list[SanctionRow]:
    """Rows of (outcome, sanction, family, level, count) in words and order, with their shares."""
    sanctions = catalog().sanctions
    order = {sanction_id: index for index, sanction_id in enumerate(sanctions)}
    language = current_language()
    result = []
    for row in rows:
        sanction = sanctions.get(row["sanction"])
        if row["outcome"] == Decision.Outcome.REFUSED:
            title = str(Decision.Outcome.REFUSED.label)
        else:
            title = sanction.title.get(language) if sanction else row["sanction"]
        result.append(SanctionRow(row["outcome"], row["sanction"], row["sanction_family"],
                                  row["sanction_level"], title, row["count"]))
    result.sort(key=lambda r: (r.outcome == Decision.Outcome.REFUSED, order.get(r.sanction, len(order)),
                               r.sanction))
    total = sum(r.count for r in result)
    for row in result:
        row.share = compliance.share(row.count, total)
    return result


def family_distribution(rows: list[SanctionRow]) -> list[tuple[str, int]]:
    """The imposed sanctions per family and level in words, in the order they first appear."""
    totals: dict[str, int] = {}
    for row in rows:
        if row.outcome == Decision.Outcome.IMPOSED:
            totals[row.grade_label] = totals.get(row.grade_label, 0) + row.count
    return list(totals.items())


# --- medians -----------------------------------------------------------------------------------

class DaysBetween(Func):
    """``end - start`` in whole days, computed by the database.

    PostgreSQL: date minus date is an integer. SQLite keeps dates as text: the difference
    of their Julian day numbers, so that the rows come back as small integers rather
    than dates Python has to parse (half the time of the SQLite medians at 50,000 rows).
    """

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        end, end_params = compiler.compile(self.get_source_expressions()[0])
        start, start_params = compiler.compile(self.get_source_expressions()[1])
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", [*end_params, *start_params]


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)`` (no such aggregate in Django)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


@dataclass
class Medians:
    """Median days between the steps, with how many pairs each median is taken over."""

    report_to_registration: float | None = None
    report_to_registration_count: int = 0
    registration_to_recommendation: float | None = None
    registration_to_recommendation_count: int = 0
    recommendation_to_sanction: float | None = None
    recommendation_to_sanction_count: int = 0

    def as_list(self) -> list[tuple[str, float | None, int]]:
        return [(name, getattr(self, name), getattr(self, f"{name}_count"))
                for name in ("report_to_registration", "registration_to_recommendation",
                             "recommendation_to_sanction")]


class LocalDate(TruncDate):
    """The local calendar day of a timestamp (TruncDate), cheaper on SQLite.

    Django's SQLite TruncDate calls a Python function per row to convert the time zone;
    for a zone without daylight saving (every Indonesian one: WIB, WITA, WIT) SQLite's own
    ``date(x, '+25200 seconds')`` gives the same day and halves the time of the first
    median at 40,000 cases. A zone with daylight saving keeps Django's conversion.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        zone = timezone.get_current_timezone()
        year = timezone.now().year
        offsets = {zone.utcoffset(datetime(year, 1, 1)), zone.utcoffset(datetime(year, 7, 1))}
        if len(offsets) != 1:
            return super().as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, %s)", [*params, f"{int(offsets.pop().total_seconds()):+d} seconds"]


def case_start():
    """The day a case began: its earliest report's reception, or for a finding the day it became known."""
    first_report = (CaseReport.objects.filter(case=OuterRef("pk")).order_by("report__created_at")
                    .values(day=LocalDate("report__created_at"))[:1])
    return Cond(When(kind=Case.Kind.FINDING, then=F("known_on")),
                 default=Coalesce(Subquery(first_report, output_field=DateField()), F("known_on")),
                 output_field=DateField())


def recommendation_days(*, stored: bool = True) -> tuple[Func, Func]:
    """A recommendation's days from its case's beginning to registration, and from registration to
    its issue, as expressions on Recommendation: the stored counts, or when not yet stored the
    counts computed from its case (subqueries, evaluated only for those rows). ``stored=False``:
    always computed from the case (followup.tallies.stored_days_refresh)."""
    case = Case.objects.filter(pk=OuterRef("case_id")).order_by()
    registered = Subquery(case.values("registered_on")[:1], output_field=DateField())
    report_days = Subquery(case.annotate(days=DaysBetween(case_start(), F("registered_on"))).values("days")[:1],
                           output_field=IntegerField())
    registration_days = DaysBetween(registered, F("issued_on"))
    if not stored:
        return report_days, registration_days
    return (Coalesce(F("days_report_to_registration"), report_days),
            Coalesce(F("days_registration_to_recommendation"), registration_days))


def case_median(items: QuerySet[Recommendation]) -> tuple[float | None, int]:
    """The median days from report to registration of the selection's cases, and their number: one query.

    Read from the recommendations (their stored days, one row per case), not from the cases and their
    first reports: a period of issue counts its rows through the index (stage, issued_on).
    """
    report_days, _registration_days = recommendation_days()
    per_case = items.order_by().values("case_id", days=report_days).distinct()
    if connection.vendor == "postgresql":
        sql, params = per_case.query.sql_with_params()
        with connections[items.db].cursor() as cursor:
            cursor.execute("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY per_case.days), COUNT(*) "
                           f"FROM ({sql}) per_case", params)  # noqa: S608 (Django's own SQL and parameters)
            median, count = cursor.fetchone()
        return median, count
    starts = [row["days"] for row in per_case if row["days"] is not None]
    return compliance.median(starts), len(starts)


def median_days(items: QuerySet[Recommendation]) -> Medians:
    """The three medians of the selection: three queries on PostgreSQL, two on SQLite.

    On PostgreSQL the second reads the recommendations alone (for a period, the index
    ``rec_stage_issued_period`` alone) and the third joins only the sanctioned ones' decisions.
    """
    sanctioned = Q(decision__outcome=Decision.Outcome.IMPOSED, decision__letter_date__isnull=False)
    to_registration, to_registration_count = case_median(items)
    _report_days, registration_days = recommendation_days()
    if connection.vendor == "postgresql":
        registered = items.order_by().aggregate(median=Median(registration_days), count=Count("pk"))
        sanctions = items.filter(sanctioned).order_by().aggregate(
            median=Median(DaysBetween(F("issued_on"), F("decision__letter_date"))), count=Count("pk"))
        return Medians(to_registration, to_registration_count, registered["median"], registered["count"],
                       sanctions["median"], sanctions["count"])
    pairs = list(items.order_by().values_list(
        registration_days,
        Cond(When(sanctioned, then=DaysBetween(F("issued_on"), F("decision__letter_date")))),
    ))
    to_recommendation = [registered for registered, _sanctioned in pairs if registered is not None]
    to_sanction = [days for _registered, days in pairs if days is not None]
    return Medians(to_registration, to_registration_count, compliance.median(to_recommendation),
                   len(to_recommendation), compliance.median(to_sanction), len(to_sanction))


def region_depth(user, flt: DashboardFilter) -> int:
    """The region rows shown: provinces for the country, a province's regencies/cities below it."""
    if flt.region is not None:
        level = flt.region.level
    elif is_national(user):
        level = Region.Level.COUNTRY
    else:
        jurisdiction = user.jurisdiction
        level = jurisdiction.level if jurisdiction is not None else Region.Level.COUNTRY
    return min(Region.Level.REGENCY, max(Region.Level.PROVINCE, level + 1))


# --- everything on the page ----------------------------------------------------------------------

@dataclass
class Dashboard:
    filter: DashboardFilter
    today: date
    agencies: list[AgencyRow]
    regions: list[RegionRow]
    total: compliance.Figures
    sanctions: list[SanctionRow]
    families: list[tuple[str, int]]
    medians: Medians
    national: bool = False


def dashboard_for(user, flt: DashboardFilter | None = None, *, today: date | None = None,
                  precomputed: bool = True) -> Dashboard:
    """Every figure of the page and the exports for ``user``: a fixed number of queries.

    From the precomputed tallies (followup.tallies) when the filter allows it, from the
    recommendations themselves otherwise (or with ``precomputed=False``): the same figures.
    """
    from followup.tallies import Measure, tallied_figures  # tallies builds on this module

    flt = flt or DashboardFilter()
    today = today or timezone.localdate()
    items = dashboard_recommendations(user, flt)
    tallied = tallied_figures(user, flt, today=today) if precomputed else None
    if tallied is None:
        agencies = compliance_by_agency(items, today=today)
        sanctions = sanction_distribution(items)
        medians = median_days(items)
    else:
        agencies = [AgencyRow(row["addressee_id"], row["addressee__name"], row["addressee__region__code"],
                              row["addressee__region__name"], compliance.Figures.of(row))
                    for row in tallied.agencies]
        sanctions = sanction_rows(tallied.sanctions)
        served = tallied.medians
        to_registration = served.get(Measure.REPORT_TO_REGISTRATION) or case_median(items)
        medians = Medians(*to_registration, *served[Measure.REGISTRATION_TO_RECOMMENDATION],
                          *served[Measure.RECOMMENDATION_TO_SANCTION])
    total = compliance.Figures()
    for row in agencies:
        total.add(row.figures)
    return Dashboard(filter=flt, today=today, agencies=agencies, total=total,
                     regions=compliance_by_region(agencies, depth=region_depth(user, flt)),
                     sanctions=sanctions, families=family_distribution(sanctions), medians=medians,
                     national=is_national(user))
