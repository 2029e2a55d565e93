"""Precomputed figures of the compliance dashboard: counts that do not grow with the data.

The dashboard of the whole country reads every recommendation of a stage (50,000 and
more) to count four classes, a sanction distribution and three medians. This module
keeps those figures ready, per *key* (a stage, an addressee, the case's election and the
case's Bawaslu office), in three tables of followup.models:

- ``ComplianceTally``: received, acted on in time, late, still open;
- ``SanctionTally``: the PPK decisions per outcome and sanction;
- ``DaysTally``: histograms of the days between the steps (exact medians: the median of a
  histogram is the median of the values it counts), the report-to-registration measure
  per case (a case counts once under its stage, election and office).

Kept current in the transaction of every change of what they count, so that a committed
change is never seen with stale figures:

- the follow-up services (the only writers of recommendations and decisions) call
  ``tallies_refresh`` after every change of a recommendation (created, acted on);
- a change of a case outside them goes through the hook of cases.hooks, which followup.apps
  registers (``tallies_case_change``): cases.services.case_merge wraps its move of reports in
  ``cases_changing``, since the first report of a case is the day it began (the
  report-to-registration measure). The hook reads the keys of the cases' recommendations
  before the change and recomputes those and the keys they have after it (a case whose
  election or office changed leaves its old key), with the per-case measure of their
  elections and offices. Not ``transaction.on_commit``: the figures commit with the change or
  not at all (cases.hooks says why not a signal either). Today cases change no election,
  office, kind, known or registration day after registration; a service that ever does must
  wrap the change in ``cases_changing`` too;
- nothing else writes those rows: recommendations, decisions and cases are not in the Django
  admin (followup/admin.py), the demo and the API act through the services. An agency or a
  Bawaslu office moved to another region changes no key (ids): the region and jurisdiction
  filters join the agencies and offices when the dashboard is read.

Each key's rows are recomputed from the live rows after a lock on the key's ComplianceTally
row, and the per-case rows of an election and office after an advisory lock on them
(PostgreSQL), the keys first and each kind in sorted order, so that two changes never lose
one another (read committed: the second waits, then reads the first's rows) nor deadlock.
A fixed number of queries per key touched, whatever the number of recommendations.
``manage.py followup_tallies`` (and the task ``tallies_rebuild_task``) rebuild them whole,
idempotently: after a bulk load past the services (bench/followup.py), or nightly as a check.

Which class an open recommendation is in depends on the day (ignored once its deadline has
passed): the tables keep "open"; the open ones not yet due (few: deadlines are days away)
are counted live through the index (stage, is_open, due_on), and ignored = open - pending.

What is served from here (``tallied_figures``): every scope whose rows are whole keys (the
national roles, a Bawaslu jurisdiction: its offices, a Pemda: its agency as addressee) with
the stage, election, region and agency filters. Served live (None here): a period of issue
(days, not keys), and the scope of a civil-service authority account that is not national
(it includes what it issued, not a key). The report-to-registration median is counted per
case, so it comes from here only without an addressee restriction (no region, no agency,
not a Pemda); otherwise that one median is computed live from the selection's cases.

The live path reads two day counts stored on each recommendation (``stored_days_refresh``: from
its case's beginning to registration, and from registration to the recommendation) instead of
joining every case and its first report; they are kept with the tallies: stored by
``tallies_refresh`` (every change through the services), by the hook of a case change, and by the
rebuild. A count not yet stored (a row bulk-inserted past the services) is computed from the case
on read, so the figures are the same either way (test_tallies). With them and the covering index
``rec_stage_issued_period``, a year of the country's recommendations (25,000) is counted live in
about 60 ms of queries on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django_tasks import task

from audit.services import audit_record
from cases.models import Case
from followup import compliance
from followup.models import ComplianceTally, DaysTally, Decision, Recommendation, SanctionTally

Key = tuple[str, int, str, int]  # stage, addressee id, election id, office id
CaseKey = tuple[str, str, int]  # stage, election id, office id

KEY_FIELDS = ("stage", "addressee_id", "case__election_id", "case__office_id")
Measure = DaysTally.Measure


# --- computing from the live rows ----------------------------------------------------------------

def _sanctioned() -> Q:
    return Q(decision__outcome=Decision.Outcome.IMPOSED, decision__letter_date__isnull=False)


def _compute(recommendations, cases_scope: Q | None) -> tuple[list, list, list]:
    """Tally rows (unsaved) of the given recommendations; the per-case measure for ``cases_scope``
    (a filter on Case, None for no case rows). A fixed number of grouped queries."""
    from followup.dashboard import DaysBetween

    items = recommendations.order_by()
    closed = Q(is_open=False)
    tallies = [
        ComplianceTally(stage=row["stage"], addressee_id=row["addressee_id"], election_id=row["case__election_id"],
                        office_id=row["case__office_id"], received=row["received"], in_time=row["in_time"],
                        late=row["late"], open=row["open"])
        for row in items.values(*KEY_FIELDS).annotate(
            received=Count("pk"), in_time=Count("pk", filter=closed & Q(closed_on__lte=F("due_on"))),
            late=Count("pk", filter=closed & Q(closed_on__gt=F("due_on"))), open=Count("pk", filter=Q(is_open=True)))]
    sanctions = [
        SanctionTally(stage=row["recommendation__stage"], addressee_id=row["recommendation__addressee_id"],
                      election_id=row["recommendation__case__election_id"],
                      office_id=row["recommendation__case__office_id"], outcome=row["outcome"],
                      sanction=row["sanction"], sanction_family=row["sanction_family"],
                      sanction_level=row["sanction_level"], count=row["count"])
        for row in Decision.objects.filter(recommendation__in=items.values("pk")).order_by().values(
            *(f"recommendation__{name}" for name in KEY_FIELDS), "outcome", "sanction", "sanction_family",
            "sanction_level").annotate(count=Count("pk"))]
    days = []
    for measure, rows, start, end in (
            (Measure.REGISTRATION_TO_RECOMMENDATION, items, F("case__registered_on"), F("issued_on")),
            (Measure.RECOMMENDATION_TO_SANCTION, items.filter(_sanctioned()), F("issued_on"),
             F("decision__letter_date"))):
        days += [DaysTally(measure=measure, stage=row["stage"], addressee_id=row["addressee_id"],
                           election_id=row["case__election_id"], office_id=row["case__office_id"],
                           days=row["days"], count=row["count"])
                 for row in rows.annotate(days=DaysBetween(start, end)).values(*KEY_FIELDS, "days")
                 .annotate(count=Count("pk")).order_by() if row["days"] is not None]
    if cases_scope is not None:
        days += _case_days(cases_scope)
    return tallies, sanctions, days


def _case_days(cases_scope: Q) -> list:
    """The per-case measure (report to registration) of the cases in ``cases_scope``: one query a stage."""
    from followup.dashboard import DaysBetween, case_start

    days = []
    for stage in Recommendation.Stage.values:
        has_stage = Exists(Recommendation.objects.filter(case=OuterRef("pk"), stage=stage))
        cases = Case.objects.filter(cases_scope, has_stage).order_by()
        days += [DaysTally(measure=Measure.REPORT_TO_REGISTRATION, stage=stage, addressee=None,
                           election_id=row["election_id"], office_id=row["office_id"], days=row["days"],
                           count=row["count"])
                 for row in cases.annotate(days=DaysBetween(case_start(), F("registered_on")))
                 .values("election_id", "office_id", "days").annotate(count=Count("pk")).order_by()
                 if row["days"] is not None]
    return days


def stored_days_refresh(recommendations) -> int:
    """Store the two day counts of followup.dashboard.recommendation_days on ``recommendations``
    where they are missing or differ from their cases: one UPDATE. Answers the rows written."""
    from followup.dashboard import recommendation_days

    report_days, registration_days = recommendation_days(stored=False)
    stale = recommendations.order_by().alias(report=report_days, registration=registration_days).filter(
        Q(days_report_to_registration__isnull=True) | Q(days_registration_to_recommendation__isnull=True)
        | ~Q(days_report_to_registration=F("report")) | ~Q(days_registration_to_recommendation=F("registration")))
    return Recommendation.objects.filter(pk__in=stale.values("pk")).update(
        days_report_to_registration=report_days, days_registration_to_recommendation=registration_days)


@transaction.atomic
def tallies_rebuild(*, stored_days: bool = True) -> dict:
    """Every tally recomputed from the recommendations (idempotent), and their stored day counts
    (``stored_days``; migration 0004 runs before those fields exist). Returns the row counts."""
    if connection.vendor == "postgresql":
        # Writers wait (tallies_refresh locks a ComplianceTally row), readers do not.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ComplianceTally._meta.db_table} IN EXCLUSIVE MODE")
    stored = stored_days_refresh(Recommendation.objects.all()) if stored_days else 0
    tallies, sanctions, days = _compute(Recommendation.objects.all(), Q())
    for model in (ComplianceTally, SanctionTally, DaysTally):
        model.objects.all().delete()
    ComplianceTally.objects.bulk_create(tallies, batch_size=1000)
    SanctionTally.objects.bulk_create(sanctions, batch_size=1000)
    DaysTally.objects.bulk_create(days, batch_size=1000)
    counts = {"compliance": len(tallies), "sanctions": len(sanctions), "days": len(days), "stored_days": stored}
    audit_record(actor=None, action="followup.tallies_rebuilt", target="followup:tallies", data=counts)
    return counts


@task()
def tallies_rebuild_task() -> None:
    tallies_rebuild()


def key_of(recommendation: Recommendation) -> Key:
    case = recommendation.case
    return (recommendation.stage, recommendation.addressee_id, case.election_id, case.office_id)


def tallies_refresh(*, recommendations: Iterable[Recommendation], cases: bool = False) -> None:
    """Recompute the keys of ``recommendations`` (and with ``cases`` their per-case measure).

    Called by the follow-up services inside their transaction, after the change.
    """
    recommendations = list(recommendations)
    stored_days_refresh(Recommendation.objects.filter(pk__in=[item.pk for item in recommendations]))
    keys = {key_of(recommendation) for recommendation in recommendations}
    tallies_refresh_keys(keys=keys, case_keys={(election_id, office_id) for _s, _a, election_id, office_id in keys}
                         if cases else ())


def tallies_refresh_keys(*, keys: Iterable[Key], case_keys: Iterable[tuple[str, int]] = ()) -> None:
    """Recompute the rows of ``keys`` and the per-case measure of ``case_keys`` (election id, office id).

    A fixed number of queries per key and per case key, whatever the number of recommendations.
    Locks, always in one order so that two writers cannot deadlock: each key's ComplianceTally
    row (keys sorted), then on PostgreSQL a transaction-level advisory lock per case key (sorted):
    the per-case rows of an election and office are shared by every addressee's key, so the key
    locks alone would let two writers delete and insert them at once (counted twice).
    """
    keys, case_keys = sorted(set(keys)), sorted(set(case_keys))
    if not (keys or case_keys):
        return
    with transaction.atomic():
        for stage, addressee_id, election_id, office_id in keys:
            lock, _created = ComplianceTally.objects.get_or_create(
                stage=stage, addressee_id=addressee_id, election_id=election_id, office_id=office_id)
            ComplianceTally.objects.select_for_update().filter(pk=lock.pk).exists()
            key_q = Q(stage=stage, addressee_id=addressee_id, election_id=election_id, office_id=office_id)
            tallies, sanctions, days = _compute(
                Recommendation.objects.filter(stage=stage, addressee_id=addressee_id, case__election_id=election_id,
                                              case__office_id=office_id),
                None)
            counts = tallies[0] if tallies else ComplianceTally()
            ComplianceTally.objects.filter(pk=lock.pk).update(
                received=counts.received, in_time=counts.in_time, late=counts.late, open=counts.open)
            SanctionTally.objects.filter(key_q).delete()
            SanctionTally.objects.bulk_create(sanctions)
            DaysTally.objects.filter(key_q).delete()
            DaysTally.objects.bulk_create(days)
        for election_id, office_id in case_keys:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                                   [f"followup.tallies.cases:{election_id}:{office_id}"])
            DaysTally.objects.filter(measure=Measure.REPORT_TO_REGISTRATION, addressee__isnull=True,
                                     election_id=election_id, office_id=office_id).delete()
            DaysTally.objects.bulk_create(_case_days(Q(election_id=election_id, office_id=office_id)))


def _keys_of_cases(case_ids: frozenset[int]) -> set[Key]:
    """The keys of the recommendations of these cases: one query (distinct keys, not rows)."""
    return set(Recommendation.objects.filter(case_id__in=case_ids).order_by()
               .values_list("stage", "addressee_id", "case__election_id", "case__office_id").distinct())


def tallies_case_change(case_ids: frozenset[int]):
    """The hook of cases.hooks (registered in followup.apps): a change outside the follow-up
    services of what the tallies count about these cases (their reports, election, office, kind,
    known and registration days). Before the change it reads the keys of the cases'
    recommendations (one query); after it, in the same transaction, it recomputes those keys and
    the keys they have now, and the per-case measure of their elections and offices. Cases without
    recommendations (every case still open, the only ones a merge touches) cost those two queries.
    """
    if not case_ids:
        return None
    before = _keys_of_cases(case_ids)

    def after() -> None:
        keys = before | _keys_of_cases(case_ids)
        if keys:  # the cases have recommendations: their stored day counts follow the cases
            stored_days_refresh(Recommendation.objects.filter(case_id__in=case_ids))
        tallies_refresh_keys(keys=keys, case_keys={(election_id, office_id)
                                                   for _s, _a, election_id, office_id in keys})

    return after


# --- reading -------------------------------------------------------------------------------------

def median_of_counts(pairs: Iterable[tuple[int, int]]) -> tuple[float | None, int]:
    """The median of a histogram of (value, count) and the number of values (compliance.median's definition)."""
    ordered = sorted((value, count) for value, count in pairs if count)
    total = sum(count for _value, count in ordered)
    if not total:
        return None, 0

    def nth(index: int) -> int:  # the index-th value (0-based) of the expanded, sorted list
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        raise IndexError(index)

    middle = total // 2
    if total % 2:
        return float(nth(middle)), total
    return (nth(middle - 1) + nth(middle)) / 2, total


@dataclass
class Tallied:
    """The dashboard's figures read from the tallies (followup.dashboard builds its rows from them)."""

    agencies: list[dict]  # addressee id, name, region code and name, and the figures
    sanctions: list[dict]  # outcome, sanction, family, level, count
    medians: dict  # measure -> (median, count); a measure missing here is computed live
    pending_live: bool = True


def _scope(user) -> tuple[Q, bool] | None:
    """The tally rows the user may count and whether the scope restricts addressees; None: not servable."""
    from accounts.models import User
    from accounts.permissions import PEMDA_ROLES
    from followup.dashboard import is_national
    from organizations.selectors import office_ids_under

    if is_national(user):
        return Q(), False
    if user.role in PEMDA_ROLES and user.agency_id:
        return Q(addressee_id=user.agency_id, stage=Recommendation.Stage.PPK), True
    if user.is_bawaslu and user.jurisdiction is not None:
        return Q(office_id__in=office_ids_under(user.jurisdiction)), False
    if user.role == User.Role.ADMIN:
        return Q(), False
    return None


def tally_q(user, flt) -> tuple[Q, Q, bool] | None:
    """The tally rows counted for ``user`` under ``flt``, or None when ``flt`` needs the live rows.

    Answers (the rows' filter, the user's scope alone, whether that scope restricts addressees).
    """
    from followup.dashboard import dashboard_q

    dashboard_q(user)  # PermissionDenied for an account without a scope, as on the live path
    if flt.issued_from or flt.issued_until:
        return None
    scope = _scope(user)
    if scope is None:
        return None
    scope_q, addressee_scope = scope
    q = scope_q & Q(stage=flt.stage)
    if flt.region is not None:
        q &= flt.region.subtree_q("addressee__region")
    if flt.agency is not None:
        q &= Q(addressee=flt.agency)
    if flt.election is not None:
        q &= Q(election=flt.election)
    return q, scope_q, addressee_scope


def tallied_figures(user, flt, *, today: date) -> Tallied | None:
    """The figures of ``dashboard_for`` from the tallies, or None when ``flt`` needs the live rows.

    Six queries (five when the per-case median is served here too), whatever the data.
    """
    from followup.dashboard import dashboard_recommendations

    tallied = tally_q(user, flt)
    if tallied is None:
        return None
    q, scope_q, addressee_scope = tallied
    rows = list(ComplianceTally.objects.filter(q, received__gt=0).order_by()
                .values("addressee_id", "addressee__name", "addressee__region__code", "addressee__region__name")
                .annotate(received=Sum("received"), in_time=Sum("in_time"), late=Sum("late"), open=Sum("open"))
                .order_by("addressee__name", "addressee_id"))
    # The open recommendations not yet due: live, few, through the index (stage, is_open, due_on).
    pending = dict(dashboard_recommendations(user, flt).filter(is_open=True, due_on__gte=today).order_by()
                   .values("addressee_id").annotate(n=Count("pk")).values_list("addressee_id", "n"))
    agencies = []
    for row in rows:
        waiting = pending.get(row["addressee_id"], 0)
        agencies.append({**row, compliance.PENDING: waiting, compliance.IGNORED: row["open"] - waiting})
    sanctions = list(SanctionTally.objects.filter(q).order_by()
                     .values("outcome", "sanction", "sanction_family", "sanction_level")
                     .annotate(count=Sum("count")).filter(count__gt=0))
    medians = {}
    per_measure: dict[str, list[tuple[int, int]]] = {}
    measures = [Measure.REGISTRATION_TO_RECOMMENDATION, Measure.RECOMMENDATION_TO_SANCTION]
    for measure, days, count in (DaysTally.objects.filter(q, measure__in=measures).order_by()
                                 .values("measure", "days").annotate(count=Sum("count"))
                                 .values_list("measure", "days", "count")):
        per_measure.setdefault(measure, []).append((days, count))
    if not (addressee_scope or flt.region is not None or flt.agency is not None):
        case_q = scope_q & Q(stage=flt.stage, measure=Measure.REPORT_TO_REGISTRATION, addressee__isnull=True)
        if flt.election is not None:
            case_q &= Q(election=flt.election)
        measures.append(Measure.REPORT_TO_REGISTRATION)
        for days, count in (DaysTally.objects.filter(case_q).order_by().values("days")
                            .annotate(count=Sum("count")).values_list("days", "count")):
            per_measure.setdefault(Measure.REPORT_TO_REGISTRATION, []).append((days, count))
    for measure in measures:
        medians[measure] = median_of_counts(per_measure.get(measure, []))
    return Tallied(agencies=agencies, sanctions=sanctions, medians=medians)
