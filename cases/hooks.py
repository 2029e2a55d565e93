"""Callbacks run in the transaction of a change to cases, for apps above cases.

DESIGN.md: a lower app never imports a higher one. Some apps above cases keep figures
derived from what cases hold (followup.tallies: the compliance dashboard counts per case
election and office, from the day a case was registered and the day its first report came
in). When a service here changes one of those (a merge moves reports from one case to
another; a change of a case's election, office, kind or dates would too), the app above
must recompute its figures *in the same transaction*:

- not ``transaction.on_commit``: the change would be visible with stale figures between the
  commit and the callback, a callback that failed after the commit could not undo the
  change, and a crash in between would leave them stale until the nightly rebuild;
- not a plain "after" callback either: a figure keyed by a case's election or office must
  be recomputed under the *old* key as well as the new one, and only the code that runs
  before the change can see the old key. So a hook is called twice: before the change
  with the ids of the cases about to change (it reads what it needs and returns a callable),
  then that callable after the change, inside the same transaction. Either one raising
  rolls the change back.

A registry rather than a ``django.dispatch.Signal`` (cases.signals): the two-phase
contract (a callable returned and called later) does not fit a signal's fire-and-forget
receivers, and the registry keeps each hook once however often ``ready()`` runs.

An app registers ``hook(case_ids: frozenset[int]) -> Callable[[], None] | None`` with
``case_change_register`` in its AppConfig.ready(); the services of cases wrap each such
change in ``with cases_changing(case_ids=...):``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction

CaseChangeHook = Callable[[frozenset[int]], Callable[[], None] | None]

CASE_CHANGE_HOOKS: list[CaseChangeHook] = []


def case_change_register(hook: CaseChangeHook) -> None:
    """Register ``hook`` (once: a second registration of the same callable is ignored)."""
    if hook not in CASE_CHANGE_HOOKS:
        CASE_CHANGE_HOOKS.append(hook)


@contextmanager
def cases_changing(*, case_ids: Iterable[int]) -> Iterator[None]:
    """Wrap a change of what the apps above count about these cases (their reports, election,
    office, kind, known and registration days). Must run inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("cases_changing must run inside the transaction of the change")
    ids = frozenset(case_ids)
    after = [hook(ids) for hook in list(CASE_CHANGE_HOOKS)]
    yield
    for callback in after:
        if callback is not None:
            callback()
