from audit.chain import GENESIS, entry_hash
from audit.models import AuditEntry


def audit_chain_first_broken(batch_size: int = 5000) -> AuditEntry | None:
    """The first entry whose hash or link does not match, or None if the chain holds."""
    prev = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        expected = entry_hash(
            prev_hash=prev, created_at=entry.created_at.isoformat(), actor_id=entry.actor_id,
            actor_kind=entry.actor_kind, action=entry.action, target_type=entry.target_type,
            target_id=entry.target_id, data=entry.data,
        )
        if entry.prev_hash != prev or entry.hash != expected:
            return entry
        prev = entry.hash
    return None


def audit_entries_for(target) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .select_related("actor")
        .order_by("id")
    )
