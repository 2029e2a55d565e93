"""The stored keys of a reported person: CasePerson.name_key and CasePerson.person_key (issue 20).

``name_key`` (pure): the plain name (titles dropped: registry.names.plain_name) with case, spacing
and punctuation folded, "Dr. H. Rudi  Hartono, S.E." -> "rudi hartono". Indexed, so that the persons
of one name are found by "=" instead of reading every reported person of the jurisdiction.

``person_key``: who the person is, for the repeat offenders (followup.repeat), so that the database
groups the persons of a jurisdiction by one indexed column (GROUP BY person_key HAVING two elections)
instead of Python grouping them all transitively (1.5-1.9 s at 200,000 cases):

- a person linked to a register entry: ``e:<entry id>``. An NIP belongs to one entry (unique), so
  the same NIP is the same key; contract staff without NIP are one person per entry. Two entries
  are two persons, even with the same name and agency (namesakes; the earlier union-find joined
  them through the name and agency);
- a person typed by staff, with a name and a unit or agency: the key of the first reported person
  (lowest id) linked to a register entry whose name key is the same and whose register agency,
  register unit or typed unit folds to the typed one: the typed person is that entry's person
  ("through the register"). Failing that, ``n:<name key>|<folded unit>``: typed persons of the same
  name and unit are one person;
- nobody else (no entry, and no name or no unit): "" and never grouped (a name alone is too weak).

A typed person's key depends on the other rows of the same name, so it is resolved on save (and in
bulk_create) and re-resolved for the name whenever a person linked to an entry is saved
(``rekey_names``): the order in which cases arrive does not change the keys. A register import
that moves entries to another unit re-resolves them too: registry must not import cases, so
cases.apps registers ``rekey_entries`` as a hook of registry.hooks, which the import's commit calls
in its transaction with the entries whose unit it changed (``ENTRY_FIELDS``); the same hook runs
for an entry moved by hand (the admin) and for a unit or agency renamed (registry.signals). What
can still make a key stale is a write past the models (a queryset's update(), raw SQL).
``refresh_person_keys`` recomputes every key (idempotent, batched; ``manage.py
refresh_person_keys``, nightly); ``rekey_entries`` those that some register entries can change,
``rekey_names`` those of some names. Each of them keeps the repeat offenders' stored figures of
the keys it changes (before and after: cases.person_elections) in the transaction of the change.

The functions take the model class, so that migrations can pass their historical model.
"""

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import QuerySet

from registry.names import plain_name

MAX_LENGTH = 150  # CasePerson.name's length: folding never lengthens a name
PLACE_LENGTH = 200  # CasePerson.unit's length
KEY_LENGTH = 2 + MAX_LENGTH + 1 + PLACE_LENGTH  # "n:" name "|" place


def fold(text: str | None) -> str:
    """Case, spacing and punctuation folded: "Dinas  Kesehatan." -> "dinas kesehatan"."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in (text or "").casefold()).split())


def name_key(name: str | None) -> str:
    """The folded plain name; "" for a name that is only titles or punctuation."""
    return fold(plain_name(name or ""))[:MAX_LENGTH]


# --- person keys: pure -------------------------------------------------------------------------


def entry_key(employee_id: int) -> str:
    """The key of a person linked to a register entry."""
    return f"e:{employee_id}"


def typed_key(folded_name: str, place: str | None) -> str:
    """The key of a typed person of this name key and unit or agency; "" without either."""
    folded_place = fold(place)[:PLACE_LENGTH]
    return f"n:{folded_name}|{folded_place}" if folded_name and folded_place else ""


def link_keys(folded_name: str, places) -> set[str]:
    """The typed keys that a person linked to an entry takes over: its name with each of its places."""
    return {key for key in (typed_key(folded_name, place) for place in places) if key}


def person_key(*, employee_id: int | None, folded_name: str, unit: str, links: dict[str, str]) -> str:
    """The key of one person (see the module's docstring); ``links`` maps typed keys to entry keys."""
    if employee_id:
        return entry_key(employee_id)
    key = typed_key(folded_name, unit)
    return links.get(key, key) if key else ""


# --- person keys: resolved over the stored rows ------------------------------------------------

_LINK_VALUES = ("pk", "name_key", "employee_id", "unit", "employee__agency__name", "employee__unit__name")
# The register fields that the keys read (_LINK_VALUES), as registry.hooks names them: the entry's
# unit (moved by an import or by hand, or the unit renamed) and its agency (moved by hand or renamed:
# an import never changes it, a row of another agency's entry is refused). A linked person's name is
# the one its case stored (CasePerson.name), not the register's.
ENTRY_FIELDS = ("unit", "agency")
NAME_BATCH = 2000  # names re-resolved at once by rekey_entries (SQLite's limit of bound variables)


def links_for(model, names) -> dict[str, str]:
    """Typed key -> entry key, from the persons linked to an entry whose name key is among ``names``,
    the first reported (lowest id) first. One query (an index lookup on name_key)."""
    names = sorted({name for name in names if name})
    links: dict[str, str] = {}
    if not names:
        return links
    rows = (model._base_manager.filter(name_key__in=names, employee__isnull=False)
            .order_by("pk").values_list(*_LINK_VALUES))
    for _pk, folded_name, employee_id, unit, agency, entry_unit in rows:
        for key in link_keys(folded_name, (agency, entry_unit, unit)):
            links.setdefault(key, entry_key(employee_id))
    return links


def set_person_keys(model, persons) -> None:
    """Set ``person_key`` on unsaved or changed rows (save() and bulk_create), one query at most."""
    typed = [p for p in persons if not p.employee_id]
    links = links_for(model, (p.name_key for p in typed))
    for person in persons:
        person.person_key = person_key(employee_id=person.employee_id, folded_name=person.name_key,
                                       unit=person.unit, links=links)


def _write(model, changed: dict[int, str], *, field: str = "person_key") -> int:
    """Store new values of ``field`` (pk -> value): an UPDATE per value when few values change
    (a name re-resolved), else bulk_update in chunks of 500 rows (a backfill: mostly distinct keys)."""
    by_value: dict[str, list[int]] = {}
    for pk, value in changed.items():
        by_value.setdefault(value, []).append(pk)
    if len(by_value) <= 3:
        for value, pks in by_value.items():
            for start in range(0, len(pks), 500):
                model._base_manager.filter(pk__in=pks[start:start + 500]).update(**{field: value})
    else:
        model._base_manager.bulk_update([model(pk=pk, **{field: value}) for pk, value in changed.items()],
                                        [field], batch_size=500)
    return len(changed)


def _keep_figures(model, keys) -> None:
    """The repeat offenders' stored figures of these keys (cases.person_elections), in the caller's
    transaction. Not for a migration's historical model: the migration that made the figures' table
    rebuilt it whole, and a later one that changes keys must rebuild it too."""
    if model._meta.apps is not global_apps:
        return
    from cases.person_elections import person_elections_refresh

    person_elections_refresh(keys)


def rekey_names(model, names) -> int:
    """Re-resolve the typed persons of these name keys (after a person linked to an entry of such a
    name was saved, or a register import touched entries of these names); returns how many changed.
    Two queries, and an UPDATE per distinct new key."""
    names = {name for name in names if name}
    if not names:
        return 0
    links = links_for(model, names)
    rows = model._base_manager.filter(name_key__in=sorted(names), employee__isnull=True).values_list(
        "pk", "name_key", "unit", "person_key")
    changed, touched = {}, set()
    for pk, folded_name, unit, stored in rows:
        key = person_key(employee_id=None, folded_name=folded_name, unit=unit, links=links)
        if key != stored:
            changed[pk] = key
            touched |= {stored, key}
    with transaction.atomic(savepoint=False):
        count = _write(model, changed)
        _keep_figures(model, touched)
    return count


def rekey_entries(model, employee_ids) -> int:
    """The hook after a register import changed these entries (unit, agency): re-resolve the typed
    persons of the names under which they were reported; returns how many changed. ``employee_ids``:
    a queryset of the entries' ids (registry.hooks: used as a subquery, whatever its size) or ids.
    One query for the names (one per 500 ids of a list), then those of ``rekey_names`` for each
    NAME_BATCH names."""
    manager = model._base_manager
    if isinstance(employee_ids, QuerySet):
        names = set(manager.filter(employee_id__in=employee_ids).order_by().values_list("name_key", flat=True)
                    .distinct())
    else:
        ids, names = sorted(set(employee_ids)), set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            names.update(manager.filter(employee_id__in=chunk).values_list("name_key", flat=True))
    names = sorted(name for name in names if name)
    return sum(rekey_names(model, names[start:start + NAME_BATCH])
               for start in range(0, len(names), NAME_BATCH))


def _batches(manager, fields, batch):
    last = 0
    while True:
        rows = list(manager.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def refresh_person_keys(model, *, batch: int = 2000, progress=None) -> int:
    """Recompute every row's name_key, then every row's person_key, in batches of primary keys;
    returns how many rows changed. Idempotent: a second run changes nothing (two queries a batch
    for the names, two for the keys, and the UPDATEs of what changed with the refresh of the repeat
    offenders' figures of the keys they touched)."""
    manager = model._base_manager
    changed_total = 0
    for rows in _batches(manager, ("name", "name_key", "person_key"), batch):
        changed = {pk: key for pk, name, stored, _key in rows if (key := name_key(name)) != stored}
        with transaction.atomic():
            changed_total += _write(model, changed, field="name_key")
            # The first folded name of a key is the repeat offenders' order (cases.person_elections).
            _keep_figures(model, {key for pk, _name, _stored, key in rows if pk in changed})
    for rows in _batches(manager, ("name_key", "employee_id", "unit", "person_key"), batch):
        links = links_for(model, (folded for _pk, folded, employee_id, *_rest in rows if not employee_id))
        changed, touched = {}, set()
        for pk, folded_name, employee_id, unit, stored in rows:
            key = person_key(employee_id=employee_id, folded_name=folded_name, unit=unit, links=links)
            if key != stored:
                changed[pk] = key
                touched |= {stored, key}
        with transaction.atomic():
            changed_total += _write(model, changed)
            _keep_figures(model, touched)
        if progress:
            progress(rows[-1][0], changed_total)
    return changed_total
