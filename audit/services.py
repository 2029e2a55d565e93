from django.db import models, transaction
from django.utils import timezone

from audit.actions import UnregisteredAction, is_registered
from audit.chain import GENESIS, entry_hash
from audit.models import AuditEntry, ChainHead


def _target_label(target) -> tuple[str, str]:
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    kind, _sep, pk = str(target).partition(":")
    return kind, pk


@transaction.atomic
def audit_record(*, actor, action: str, target, data: dict | None = None,
                 actor_kind: str | None = None) -> AuditEntry:
    """Append an audit entry inside the caller's transaction.

    ``actor`` is a user, or None for a reporter (anonymous by design) or the system.
    ``data`` must never carry a reporter's identity: it is readable by every auditor.
    """
    if not is_registered(action):
        raise UnregisteredAction(f"audit action {action!r} is not in audit/actions.py: register it with a description")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    kind = actor_kind or (AuditEntry.ActorKind.STAFF if actor else AuditEntry.ActorKind.SYSTEM)
    head, _created = ChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
    # The lock serialises appends across processes: the chain has a single order.
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    target_type, target_id = _target_label(target)
    created_at = timezone.now()
    data = data or {}
    digest = entry_hash(
        prev_hash=head.last_hash, created_at=created_at.isoformat(), actor_id=actor.pk if actor else None,
        actor_kind=kind, action=action, target_type=target_type, target_id=target_id, data=data,
    )
    entry = AuditEntry.objects.create(
        created_at=created_at, actor=actor, actor_kind=kind, action=action, target_type=target_type,
        target_id=target_id, data=data, prev_hash=head.last_hash, hash=digest,
    )
    head.last_hash = digest
    head.save(update_fields=["last_hash"])
    return entry
