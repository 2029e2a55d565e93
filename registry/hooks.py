"""Callbacks run in the transaction of a register import's commit, for apps above registry.

DESIGN.md: a lower app never imports a higher one. Some apps above registry keep values derived
from register entries (cases.person_key: a reported person typed by staff is resolved to the
register entry of the same name whose agency or unit is the typed one). When an import changes
entries, the app above must recompute those values *in the commit's transaction*, as
cases.hooks does for the apps above cases: not ``transaction.on_commit`` (stale values would be
visible between the commit and the callback, a callback failing after the commit could not undo
the import, a crash in between would leave them stale until the nightly refresh). A hook raising
rolls the whole import back (the job fails, nothing is applied).

An app registers ``hook(employee_ids)`` with ``entry_change_register`` in its AppConfig.ready(),
naming the compared fields it reads (``fields``: keys of ImportRow.changes, registry.importing's
CHANGE_LABELS); ``None`` for every change. The commit (registry.services.commit) calls
``entries_changed`` after it applied the changed rows; each hook receives the ids of the entries
whose staged row changes one of its fields, as a queryset of ``employee_id`` over the job's
staged rows: a subquery, never a Python list, whatever the number of rows (100,000 ids would
exceed SQLite's limit of bound variables). A hook is called even when no row of its fields
changed (an empty subquery): checking first would cost the same query.

Entries also change outside an import: an entry moved to another unit or agency by hand (the
admin), a unit or an agency renamed. registry.signals sees those saves and calls ``entries_edited``
with the entries concerned (the one edited, or every entry of the renamed unit or agency) and the
fields that changed: ``unit`` and ``agency``, the latter never changed by an import (a row of
another agency's entry is refused) but a name the hooks may read all the same.

A registry rather than a ``django.dispatch.Signal``: it keeps each hook once however often
``ready()`` runs, with the fields it asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet

from registry.importing import CHANGE_LABELS

EntryChangeCallable = Callable[[QuerySet], object]
# What a hook may ask for: the fields an import compares, and the agency (renamed, or an entry moved by hand).
FIELDS = frozenset(CHANGE_LABELS) | {"agency"}


class EntryChangeHook(NamedTuple):
    hook: EntryChangeCallable
    fields: frozenset[str] | None  # the keys of ImportRow.changes it reads; None: every change


ENTRY_CHANGE_HOOKS: list[EntryChangeHook] = []


def entry_change_register(hook: EntryChangeCallable, *, fields: Iterable[str] | None = None) -> None:
    """Register ``hook`` for changes of these fields (once: a second registration of the same callable
    is ignored). An unknown field is refused: a hook that would never see a change must not pass unnoticed."""
    if fields is not None:
        fields = frozenset(fields)
        unknown = fields - FIELDS
        if unknown or not fields:
            raise ValueError("a register change hook's fields must be among those an import compares "
                             f"(registry.importing.CHANGE_LABELS) or the agency, not {sorted(fields)}")
    if all(registered.hook is not hook for registered in ENTRY_CHANGE_HOOKS):
        ENTRY_CHANGE_HOOKS.append(EntryChangeHook(hook, fields))


def entries_changed(*, rows: QuerySet) -> None:
    """Call the hooks with the entries of these staged rows (ImportRow, status CHANGED, their
    ``changes`` applied to the register). Must run inside the commit's transaction."""
    _require_transaction("entries_changed")
    for registered in list(ENTRY_CHANGE_HOOKS):
        changed = rows if registered.fields is None else rows.filter(
            changes__has_any_keys=sorted(registered.fields))
        registered.hook(changed.order_by().values_list("employee_id", flat=True))


def entries_edited(*, employee_ids: QuerySet, fields: Iterable[str]) -> None:
    """Call the hooks of any of these fields with these entries (a queryset of their ids), edited
    outside an import (registry.signals). Must run inside the transaction of the edit."""
    _require_transaction("entries_edited")
    fields = frozenset(fields)
    for registered in list(ENTRY_CHANGE_HOOKS):
        if registered.fields is None or registered.fields & fields:
            registered.hook(employee_ids)


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside the transaction of the change")
