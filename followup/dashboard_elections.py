"""Lessons across elections: each agency's figures for one election beside the previous one (seed 003).

Shown on the compliance dashboard when an election is chosen. The previous election is the
one with the latest voting day before the chosen one's (rules/data/elections.yaml). Per
agency, for each of the two elections:

- reports: the reports (laporan) in the cases about the agency's people;
- cases: the cases with a reported person of the agency (from the register: the person's
  agency; a person typed by hand belongs to no agency here);
- violations: those of the cases decided as a violation and forwarded (to the civil-service
  authority, Sentra Gakkumdu or another body);
- recommendations followed in time: the recommendations (of the dashboard's stage)
  addressed to the agency and acted on within their deadline (followup.compliance), out of
  those received;
- sanctions: the sanctions the PPK imposed on those recommendations.

The scope is the dashboard's (followup.dashboard.dashboard_q): a Bawaslu user counts the
cases of their offices, a Pemda user those about their own agency's people, the national
roles everything.

Nationally the agencies run to hundreds: the comparison is paged (``per_page`` agencies in the
order of their names, Django's Paginator). The agencies with a figure in either election are
listed and counted in the database; the figures are then computed for the page's agencies
only. The recommendations' side comes from the dashboard's precomputed tallies
(followup.tallies, ``tally_q``) whenever the dashboard itself is served from them (no period of
issue): which agencies received one, and their counts, without reading the recommendations.
Seven queries (five on the live path), whatever the number of agencies and cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum

from cases.models import Case, CasePerson
from followup import compliance
from followup.dashboard import DashboardFilter, dashboard_recommendations, is_national
from followup.models import ComplianceTally, Decision, SanctionTally
from followup.tallies import tally_q
from organizations.models import Agency
from organizations.selectors import office_ids_under
from rules.models import Election

VIOLATION_OUTCOMES = (Case.Outcome.FORWARDED_AUTHORITY, Case.Outcome.FORWARDED_GAKKUMDU,
                      Case.Outcome.FORWARDED_OTHER)
FIGURES = ("reports", "cases", "violations", "received", "in_time", "sanctions")


@dataclass
class ElectionFigures:
    reports: int = 0
    cases: int = 0
    violations: int = 0
    received: int = 0
    in_time: int = 0
    due: int = 0
    sanctions: int = 0

    @property
    def in_time_percent(self) -> float | None:
        return compliance.percent(compliance.share(self.in_time, self.due))


@dataclass
class Change:
    name: str
    current: int
    previous: int

    @property
    def delta(self) -> int:
        return self.current - self.previous


@dataclass
class AgencyComparison:
    agency_id: int
    name: str
    current: ElectionFigures = field(default_factory=ElectionFigures)
    previous: ElectionFigures = field(default_factory=ElectionFigures)

    @property
    def changes(self) -> list[Change]:
        return [Change(name, getattr(self.current, name), getattr(self.previous, name)) for name in FIGURES]


@dataclass
class Comparison:
    election: Election
    previous: Election | None
    agencies: list[AgencyComparison]
    page: Page | None = None  # the page of agencies shown (None: all of them)


def previous_election(election: Election) -> Election | None:
    """The election voted last before ``election`` (None for the first)."""
    return (Election.objects.filter(voting_day__lt=election.voting_day).order_by("-voting_day", "id").first())


def _person_scope(user) -> Q:
    if is_national(user):
        return Q()
    if user.is_bawaslu and user.jurisdiction is not None:
        return Q(case__office_id__in=office_ids_under(user.jurisdiction))
    return Q(employee__agency_id=user.agency_id)


def _recommendation_figures(recommendations, today: date, figures_of) -> None:
    """Received, in time, due and sanctions per agency and election, from the recommendations."""
    counts = compliance.class_counts(today)
    for item in (recommendations.order_by().values("addressee_id", "case__election_id")
                 .annotate(received=counts["received"], in_time=counts[compliance.IN_TIME],
                           late=counts[compliance.LATE], ignored=counts[compliance.IGNORED],
                           sanctions=Count("pk", filter=Q(decision__outcome=Decision.Outcome.IMPOSED)))):
        figures = figures_of(item["addressee_id"], item["case__election_id"])
        figures.received, figures.in_time, figures.sanctions = item["received"], item["in_time"], item["sanctions"]
        figures.due = item["in_time"] + item["late"] + item["ignored"]


def _tallied_recommendation_figures(tallies: Q, recommendations, today: date, figures_of) -> None:
    """The same figures from the tallies; the open ones not yet due counted live (followup.tallies)."""
    pending = {(item["addressee_id"], item["case__election_id"]): item["n"] for item in (
        recommendations.filter(is_open=True, due_on__gte=today).order_by()
        .values("addressee_id", "case__election_id").annotate(n=Count("pk")))}
    for item in (ComplianceTally.objects.filter(tallies).order_by().values("addressee_id", "election_id")
                 .annotate(received=Sum("received"), in_time=Sum("in_time"), late=Sum("late"), open=Sum("open"))):
        figures = figures_of(item["addressee_id"], item["election_id"])
        ignored = item["open"] - pending.get((item["addressee_id"], item["election_id"]), 0)
        figures.received, figures.in_time = item["received"], item["in_time"]
        figures.due = item["in_time"] + item["late"] + ignored
    for item in (SanctionTally.objects.filter(tallies, outcome=Decision.Outcome.IMPOSED).order_by()
                 .values("addressee_id", "election_id").annotate(n=Sum("count"))):
        figures_of(item["addressee_id"], item["election_id"]).sanctions = item["n"]


def election_comparison(user, flt: DashboardFilter, *, today: date, page: int | str | None = 1,
                        per_page: int | None = None, precomputed: bool = True) -> Comparison | None:
    """The agencies' figures for ``flt.election`` and the election before it; None without an election.

    With ``per_page``, only the agencies of page ``page`` (a wrong or out-of-range number gives
    the nearest page, as ``Paginator.get_page``); without it, every agency.
    """
    if flt.election is None:
        return None
    election = flt.election
    previous = previous_election(election)
    elections = [election.pk] + ([previous.pk] if previous else [])

    recommendations = dashboard_recommendations(user, DashboardFilter(
        stage=flt.stage, issued_from=flt.issued_from, issued_until=flt.issued_until, region=flt.region,
        agency=flt.agency)).filter(case__election_id__in=elections)
    persons = CasePerson.objects.filter(_person_scope(user), employee__isnull=False,
                                        case__election_id__in=elections).exclude(case__status=Case.Status.MERGED)
    if flt.agency is not None:
        persons = persons.filter(employee__agency=flt.agency)
    if flt.region is not None:
        persons = persons.filter(flt.region.subtree_q("employee__agency__region"))

    # From the precomputed tallies when the filter allows it (no period): the recommendations of
    # either election are then read per key, not row by row (issue 20).
    tallied = tally_q(user, replace(flt, election=None)) if precomputed else None
    tallies = None if tallied is None else tallied[0] & Q(election_id__in=elections)
    addressees = (recommendations.order_by().values("addressee_id") if tallies is None else
                  ComplianceTally.objects.filter(tallies, received__gt=0).values("addressee_id"))

    # The agencies with a figure in either election, in the order shown; one page of them.
    listed = (Agency.objects.filter(Q(pk__in=addressees)
                                    | Q(pk__in=persons.order_by().values("employee__agency_id")))
              .order_by("name", "pk").values_list("pk", "name"))
    shown = None
    if per_page is not None:
        shown = Paginator(listed, per_page).get_page(page)
        agencies = list(shown.object_list)
    else:
        agencies = list(listed)
    rows = {agency_id: AgencyComparison(agency_id, name) for agency_id, name in agencies}
    if shown is not None:
        shown.object_list = list(rows.values())
    if not rows:
        return Comparison(election, previous, [], shown)

    def figures_of(agency_id: int, election_id: str) -> ElectionFigures:
        entry = rows[agency_id]
        return entry.current if election_id == election.pk else entry.previous

    if tallies is None:
        _recommendation_figures(recommendations.filter(addressee_id__in=list(rows)), today, figures_of)
    else:
        _tallied_recommendation_figures(tallies & Q(addressee_id__in=list(rows)),
                                        recommendations.filter(addressee_id__in=list(rows)), today, figures_of)

    for item in (persons.filter(employee__agency_id__in=list(rows)).order_by()
                 .values("employee__agency_id", "case__election_id")
                 .annotate(cases=Count("case", distinct=True),
                           violations=Count("case", distinct=True, filter=Q(case__outcome__in=VIOLATION_OUTCOMES)),
                           reports=Count("case__case_reports", distinct=True))):
        figures = figures_of(item["employee__agency_id"], item["case__election_id"])
        figures.cases, figures.violations, figures.reports = item["cases"], item["violations"], item["reports"]

    return Comparison(election, previous, list(rows.values()), shown)
