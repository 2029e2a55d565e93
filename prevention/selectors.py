"""Prevention's reads: one door per object type, lists bound to the jurisdiction, reach and coverage.

Reach and coverage are aggregated in the database with a constant number of queries,
whatever the number of units, events or pledges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.permissions import Capability, can
from organizations.models import Unit
from prevention import coverage
from prevention.models import Attendance, Banner, Ceremony, Event, Material, Pledge, TestScore, Theme
from prevention.scoring import average_gain, share
from registry.models import Employee


def _require(user):
    if not can(user, Capability.MANAGE_PREVENTION):
        raise PermissionDenied


def _in_jurisdiction(user) -> Q:
    return user.jurisdiction.subtree_q("region")


def _own(user) -> Q:
    """What the account's own office or agency organized (only that may be changed)."""
    if user.bawaslu_office_id:
        return Q(office_id=user.bawaslu_office_id)
    return Q(agency_id=user.agency_id)


# --- Events --------------------------------------------------------------------------------

def event_list_for(user, *, theme: str = "", query: str = ""):
    """Events organized within the user's jurisdiction (both parties' events: reach is shared)."""
    _require(user)
    events = Event.objects.filter(_in_jurisdiction(user))
    if theme:
        events = events.filter(theme_id=theme)
    if query:
        events = events.filter(Q(title__icontains=query) | Q(place__icontains=query))
    return (events.select_related("theme", "office", "agency", "region")
            .annotate(attendance_count=Count("attendances", distinct=True))
            .order_by("-held_on", "-id"))


def access_event(user, pk, *, change: bool = False) -> Event:
    """The event if the user may see it (or change it): 404 for missing and foreign alike."""
    _require(user)
    events = Event.objects.filter(_in_jurisdiction(user))
    if change:
        events = events.filter(_own(user))
    try:
        return events.select_related("theme", "office", "agency", "region", "election").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def event_by_checkin_token(token: str) -> Event | None:
    if not token or len(token) > 64:
        return None
    return Event.objects.select_related("theme", "office", "agency", "region").filter(checkin_token=token).first()


def attendance_list(event: Event):
    pre = TestScore.objects.filter(attendance=OuterRef("pk"), phase="pre").values("score")[:1]
    post = TestScore.objects.filter(attendance=OuterRef("pk"), phase="post").values("score")[:1]
    from django.db.models import Subquery

    return (Attendance.objects.filter(event=event).select_related("employee__unit").defer("employee__nik")
            .annotate(pre_score=Subquery(pre), post_score=Subquery(post)).order_by("checked_in_at", "id"))


@dataclass(frozen=True)
class EventFigures:
    invited: int
    attended: int
    invited_attended: int
    attended_asn: int  # PNS and PPPK
    attended_contract: int  # non-ASN contract staff (seed 001 items 1-3)
    pre_average: Decimal | None
    post_average: Decimal | None
    average_gain: Decimal | None
    tested_both: int


def event_figures(event: Event) -> EventFigures:
    """Invited and present counts and the average gain of those who took both tests (3 queries)."""
    invited = event.invitations.count()
    counts = Attendance.objects.filter(event=event).aggregate(
        attended=Count("pk"),
        attended_contract=Count("pk", filter=Q(employee__kind=Employee.Kind.CONTRACT)),
        invited_attended=Count("pk", filter=Q(Exists(
            event.invitations.model.objects.filter(event=event, employee_id=OuterRef("employee_id"))))),
    )
    pairs = {}
    for attendance_id, phase, value in TestScore.objects.filter(attendance__event=event).values_list(
            "attendance_id", "phase", "score"):
        pairs.setdefault(attendance_id, {})[phase] = value
    pres = [p["pre"] for p in pairs.values() if "pre" in p]
    posts = [p["post"] for p in pairs.values() if "post" in p]
    both = [(p.get("pre"), p.get("post")) for p in pairs.values()]
    return EventFigures(
        invited=invited, attended=counts["attended"], invited_attended=counts["invited_attended"],
        attended_asn=counts["attended"] - counts["attended_contract"], attended_contract=counts["attended_contract"],
        pre_average=_mean(pres), post_average=_mean(posts), average_gain=average_gain(both),
        tested_both=sum(1 for pre, post in both if pre is not None and post is not None),
    )


def _mean(values):
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


# --- Reach ---------------------------------------------------------------------------------

def _units_for(user):
    """Units of the agencies in the user's jurisdiction (an agency account: its own)."""
    if user.agency_id and not user.bawaslu_office_id:
        return Unit.objects.filter(agency_id=user.agency_id)
    return Unit.objects.filter(user.jurisdiction.subtree_q("agency__region"))


@dataclass
class ReachRow:
    unit: Unit
    active: int
    attended: dict[str, int] = field(default_factory=dict)  # theme id -> ASN who attended
    shares: dict[str, Decimal | None] = field(default_factory=dict)
    # Of those, the non-ASN contract staff (seed 001 items 1-3), counted apart.
    contract_active: int = 0
    contract_attended: dict[str, int] = field(default_factory=dict)

    def cells(self, themes):
        """(attended, share, of them contract staff) per theme."""
        return [(self.attended.get(t.pk, 0), self.shares.get(t.pk), self.contract_attended.get(t.pk, 0))
                for t in themes]


def reach_units_for(user):
    """The units of the reach table, in its order (a queryset the page paginates: issue 20, a page of
    units at a time, never every unit of the country)."""
    _require(user)
    return _units_for(user).select_related("agency").order_by("agency__name", "name", "pk")


def reach_for(user, *, election=None, units=None) -> tuple[list[Theme], list[ReachRow]]:
    """Per unit: active ASN, and for each theme how many of them attended at least one event;
    the non-ASN contract staff among both are counted apart too.

    ``units``: the units to count (a page of ``reach_units_for``); all of the user's when None.
    Only active ASN count, at their current unit; an ASN who attended two events of a
    theme counts once. Three queries whatever the size (with ``units`` given as a list).
    """
    _require(user)
    themes = list(Theme.objects.filter(active=True))
    units = {u.pk: u for u in (reach_units_for(user) if units is None else units)}
    contract = Employee.Kind.CONTRACT
    totals = {unit_id: (n, c) for unit_id, n, c in Employee.objects.filter(active=True, unit_id__in=units.keys())
              .values_list("unit_id").annotate(n=Count("pk"), c=Count("pk", filter=Q(kind=contract)))
              .values_list("unit_id", "n", "c")}
    attendances = Attendance.objects.filter(employee__active=True, employee__unit_id__in=units.keys())
    if election is not None:
        attendances = attendances.filter(event__election=election)
    reached = (attendances.values("employee__unit_id", "event__theme_id")
               .annotate(n=Count("employee_id", distinct=True),
                         c=Count("employee_id", distinct=True, filter=Q(employee__kind=contract))))
    rows = {pk: ReachRow(unit=unit, active=totals.get(pk, (0, 0))[0], contract_active=totals.get(pk, (0, 0))[1])
            for pk, unit in units.items()}
    for entry in reached:
        row = rows[entry["employee__unit_id"]]
        row.attended[entry["event__theme_id"]] = entry["n"]
        row.contract_attended[entry["event__theme_id"]] = entry["c"]
    for row in rows.values():
        row.shares = {t.pk: share(row.attended.get(t.pk, 0), row.active) for t in themes}
    return themes, list(rows.values())


# --- Pledges -------------------------------------------------------------------------------

def pledge_list_for(user, *, election=None, query: str = ""):
    """Pledges of ASN of agencies in the user's jurisdiction (an agency account: its own ASN)."""
    _require(user)
    pledges = Pledge.objects.all()
    if user.agency_id and not user.bawaslu_office_id:
        pledges = pledges.filter(agency_id=user.agency_id)
    else:
        pledges = pledges.filter(user.jurisdiction.subtree_q("agency__region"))
    if election is not None:
        pledges = pledges.filter(election=election)
    if query:
        pledges = pledges.filter(Q(name__icontains=query) | Q(unit_name__icontains=query))
    # The signer's kind (ASN or contract staff), without loading the register row and its encrypted NIK.
    return (pledges.select_related("election", "ceremony").annotate(employee_kind=F("employee__kind"))
            .order_by("-signed_at", "-id"))


def access_pledge(user, pk) -> Pledge:
    try:
        return pledge_list_for(user).get(pk=pk)
    except (Pledge.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pledge_by_code(code: str) -> Pledge | None:
    return Pledge.objects.select_related("election").filter(code=code).first()


@dataclass(frozen=True)
class CoverageRow:
    """Everyone active and signed, and of them the non-ASN contract staff (counted apart)."""

    label: str
    agency: str
    active: int
    signed: int
    contract_active: int = 0
    contract_signed: int = 0

    @property
    def share(self):
        return share(self.signed, self.active)

    @property
    def asn_active(self) -> int:
        return self.active - self.contract_active

    @property
    def asn_signed(self) -> int:
        return self.signed - self.contract_signed

    @property
    def asn_share(self):
        return share(self.asn_signed, self.asn_active)

    @property
    def contract_share(self):
        return share(self.contract_signed, self.contract_active)


def coverage_for(user, *, election) -> tuple[list[CoverageRow], list[CoverageRow]]:
    """Per unit and per agency: active employees and how many of them hold a valid pledge, with the
    non-ASN contract staff among them counted apart (1 query counted live; 3 when read from the stored
    figures: their state row first, see ``coverage_queries``).

    Counted over the register as it is now (an ASN who moved counts in the new unit). Every row of the
    jurisdiction: the staff page shows a page of each (``coverage_queries`` and ``coverage_rows``).
    """
    by_unit, by_agency = coverage_queries(user, election=election)
    return coverage_rows(by_unit, per="unit"), coverage_rows(by_agency, per="agency")


def coverage_rows(rows, *, per: str) -> list[CoverageRow]:
    """``CoverageRow``s of rows of ``coverage_queries`` (all, or a page of them); ``per``: "unit" or "agency"."""
    if per == "unit":
        return [CoverageRow(row["unit__name"] or "—", row["agency__name"], row["active"], row["signed"],
                            row["contract_active"], row["contract_signed"]) for row in rows]
    return [CoverageRow(row["agency__name"], row["agency__name"], row["active"], row["signed"],
                        row["contract_active"], row["contract_signed"]) for row in rows]


def coverage_queries(user, *, election):
    """(per unit, per agency): the coverage figures as two aggregate querysets, in the page's order, for the
    page to paginate (issue 20: a national account's jurisdiction has thousands of units).

    Bawaslu RI and a province office read the stored figures (prevention.coverage: grouping their whole
    jurisdiction's register per request took seconds), the rows of their jurisdiction's agencies; at
    most ``NETRAL_COVERAGE_MAX_AGE`` seconds old, plus a refresh's time. A regency office and a Pemda
    account count live and exact (a pledge signed at a ceremony shows at once).
    """
    by_unit, by_agency, _as_of = coverage_queries_as_of(user, election=election)
    return by_unit, by_agency


def coverage_queries_as_of(user, *, election):
    """``coverage_queries`` and when its figures were computed: None for live figures (the page says
    "as of" only for the stored ones)."""
    _require(user)
    if coverage.is_stored_scope(user):
        as_of = coverage.pledge_coverage_as_of()
        return *coverage.stored_coverage_queries(user.jurisdiction, election=election), as_of
    return *live_coverage_queries(user, election=election), None


def live_coverage_queries(user, *, election):
    """``coverage_queries`` counted live over the register, whatever the account's scope (what the stored
    figures are computed as: tests compare the two), as two lists.

    One grouped query, per agency and unit in the page's order; the agencies' rows are its sums. The
    page shows a page of each table and counts both: as querysets that was the same grouping of every
    employee of the jurisdiction four times (a large regency of 20,000 ASN: 700 ms at p50 in a register
    of 6,000,000). A regency or an agency has tens or hundreds of units, which the lists hold."""
    _require(user)
    employees = Employee.objects.filter(active=True)
    if user.agency_id and not user.bawaslu_office_id:
        employees = employees.filter(agency_id=user.agency_id)
    else:
        employees = employees.filter(user.jurisdiction.subtree_q("agency__region"))
    by_unit = list(coverage.employees_with_pledge(employees, election=election)
                   .values("unit_id", "unit__name", "agency_id", "agency__name").annotate(**coverage.coverage_figures())
                   .order_by("agency__name", "unit__name", "unit_id"))
    # The agencies in the order of their names in the rows (the database's collation), one name's by id.
    first_seen: dict[str, int] = {}
    sums: dict[int, dict] = {}
    for position, row in enumerate(by_unit):
        first_seen.setdefault(row["agency__name"], position)
        agency = sums.setdefault(row["agency_id"], {"agency_id": row["agency_id"], "agency__name": row["agency__name"],
                                                    **dict.fromkeys(coverage.FIGURES, 0)})
        for name in coverage.FIGURES:
            agency[name] += row[name]
    by_agency = sorted(sums.values(), key=lambda agency: (first_seen[agency["agency__name"]], agency["agency_id"]))
    return by_unit, by_agency


# --- Ceremonies, banners, materials --------------------------------------------------------

def ceremony_list_for(user):
    """The ceremonies of the user's jurisdiction, newest first, each with its ``pledge_count``: counted per
    ceremony shown (a sub-select), not by joining every pledge of the jurisdiction to group them (issue 20)."""
    _require(user)
    signed = (Pledge.objects.filter(ceremony=OuterRef("pk")).order_by().values("ceremony")
              .annotate(n=Count("pk")).values("n"))
    return Ceremony.objects.filter(_in_jurisdiction(user)).select_related("election").annotate(
        pledge_count=Coalesce(Subquery(signed, output_field=IntegerField()), 0)).order_by("-held_on", "-id")


def ceremony_candidates_matching(candidates, *, query: str = ""):
    """The candidates of a ceremony (services.ceremony_candidates) whose position, unit or name holds
    ``query``, in the order of the signing page: by unit, then name."""
    if query:
        candidates = candidates.filter(Q(position__icontains=query) | Q(unit__name__icontains=query) |
                                       Q(name__icontains=query))
    return candidates.select_related("unit").order_by("unit__name", "name", "pk")


def access_ceremony(user, pk, *, change: bool = False) -> Ceremony:
    _require(user)
    ceremonies = Ceremony.objects.filter(_in_jurisdiction(user))
    if change:
        ceremonies = ceremonies.filter(_own(user))
    try:
        return ceremonies.select_related("election", "region", "office", "agency").get(pk=pk)
    except (Ceremony.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def banner_list_for(user):
    _require(user)
    return (Banner.objects.filter(unit__in=_units_for(user)).select_related("unit", "election", "template")
            .order_by("-created_at", "-id"))


def access_banner(user, pk) -> Banner:
    try:
        return banner_list_for(user).select_related("unit__agency").get(pk=pk)
    except (Banner.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def material_list_public(*, query: str = "", kind: str = "", theme: str = ""):
    """The public library: published items (not event-only handouts), searchable."""
    materials = Material.objects.filter(published=True)
    if query:
        materials = materials.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if kind:
        materials = materials.filter(kind=kind)
    if theme:
        materials = materials.filter(theme_id=theme)
    return materials.select_related("theme", "office", "agency").order_by("-created_at", "-id")


def prohibited_acts(*, query: str = ""):
    """The catalog of prohibited acts by family, narrowed to titles containing the query (one query)."""
    from rules.selectors import FamilyGroup, violations_by_family

    groups = violations_by_family()
    if not query:
        return groups
    needle = query.casefold()
    narrowed = [FamilyGroup(g.family, g.label, [v for v in g.violations if needle in v.title.casefold()])
                for g in groups]
    return [group for group in narrowed if group.violations]


def material_public(pk) -> Material:
    try:
        return Material.objects.filter(published=True).exclude(file="").get(pk=pk)
    except (Material.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def material_list_for(user):
    _require(user)
    return Material.objects.filter(_in_jurisdiction(user)).select_related("theme", "event").order_by(
        "-created_at", "-id")


def access_material(user, pk, *, change: bool = False) -> Material:
    _require(user)
    materials = Material.objects.filter(_in_jurisdiction(user))
    if change:
        materials = materials.filter(_own(user))
    try:
        return materials.get(pk=pk)
    except (Material.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Figures for the agreements' indicators (no user: the agreement fixes the scope) -------

def events_held_count(*, region, theme_id: str, start, end) -> int:
    """Socialization events of a theme held from ``start`` to ``end`` (inclusive) in a region's subtree."""
    return Event.objects.filter(region.subtree_q("region"), theme_id=theme_id, held_on__gte=start,
                                held_on__lte=end).count()


def theme_reach_count(*, agency, theme_id: str, start, end) -> tuple[int, int]:
    """(reached, active): active ASN of an agency, and how many attended an event of the theme in the period."""
    active = Employee.objects.filter(active=True, agency=agency).count()
    reached = (Attendance.objects.filter(employee__active=True, employee__agency=agency, event__theme_id=theme_id,
                                         event__held_on__gte=start, event__held_on__lte=end)
               .values("employee_id").distinct().count())
    return reached, active


def pledges_signed_count(*, agency, start, end) -> int:
    """Valid (not revoked) pledges signed by ASN of an agency from ``start`` to ``end`` (local dates)."""
    return Pledge.objects.filter(agency=agency, revoked_at__isnull=True, signed_at__date__gte=start,
                                 signed_at__date__lte=end).count()


def theme_titles() -> dict[str, str]:
    """Every theme's id and title (in the active language), in their order."""
    return {theme.pk: theme.title for theme in Theme.objects.all()}


def test_score_pairs(*, agency, theme_id: str, start, end) -> list[tuple[Decimal, Decimal]]:
    """(pre, post) scores of the agency's ASN who took both tests at an event of the theme held in the period."""
    from django.db.models import Subquery

    pre = TestScore.objects.filter(attendance=OuterRef("pk"), phase="pre").values("score")[:1]
    post = TestScore.objects.filter(attendance=OuterRef("pk"), phase="post").values("score")[:1]
    return list(Attendance.objects.filter(employee__agency=agency, event__theme_id=theme_id, event__held_on__gte=start,
                                          event__held_on__lte=end)
                .annotate(pre_score=Subquery(pre), post_score=Subquery(post))
                .filter(pre_score__isnull=False, post_score__isnull=False)
                .values_list("pre_score", "post_score"))


test_score_pairs.__test__ = False  # a selector, not a pytest test
