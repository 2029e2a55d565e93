"""The refresh guard of figures computed ahead and served stale-while-revalidate (issue 20).

followup/public_figures.py (the public statistics) and prevention/coverage.py (the pledges' coverage of
a province or the country) each keep one state row with ``computed_at`` and ``refresh_requested_at``.
A page that reads stale figures claims the refresh with one conditional UPDATE of that row and, if it
won the claim, queues the task; a claim older than the timeout (a lost task) may be made again. With a
claim standing, pages read without any write statement.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet


def refresh_claimed(state, *, now: datetime, claim_timeout: timedelta) -> bool:
    """Whether a refresh of ``state``'s figures is claimed and not yet taken as lost."""
    return state.refresh_requested_at is not None and state.refresh_requested_at >= now - claim_timeout


def refresh_claim(state_row: QuerySet, *, stale: Q, now: datetime, claim_timeout: timedelta, task) -> bool:
    """Claim the refresh of stale figures and queue ``task``, unless one is claimed already; whether this
    call did. ``state_row``: the queryset of the one state row; ``stale``: the condition, on that row as
    committed, under which its figures are stale (a page that read them just before a rebuild committed
    queues nothing)."""
    unclaimed = Q(refresh_requested_at__isnull=True) | Q(refresh_requested_at__lt=now - claim_timeout)
    claimed = state_row.filter(stale, unclaimed).update(refresh_requested_at=now)
    if claimed:
        task.enqueue()
    return bool(claimed)
