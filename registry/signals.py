"""Register entries changed outside an import: the hooks of registry.hooks called for them too.

An import's commit calls the hooks itself (registry.services.commit). What else changes what the
hooks read is a save of a model instance: an entry moved to another unit or agency in the admin, a
unit or an agency renamed there. Before such a save, one query reads the stored values (only for an
existing row, and only when the save writes a watched field); after it, if they differ, the hooks of
the changed fields receive the entries concerned, as a subquery: the one entry, or every entry of
the renamed unit or agency (a regency's 20,000 cost the hooks one query for their names). In the
transaction of the save: the admin saves inside one, so the edit and what follows from it commit
or roll back together; a save in autocommit gets its own transaction for the hooks.

Writes past the models (a queryset's update(), raw SQL) send no signal: the nightly
``refresh_person_keys`` still catches those (cases.person_key).
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_save

from organizations.models import Agency, Unit
from registry.hooks import entries_edited
from registry.models import Employee

# model -> {attribute: the hooks' field it is}
WATCHED = {
    Employee: {"unit_id": "unit", "agency_id": "agency"},
    Unit: {"name": "unit"},
    Agency: {"name": "agency"},
}
# model -> the entries a change of one of its rows concerns: Employee's field holding that row's id
ENTRIES = {Employee: "pk", Unit: "unit_id", Agency: "agency_id"}
_BEFORE = "_registry_hooks_before"


def _watched(sender, update_fields) -> dict[str, str]:
    attributes = WATCHED[sender]
    if update_fields is None:
        return attributes
    written = {sender._meta.get_field(name).attname for name in update_fields}
    return {attribute: field for attribute, field in attributes.items() if attribute in written}


def _remember(sender, instance, raw=False, update_fields=None, **kwargs):
    attributes = _watched(sender, update_fields)
    if raw or instance.pk is None or not attributes:
        return
    stored = sender._base_manager.filter(pk=instance.pk).values(*attributes).first()
    if stored is not None:
        setattr(instance, _BEFORE, stored)


def _compare(sender, instance, created=False, raw=False, **kwargs):
    before = instance.__dict__.pop(_BEFORE, None)
    if raw or created or before is None:
        return
    fields = {WATCHED[sender][attribute] for attribute, value in before.items()
              if getattr(instance, attribute) != value}
    if not fields:
        return
    entries = Employee._base_manager.filter(**{ENTRIES[sender]: instance.pk})
    with transaction.atomic(savepoint=False):
        entries_edited(employee_ids=entries.order_by().values_list("pk", flat=True), fields=fields)


def connect() -> None:
    for model in WATCHED:
        pre_save.connect(_remember, sender=model, dispatch_uid=f"registry.hooks.remember.{model.__name__}")
        post_save.connect(_compare, sender=model, dispatch_uid=f"registry.hooks.compare.{model.__name__}")
