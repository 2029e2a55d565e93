"""The hash chain as a pure function: no ORM, so it can be checked anywhere."""

import hashlib
import json

GENESIS = "0" * 64


def entry_hash(*, prev_hash: str, created_at: str, actor_id, actor_kind: str, action: str,
               target_type: str, target_id: str, data: dict) -> str:
    canonical = json.dumps(
        [prev_hash, created_at, actor_id, actor_kind, action, target_type, target_id, data],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
