"""The pledges' coverage of a province or the whole country, computed ahead (issue 20).

``selectors.coverage_queries`` counts, per unit and per agency, the active employees of the register
and how many hold a valid pledge for the election, by grouping every active employee of the account's
jurisdiction joined to its valid pledge (``employees_with_pledge``). For a regency office or a Pemda
account that is a few thousand rows (24,700 in a large regency: the page under 130 ms p95, read from
indexes); for a province office it is hundreds of thousands, for Bawaslu RI the whole register
(6,000,000 ASN: tens of seconds a request). Those two scopes read ``PledgeCoverage`` instead: one row
per election, agency and unit, computed by ``compute_coverage`` with the very annotation and figures of
``coverage_queries`` (``employees_with_pledge``, ``coverage_figures``), grouped by agency and unit over
the whole register, one grouped query per election the pages offer (``forms._elections``), so that the
stored and the live figures cannot disagree; and ``PledgeAgencyCoverage``, each agency's sums of its
rows. A page reads a page of each, of its jurisdiction's agencies, in the live queries' shape and order
(a range of an index: the country has tens of thousands of units, too many to sum or sort per request).

Kept current as ``followup.public_figures`` keeps the public statistics (stale-while-revalidate):

- a page reads the stored figures; when they are older than ``NETRAL_COVERAGE_MAX_AGE`` seconds it
  queues one refresh (``pledge_coverage_refresh_task``, django-tasks' database backend, run by
  ``manage.py db_worker``) and serves what is stored, saying as of when. The guard is a conditional
  UPDATE of the one ``PledgeCoverageState`` row: of many pages reading stale figures at once, one
  claims the refresh and queues it; a claim older than ``REFRESH_CLAIM_TIMEOUT`` (a lost task) may be
  made again;
- with no figures yet (a new installation) the page computes them inline and stores them;
- ``manage.py pledge_coverage`` rebuilds them nightly (docs/deploy.md) and after a bulk load.

Locks: a rebuild computes outside any transaction (reads), then in one short transaction writes what
changed (rows deleted, counts updated, rows added: from one minute to the next most units' counts stay)
and stamps the state row last. Readers take no lock (MVCC: the old rows until the commit). Two
rebuilds are serialized by a transaction-level advisory lock (PostgreSQL; SQLite serializes writers);
a rebuild that started before the one that committed last writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q
from django.utils import timezone
from django_tasks import task

from audit.services import audit_record
from netral.stored_figures import newer_rebuild, refresh_claim, refresh_claimed, store_changed
from prevention.models import PledgeAgencyCoverage, PledgeCoverage, PledgeCoverageState
from regions.models import Region
from registry.models import Employee

STATE_ID = 1
LOCK_NAME = "prevention.pledge_coverage"
REFRESH_CLAIM_TIMEOUT = timedelta(minutes=10)  # a queued refresh not done by then is taken as lost
FIGURES = ("active", "signed", "contract_active", "contract_signed")
COUNTS = tuple(f"{name}_count" for name in FIGURES)  # the stored rows' fields


@dataclass
class Computed:
    """The figures to store: per (election id, agency id, unit id or None) the names of the agency and the
    unit and the four counts; per (election id, agency id) the agency's name and its sums."""

    units: dict[tuple, tuple] = field(default_factory=dict)
    agencies: dict[tuple, tuple] = field(default_factory=dict)


# Of ``employees_with_pledge``: those who hold a valid pledge for the election. Tested on the pledge's
# employee rather than its id: the index of pledge_once_per_election holds it, so that PostgreSQL looks
# the pledges up in the index alone.
SIGNED = Q(valid_pledge__employee__isnull=False)


def employees_with_pledge(employees, *, election):
    """``employees`` joined to their valid pledge for ``election``, if any (``valid_pledge``; ``SIGNED`` filters
    those who hold one).

    A LEFT JOIN, not an EXISTS per employee: PostgreSQL planned the EXISTS as a hashed sub-plan, that is
    it read every valid pledge of the election in the country to count a regency's few thousand ASN (270 ms
    per query at 240,000 pledges, growing with the country); the join looks each employee's pledge up in
    the index of the constraint ``pledge_once_per_election`` (18 ms), and for the whole register hashes
    the pledges once. That constraint is also why counting the joined rows counts employees: an ASN holds
    at most one valid pledge per election."""
    return employees.annotate(valid_pledge=FilteredRelation(
        "pledges", condition=Q(pledges__election=election, pledges__revoked_at__isnull=True)))


def coverage_figures() -> dict:
    """The four counts of a group of ``employees_with_pledge``: everyone, and the contract staff apart."""
    contract = Q(kind=Employee.Kind.CONTRACT)
    return {"active": Count("pk"), "signed": Count("pk", filter=SIGNED),
            "contract_active": Count("pk", filter=contract),
            "contract_signed": Count("pk", filter=contract & SIGNED)}


def is_stored_scope(user) -> bool:
    """Whether the account's coverage is read from the stored figures: Bawaslu RI and a province office
    (a nationwide account without a place, too). A regency office and a Pemda account (its own agency)
    count live: small scopes, where a pledge signed at a ceremony is looked for at once."""
    if user.agency_id and not user.bawaslu_office_id:
        return False
    region = user.jurisdiction
    return region is None or region.level <= Region.Level.PROVINCE


def max_age_seconds() -> float:
    return float(getattr(settings, "NETRAL_COVERAGE_MAX_AGE", 300))


def _elections():
    from prevention.forms import _elections  # the elections the staff page offers

    return _elections()


def compute_coverage() -> Computed:
    """The coverage of every unit of every agency, for each election the page offers (a grouped query each),
    and each agency's sums of its units' rows (what the live query's grouping by agency counts)."""
    computed = Computed()
    employees = Employee.objects.filter(active=True)
    for election_id in _elections().values_list("pk", flat=True):
        # Grouped by agency and unit; their names are one per group, taken along for the page's order.
        grouped = (employees_with_pledge(employees, election=election_id).order_by()
                   .values("agency_id", "unit_id", "agency__name", "unit__name").annotate(**coverage_figures())
                   .values_list("agency_id", "unit_id", "agency__name", "unit__name", *FIGURES))
        for agency_id, unit_id, agency_name, unit_name, *figures in grouped:
            computed.units[(election_id, agency_id, unit_id)] = (agency_name, unit_name, *figures)
            name, *sums = computed.agencies.get((election_id, agency_id), (agency_name, 0, 0, 0, 0))
            computed.agencies[(election_id, agency_id)] = (name, *(a + b for a, b in zip(sums, figures, strict=True)))
    return computed


def pledge_coverage_rebuild(*, audit: bool = False) -> tuple[PledgeCoverageState, int]:
    """Every stored coverage row recomputed from the register and the pledges; (state, unit rows stored).

    ``audit``: an audit entry (the nightly job and the command); the refreshes the pages queue are not
    audited (a cache of counts, as often as once a minute, changes no record).
    """
    started = timezone.now()
    computed = compute_coverage()
    with transaction.atomic():
        newer = newer_rebuild(PledgeCoverageState, pk=STATE_ID, lock_name=LOCK_NAME, started=started)
        if newer is not None:
            return newer, len(computed.units)  # a rebuild that started later has committed: its figures stay
        written = _store(computed)
        # The state last: a page's guard UPDATE waits for this statement only, never for the rebuild.
        state, _created = PledgeCoverageState.objects.update_or_create(
            pk=STATE_ID, defaults={"computed_at": started, "refresh_requested_at": None})
        if audit:
            audit_record(actor=None, action="pledge.coverage_rebuilt", target="prevention:pledge_coverage",
                         data={"rows": len(computed.units), "agencies": len(computed.agencies), "written": written})
    return state, len(computed.units)


def _store(computed: Computed) -> int:
    """The stored rows made equal to ``computed``, writing only what changed (netral.stored_figures); how
    many rows were deleted, replaced or added."""
    return (store_changed(PledgeCoverage, keys=("election_id", "agency_id", "unit_id"),
                          fields=("agency_name", "unit_name", *COUNTS), wanted=computed.units)
            + store_changed(PledgeAgencyCoverage, keys=("election_id", "agency_id"), fields=("agency_name", *COUNTS),
                            wanted=computed.agencies))


@task()
def pledge_coverage_refresh_task() -> None:
    pledge_coverage_rebuild()


def pledge_coverage_refresh_request(*, now: datetime | None = None) -> bool:
    """Queue one refresh of stale figures unless one is queued already; whether this call queued it.

    One conditional UPDATE claims it (of the pages that read stale figures at once, one updates the
    row), re-checked against the row as committed: a page that read the figures just before a rebuild
    committed queues nothing.
    """
    now = now or timezone.now()
    return refresh_claim(PledgeCoverageState.objects.filter(pk=STATE_ID),
                         stale=Q(computed_at__lt=now - timedelta(seconds=max_age_seconds())), now=now,
                         claim_timeout=REFRESH_CLAIM_TIMEOUT, task=pledge_coverage_refresh_task)


def pledge_coverage_as_of() -> datetime:
    """When the stored figures were computed, for a page about to read them: one query; a refresh queued
    when they are stale; computed inline (and stored) when there are none yet."""
    state = PledgeCoverageState.objects.filter(pk=STATE_ID).first()
    if state is None or state.computed_at is None:
        state, _rows = pledge_coverage_rebuild()
        return state.computed_at
    now = timezone.now()
    claimed = refresh_claimed(state, now=now, claim_timeout=REFRESH_CLAIM_TIMEOUT)
    if not claimed and now - state.computed_at > timedelta(seconds=max_age_seconds()):
        # Only while no refresh is claimed: with one queued, a page reads without a write statement.
        pledge_coverage_refresh_request(now=now)
    return state.computed_at


def stored_coverage_queries(region: Region | None, *, election):
    """(per unit, per agency) of the stored figures of ``region``'s agencies (None: the country), in the
    rows' shape and order of ``selectors.coverage_queries``' live ones: a page of each is a range of an
    index (the names the rows are ordered by are those of the last rebuild; the names shown, today's).

    One row per agency and unit: the live query groups the units by the agency's name, so two agencies
    of the same name would share a row there (their employees without a unit) and keep theirs here.
    """
    units = PledgeCoverage.objects.filter(election=election)
    agencies = PledgeAgencyCoverage.objects.filter(election=election)
    if region is not None:
        units = units.filter(region.subtree_q("agency__region"))
        agencies = agencies.filter(region.subtree_q("agency__region"))
    figures = {name: F(f"{name}_count") for name in FIGURES}
    by_unit = (units.values("unit_id", "unit__name", "agency_id", "agency__name", **figures)
               .order_by("agency_name", "unit_name", "unit_id"))
    by_agency = agencies.values("agency_id", "agency__name", **figures).order_by("agency_name", "agency_id")
    return by_unit, by_agency
