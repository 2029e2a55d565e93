"""Making, checking and revoking partner API tokens (services; every change audited)."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api.models import PartnerToken, Scope
from audit.services import audit_record

Role = User.Role
TOKEN_PREFIX = "ntr_"
MAX_DAYS = 366

# What each role may be given: a token never reaches further than its account.
#
# reports:submit (hand reports in, POST /api/v1/reports) goes to the accounts that run a
# complaint system people already use: a Bawaslu office (a province or regency complaint
# desk) and a Pemda's personnel agency (SILAPOR ASN and the like, where ASN and citizens
# complain about an employee). Their reports land at the competent Bawaslu office of the
# region, which must lie in the account's own jurisdiction. The PPK and the civil-service
# authority decide sanctions on the same cases; they do not file the complaints they will
# judge, so they are not given it (an administrator's token holds every scope).
ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.BAWASLU_STAFF: frozenset({Scope.CASES_READ, Scope.RECOMMENDATIONS_READ, Scope.EXCHANGE_READ,
                                   Scope.REPORTS_SUBMIT}),
    Role.BAWASLU_LEAD: frozenset({Scope.CASES_READ, Scope.RECOMMENDATIONS_READ, Scope.EXCHANGE_READ,
                                  Scope.REPORTS_SUBMIT}),
    Role.PEMDA_STAFF: frozenset({Scope.RECOMMENDATIONS_READ, Scope.RECOMMENDATIONS_WRITE, Scope.REGISTER_READ,
                                 Scope.REGISTER_WRITE, Scope.EXCHANGE_READ, Scope.REPORTS_SUBMIT}),
    Role.PPK: frozenset({Scope.RECOMMENDATIONS_READ, Scope.RECOMMENDATIONS_WRITE, Scope.EXCHANGE_READ}),
    Role.AUTHORITY: frozenset({Scope.RECOMMENDATIONS_READ, Scope.RECOMMENDATIONS_WRITE, Scope.EXCHANGE_READ}),
    Role.ADMIN: frozenset(Scope.values),
}


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def allowed_scopes(user) -> list[str]:
    return [scope for scope in Scope.values if scope in ROLE_SCOPES.get(user.role, ())]


def can_manage_tokens(actor, user) -> bool:
    """An administrator manages every partner's tokens; anyone else only their own."""
    return actor.is_authenticated and actor.is_active and (actor.role == Role.ADMIN or actor.pk == user.pk)


@transaction.atomic
def token_create(*, actor, user, name: str, scopes, days: int) -> tuple[PartnerToken, str]:
    """A new token and its secret; the secret is never stored and cannot be shown again."""
    if not can_manage_tokens(actor, user):
        raise PermissionDenied
    errors = {}
    if not name.strip():
        errors["name"] = _("Name the token after the system that will use it.")
    scopes = sorted(set(scopes))
    if not scopes:
        errors["scopes"] = _("Choose at least one scope.")
    elif not set(scopes) <= set(allowed_scopes(user)):
        errors["scopes"] = _("This account cannot be given these scopes.")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A token lasts from 1 to %(max)s days.") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
    token = PartnerToken.objects.create(name=name.strip(), user=user, prefix=prefix, key_hash=hash_key(raw),
                                        scopes=scopes, expires_at=timezone.now() + timedelta(days=days),
                                        created_by=actor)
    audit_record(actor=actor, action="api.token_created", target=token,
                 data={"prefix": prefix, "user": user.pk, "scopes": scopes, "expires_at": token.expires_at.isoformat()})
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: PartnerToken) -> PartnerToken:
    if not can_manage_tokens(actor, token.user):
        raise PermissionDenied
    token = PartnerToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action="api.token_revoked", target=token, data={"prefix": token.prefix})
    return token


def token_authenticate(raw: str) -> PartnerToken | None:
    """The active token for this secret, or None (unknown, expired, revoked, account disabled)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = PartnerToken.objects.select_related("user__agency__region", "user__bawaslu_office__region").filter(
        key_hash=hash_key(raw)).first()
    if token is None or not token.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
