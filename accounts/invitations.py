"""Bringing a Pemda in: inviting its PPK and personnel staff, each by a one-time e-mailed link.

An administrator (any regional government of the country) or the leadership of a province
Bawaslu office (the regional governments of its province) invites a person by name and e-mail.
The account is made at once, inactive and without a password; the e-mail carries a link whose
token is stored only as its SHA-256 (``Invitation.token_hash``). Following the link before it
expires, the person chooses a password (Django's validators): the link is spent, the account is
active, and the second-factor middleware (accounts.middleware) lets it open nothing until it has
enrolled its own authenticator app (accounts.views.SetupView). Sending again replaces the link
(the old one then answers that it was replaced); revoking ends it. Each change is one
transaction with its audit entry; the e-mail is sent last inside it, so a refused e-mail leaves
nothing recorded and the page says so.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Invitation, User
from accounts.permissions import PEMDA_ROLES, Capability, Role, can
from audit.services import audit_record
from organizations.models import Agency
from regions.models import Region

VALID_FOR = timedelta(days=7)

# Why a link no longer opens, in the words of the page that says so (accounts/invitation_closed.html).
CLOSED_REASONS = {
    "unknown": gettext_lazy("This invitation link is not valid. Check that you opened the whole link from the "
                            "e-mail, or ask the administrator who invited you for a new one."),
    "expired": gettext_lazy("This invitation link has expired. Ask the administrator who invited you to send "
                            "it again."),
    Invitation.Status.ACCEPTED: gettext_lazy("This invitation link has been used already. Log in with the "
                                             "password you chose."),
    Invitation.Status.REVOKED: gettext_lazy("This invitation was withdrawn. Ask the administrator who invited "
                                            "you if you think this is a mistake."),
    Invitation.Status.REPLACED: gettext_lazy("A newer invitation link was sent to you: open the link in the "
                                             "latest e-mail."),
}


class InvitationClosed(Exception):
    """The link does not open (any more): ``reason`` is a key of CLOSED_REASONS."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return str(CLOSED_REASONS[self.reason])


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def inviting_region(user) -> Region | None:
    """The region whose regional governments ``user`` may invite: the country for an
    administrator, its province for the leadership of a province office; None for anyone else
    (a regency office invites no one: its province does)."""
    if not can(user, Capability.INVITE_PEMDA):
        return None
    if user.role == Role.ADMIN:
        return Region.objects.filter(level=Region.Level.COUNTRY).first() or Region(code="ID", level=0)
    region = user.jurisdiction
    if region is not None and region.level <= Region.Level.PROVINCE:
        return region
    return None


def may_invite(user, agency: Agency) -> bool:
    region = inviting_region(user)
    return region is not None and agency.kind == Agency.Kind.REGIONAL and region.contains(agency.region)


def _require_may_invite(actor, agency: Agency) -> None:
    if not may_invite(actor, agency):
        raise PermissionDenied


def _new_link(*, user: User, actor: User, now) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(user=user, invited_by=actor, token_hash=token_hash(token),
                                           created_at=now, expires_at=now + VALID_FOR)
    return invitation, token


def _invitation_url(token: str) -> str:
    return settings.NETRAL_PUBLIC_URL + reverse("accounts:invitation_accept", args=[token])


def invitation_email(*, invitation: Invitation, token: str) -> EmailMessage:
    """The invitation: who invites, to which agency and role, the link and until when it holds."""
    user = invitation.user
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your Netral account for %(agency)s") % {"agency": user.agency.name}
        valid_until = timezone.localtime(invitation.expires_at).strftime("%d-%m-%Y %H:%M")
        body = "\n\n".join([
            _("Hello %(name)s,") % {"name": user.get_full_name() or user.email},
            _("You are invited to Netral, the system for the neutrality of civil servants in elections, as "
              "%(role)s of %(agency)s.") % {"role": user.get_role_display(), "agency": user.agency.name},
            _("Open this link to choose your password, then set up the authenticator app on your phone:")
            + f"\n{_invitation_url(token)}",
            _("The link works once, until %(date)s. Your login name is %(username)s.")
            % {"date": valid_until, "username": user.username},
            _("If you did not expect this e-mail, ignore it: without the link nothing happens."),
        ])
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email],
                        headers={"Auto-Submitted": "auto-generated"})


def _mail(invitation: Invitation, token: str) -> None:
    """Last inside the caller's transaction: a refusal rolls back the account and the audit entry."""
    try:
        invitation_email(invitation=invitation, token=token).send()
    except OSError as error:  # smtplib.SMTPException and a refused connection are OSErrors
        raise ValidationError(_("The e-mail could not be sent, so nothing was recorded. Try again later, or "
                                "ask the administrator of the installation to check the mail server."),
                              code="mail") from error


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    token: str  # the raw token: in the e-mail only, never stored


@transaction.atomic
def invitation_send(*, actor: User, agency: Agency, role: str, name: str, email: str, now=None) -> Sent:
    """Makes the account (inactive, no password) of a Pemda's PPK or personnel staff member and
    e-mails its one-time link."""
    _require_may_invite(actor, agency)
    if role not in PEMDA_ROLES:
        raise ValidationError(_("Only the PPK and the personnel staff of a local government are invited here."))
    email = email.strip().lower()
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with this e-mail address exists already."), code="taken")
    now = now or timezone.now()
    user = User(username=email, email=email, first_name=name.strip()[:150], role=role, agency=agency,
                is_active=False)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    invitation, token = _new_link(user=user, actor=actor, now=now)
    audit_record(actor=actor, action="invitation.sent", target=user,
                 data={"agency": agency.pk, "role": role, "invitation": invitation.pk})
    _mail(invitation, token)
    return Sent(invitation=invitation, token=token)


def _lock_latest(user: User) -> Invitation | None:
    return Invitation.objects.select_for_update().filter(user=user).order_by("-created_at", "-id").first()


@transaction.atomic
def invitation_resend(*, actor: User, user: User, now=None) -> Sent:
    """A new link for an account that has not accepted yet; the old link stops working."""
    _require_may_invite(actor, user.agency)
    now = now or timezone.now()
    User.objects.select_for_update().get(pk=user.pk)  # one resend at a time per account
    latest = _lock_latest(user)
    if latest is None or latest.status == Invitation.Status.ACCEPTED or user.has_usable_password():
        raise ValidationError(_("This person has accepted the invitation already."), code="accepted")
    replaced = list(Invitation.objects.filter(user=user, status=Invitation.Status.PENDING).values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=replaced).update(status=Invitation.Status.REPLACED, closed_at=now)
    invitation, token = _new_link(user=user, actor=actor, now=now)
    audit_record(actor=actor, action="invitation.resent", target=user,
                 data={"invitation": invitation.pk, "replaced": replaced})
    _mail(invitation, token)
    return Sent(invitation=invitation, token=token)


@transaction.atomic
def invitation_revoke(*, actor: User, user: User, now=None) -> Invitation:
    """Ends the pending link of an account that has not accepted; the account stays inactive."""
    _require_may_invite(actor, user.agency)
    latest = _lock_latest(user)
    if latest is None or latest.status != Invitation.Status.PENDING:
        raise ValidationError(_("There is no open invitation to withdraw."), code="not_pending")
    latest.status, latest.closed_at = Invitation.Status.REVOKED, now or timezone.now()
    latest.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="invitation.revoked", target=user, data={"invitation": latest.pk})
    return latest


def invitation_open(*, token: str, now=None, lock: bool = False) -> Invitation:
    """The pending, unexpired invitation of ``token``, or InvitationClosed saying why not."""
    invitations = Invitation.objects.select_related("user", "user__agency")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token)).first() if token else None
    if invitation is None:
        raise InvitationClosed("unknown")
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationClosed(invitation.status)
    if (now or timezone.now()) >= invitation.expires_at:
        raise InvitationClosed("expired")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, now=None) -> User:
    """Spends the link: the password is set and the account active. The caller checked the
    password with Django's validators (accounts.invitation_forms.AcceptForm)."""
    now = now or timezone.now()
    invitation = invitation_open(token=token, now=now, lock=True)
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.status, invitation.closed_at = Invitation.Status.ACCEPTED, now
    invitation.save(update_fields=["status", "closed_at"])
    audit_record(actor=user, action="invitation.accepted", target=user, data={"invitation": invitation.pk})
    return user
