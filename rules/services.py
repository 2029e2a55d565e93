"""Storing the law: the data files become the current RuleSet and its rows."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from audit.services import audit_record
from rules import catalog as catalog_module
from rules.catalog import Catalog
from rules.models import Election, RuleSet, Violation

MAX_AUDITED_CHANGES = 500


@dataclass(frozen=True)
class LoadSummary:
    """What one load changed; attached to the returned RuleSet as ``load_summary``."""

    version: str
    ruleset_created: bool
    created: int
    updated: int
    deactivated: int
    violations: int
    elections: int

    @property
    def changed(self) -> bool:
        return self.ruleset_created or bool(self.created or self.updated or self.deactivated)


def _violation_values(catalog: Catalog, ruleset: RuleSet) -> dict[str, dict]:
    return {
        entry.id: {
            "title_id": entry.title.id, "title_en": entry.title.en, "family": entry.family,
            "position": entry.position, "data": entry.as_dict(), "ruleset": ruleset, "active": True,
        }
        for entry in catalog.violations.values()
    }


def _election_values(catalog: Catalog, ruleset: RuleSet) -> dict[str, dict]:
    return {
        entry.id: {
            "title_id": entry.title.id, "title_en": entry.title.en, "regime": entry.regime,
            "voting_day": entry.voting_day, "data": entry.as_dict(), "ruleset": ruleset, "active": True,
        }
        for entry in catalog.elections.values()
    }


def _sync(model, wanted: dict[str, dict]) -> tuple[int, int, int]:
    """Upsert the wanted rows and deactivate the others: (created, updated, deactivated).

    Rows are never deleted: reports and cases keep pointing at an act that left the files.
    """
    created = updated = deactivated = 0
    # Locked so that two loads at once cannot both create the same row.
    existing = {row.pk: row for row in model.objects.select_for_update()}
    for pk, values in wanted.items():
        row = existing.get(pk)
        if row is None:
            model.objects.create(pk=pk, **values)
            created += 1
            continue
        changed = [name for name, value in values.items()
                   if (row.ruleset_id != value.pk if name == "ruleset" else getattr(row, name) != value)]
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            row.save(update_fields=changed)
            updated += 1
    gone = [pk for pk, row in existing.items() if pk not in wanted and row.active]
    if gone:
        deactivated = model.objects.filter(pk__in=gone).update(active=False)
    return created, updated, deactivated


@transaction.atomic
def rules_load(*, actor=None, data_dir: Path | str | None = None) -> RuleSet:
    """Validate the data files and make them the current rule set.

    A new version (SHA-256 of the files) gets a new RuleSet; the same version reuses its
    RuleSet. Violation and Election rows are upserted and pointed at it, rows whose id left
    the files are deactivated. Loading the same files twice changes nothing and records
    nothing; otherwise one audit entry "rules.loaded". Raises CatalogError for a broken file.
    """
    catalog = catalog_module.load_catalog(data_dir or catalog_module.DATA_DIR)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    previous = RuleSet.objects.exclude(version=catalog.version).order_by("-loaded_at", "-pk").first()
    ruleset, ruleset_created = RuleSet.objects.get_or_create(
        version=catalog.version, defaults={"content": catalog.content(), "loaded_by": actor},
    )
    v_created, v_updated, v_deactivated = _sync(Violation, _violation_values(catalog, ruleset))
    e_created, e_updated, e_deactivated = _sync(Election, _election_values(catalog, ruleset))
    summary = LoadSummary(
        version=catalog.version, ruleset_created=ruleset_created,
        created=v_created + e_created, updated=v_updated + e_updated,
        deactivated=v_deactivated + e_deactivated,
        violations=len(catalog.violations), elections=len(catalog.elections),
    )
    if summary.changed:
        changes = catalog_module.content_changes(previous.content, ruleset.content) if previous else []
        audit_record(actor=actor, action="rules.loaded", target=ruleset, data={
            "version": catalog.version, "previous_version": previous.version if previous else None,
            "violations": summary.violations, "elections": summary.elections,
            "created": summary.created, "updated": summary.updated, "deactivated": summary.deactivated,
            # Each changed entry and field with its old and new value (capped: the versions are stored whole).
            "changes": changes[:MAX_AUDITED_CHANGES], "changes_total": len(changes),
        })
    if data_dir is None:
        # The files under rules/data/ changed on disk: let this process read them again.
        catalog_module.default_catalog.cache_clear()
    ruleset.load_summary = summary
    return ruleset
