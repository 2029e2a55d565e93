"""Who may exchange an agency's register, and the log of every exchange (file or API)."""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from organizations.models import Agency
from registry.models import ExchangeLog, ImportJob

if TYPE_CHECKING:
    from accounts.models import User


def can_exchange_register(*, user: "User", agency: Agency | None = None) -> bool:
    """Pemda personnel staff for their own agency; administrators for any agency."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == user.Role.ADMIN:
        return True
    if user.role == user.Role.PEMDA_STAFF and user.agency_id:
        return agency is None or agency.pk == user.agency_id
    return False


def require_exchange(*, actor: "User", agency: Agency | None) -> None:
    """PermissionDenied unless ``actor`` may exchange ``agency``'s register."""
    if not can_exchange_register(user=actor, agency=agency):
        raise PermissionDenied


def exchange_log_record(*, direction: str, dataset: str, partner: str, rows: int, checksum: str = "",
                        agency: Agency | None = None, actor: "User | None" = None,
                        channel: str = ExchangeLog.Channel.FILE, file_format: str = "",
                        job: ImportJob | None = None) -> ExchangeLog:
    """One exchange, in the caller's transaction (an API call passes its token's partner label)."""
    return ExchangeLog.objects.create(
        direction=direction, dataset=dataset, partner=partner[:200], rows=rows, checksum=checksum, agency=agency,
        actor=actor if getattr(actor, "is_authenticated", False) else None, channel=channel, format=file_format,
        job=job,
    )
