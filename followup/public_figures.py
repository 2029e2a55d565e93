"""The public statistics' figures, computed ahead: the most requested pages of election day read them.

``/statistik/``, a province's page, their CSV/JSON and ``/api/v1/statistics`` count every report,
case and recommendation of the country. Counting them live at each request (grouped scans of
200,000 cases and 50,000 recommendations) costs hundreds of milliseconds a page; here the counts
are kept in ``PublicFigure``, one row per election, regency/city (the first five characters of
the region code), measure and detail, computed by ``followup.public.compute_figures``: the same
grouped queries, grouped by election as well, so that the stored and the live figures cannot
disagree. A province's figures and the country's are sums of those rows (exact); the small-count
rule (``followup.public.area_count``) is applied on read, as on the live figures.

Kept current by stale-while-revalidate:

- a page reads the stored figures; when they are older than ``NETRAL_PUBLIC_FIGURES_MAX_AGE``
  seconds, or were computed on another day, it queues one refresh (``public_figures_refresh_task``,
  django-tasks' database backend, run by ``manage.py db_worker``) and serves what is stored. The
  guard is a conditional UPDATE of the one ``PublicFiguresState`` row: of many pages reading stale
  figures at once, one claims the refresh and queues it; a claim older than ``REFRESH_CLAIM_TIMEOUT``
  (a lost task) may be made again;
- with no figures yet (a new installation) the page computes them inline and stores them;
- ``manage.py public_figures`` rebuilds them nightly (docs/deploy.md) and after a bulk load.

Which class an open recommendation is in (ignored once its deadline has passed, pending before)
depends on the day: a rebuild counts with its own day (``computed_on``); figures of another day are
stale, so the first page read after midnight queues a refresh.

Locks: a rebuild computes outside any transaction (reads), then in one short transaction writes
what changed (rows deleted, counts updated, rows added: most counts stay from one minute to the
next, and few dead rows are left for the vacuum) and stamps the state row last. Readers take no lock: under MVCC they
see the old rows until the commit (never TRUNCATE, whose lock would make them wait). Two rebuilds
are serialized by a transaction-level advisory lock (PostgreSQL; SQLite serializes writers); a
rebuild that started before the one that committed last writes nothing (older figures never
replace newer ones). A page's guard UPDATE may wait only for the rebuild's last statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django_tasks import task

from audit.services import audit_record
from followup.models import PublicFigure, PublicFiguresState
from followup.public import AREA_MEASURES, FigureRow, compute_figures
from netral.stored_figures import newer_rebuild, refresh_claim, refresh_claimed, store_changed

STATE_ID = 1
LOCK_NAME = "followup.public_figures"
REFRESH_CLAIM_TIMEOUT = timedelta(minutes=10)  # a queued refresh not done by then is taken as lost


@dataclass(frozen=True)
class Snapshot:
    """The stored figures as a page reads them: when computed, and the rows when just computed inline
    (None: read them from the table)."""

    computed_at: datetime
    computed_on: date
    rows: list[FigureRow] | None = None


def max_age_seconds() -> float:
    return float(getattr(settings, "NETRAL_PUBLIC_FIGURES_MAX_AGE", 60))


def is_stale(*, computed_at: datetime, computed_on: date, now: datetime, max_age: float) -> bool:
    """Figures older than ``max_age`` seconds, or counted on another day than today (local time)."""
    return now - computed_at > timedelta(seconds=max_age) or computed_on != timezone.localdate(now)


def public_figures_rebuild(*, audit: bool = False) -> tuple[PublicFiguresState, list[FigureRow]]:
    """Every public figure recomputed from the live rows and stored, replacing the stored ones.

    ``audit``: an audit entry (the nightly job and the command); the refreshes the pages queue are not
    audited (a cache of counts, as often as once a minute on election day, changes no record).
    """
    started = timezone.now()
    today = timezone.localdate(started)
    rows = compute_figures(today=today)
    with transaction.atomic():
        newer = newer_rebuild(PublicFiguresState, pk=STATE_ID, lock_name=LOCK_NAME, started=started)
        if newer is not None:
            return newer, rows  # a rebuild that started later has committed: its figures stay
        _store(rows)
        # The state last: a page's guard UPDATE waits for this statement only, never for the rebuild.
        state, _created = PublicFiguresState.objects.update_or_create(
            pk=STATE_ID, defaults={"computed_at": started, "computed_on": today, "refresh_requested_at": None})
        if audit:
            audit_record(actor=None, action="followup.public_figures_rebuilt", target="followup:public_figures",
                         data={"rows": len(rows), "computed_on": today.isoformat()})
    return state, rows


def _store(rows: list[FigureRow]) -> None:
    """The stored rows made equal to ``rows``, writing only what changed (netral.stored_figures)."""
    store_changed(PublicFigure, keys=("election_id", "area", "measure", "detail"), fields=("province", "count"),
                  wanted={(row.election_id, row.area, row.measure, row.detail): (row.area[:2], row.count)
                          for row in rows})


@task()
def public_figures_refresh_task() -> None:
    public_figures_rebuild()


def public_figures_refresh_request(*, now: datetime | None = None) -> bool:
    """Queue one refresh of stale figures unless one is queued already; whether this call queued it.

    One conditional UPDATE claims it: of the pages that read stale figures at once, one updates the
    row, the others find it claimed. Re-checked against the row as committed, so a page that read
    the figures just before a rebuild committed queues nothing.
    """
    now = now or timezone.now()
    stale = (Q(computed_at__lt=now - timedelta(seconds=max_age_seconds()))
             | ~Q(computed_on=timezone.localdate(now)))
    return refresh_claim(PublicFiguresState.objects.filter(pk=STATE_ID), stale=stale, now=now,
                         claim_timeout=REFRESH_CLAIM_TIMEOUT, task=public_figures_refresh_task)


def public_figures_snapshot() -> Snapshot:
    """The stored figures' state for a page: one query; a refresh queued when they are stale; computed
    inline (and stored) when there are none yet."""
    state = PublicFiguresState.objects.filter(pk=STATE_ID).first()
    if state is None or state.computed_at is None:
        state, rows = public_figures_rebuild()
        return Snapshot(computed_at=state.computed_at, computed_on=state.computed_on, rows=rows)
    now = timezone.now()
    claimed = refresh_claimed(state, now=now, claim_timeout=REFRESH_CLAIM_TIMEOUT)
    if not claimed and is_stale(computed_at=state.computed_at, computed_on=state.computed_on, now=now,
                                max_age=max_age_seconds()):
        # Only while no refresh is claimed: with one queued (a worker slow or stopped), the pages read
        # without a write statement, and their query count stays the same.
        public_figures_refresh_request(now=now)
    return Snapshot(computed_at=state.computed_at, computed_on=state.computed_on)


def national_rows(snapshot: Snapshot, *, election: str = "", regencies: bool = False) -> list[tuple]:
    """(area, measure, detail, count), summed per province (``regencies``: per regency/city) in one query."""
    if snapshot.rows is not None:
        return [(row.area, row.measure, row.detail, row.count) for row in snapshot.rows
                if not election or row.election_id == election]
    figures = PublicFigure.objects.all()
    if election:
        figures = figures.filter(election_id=election)
    area = "area" if regencies else "province"
    return list(figures.order_by().values(area, "measure", "detail").annotate(n=Sum("count"))
                .values_list(area, "measure", "detail", "n"))


def province_rows(snapshot: Snapshot, *, province: str, election: str = "") -> list[tuple]:
    """(area, measure, detail, count) of the areas of ``province`` (a code), in one query."""
    if snapshot.rows is not None:
        return [(row.area, row.measure, row.detail, row.count) for row in snapshot.rows
                if row.measure in AREA_MEASURES and row.area[:2] == province
                and (not election or row.election_id == election)]
    figures = PublicFigure.objects.filter(province=province, measure__in=AREA_MEASURES)
    if election:
        figures = figures.filter(election_id=election)
    return list(figures.order_by().values("area", "measure", "detail").annotate(n=Sum("count"))
                .values_list("area", "measure", "detail", "n"))
