from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.permissions import AGENCY_ROLES, BAWASLU_ROLES, UNIT_ROLES, Role
from organizations.models import Agency, BawasluOffice, Unit


class User(AbstractUser):
    """A staff account. It belongs to a Bawaslu office or an agency, which fixes its jurisdiction."""

    Role = Role

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.BAWASLU_STAFF)
    bawaslu_office = models.ForeignKey(BawasluOffice, verbose_name=_("Bawaslu office"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="staff")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="staff")
    # A unit head's unit (and ``agency`` is then that unit's agency, which fixes the jurisdiction).
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text=_("For a unit head: the unit they lead."))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if self.role in BAWASLU_ROLES and not self.bawaslu_office_id:
            raise ValidationError({"bawaslu_office": _("Bawaslu staff must belong to a Bawaslu office.")})
        if self.role in AGENCY_ROLES and not self.agency_id:
            raise ValidationError({"agency": _("This role must belong to an agency.")})
        if self.role in UNIT_ROLES:
            if not self.unit_id:
                raise ValidationError({"unit": _("A unit head must belong to a unit.")})
            if self.agency_id and self.agency_id != self.unit.agency_id:
                raise ValidationError({"unit": _("The unit must belong to the account's agency.")})
            self.agency_id = self.unit.agency_id
        elif self.unit_id:
            raise ValidationError({"unit": _("Only a unit head belongs to a unit.")})

    @property
    def jurisdiction(self):
        """The region this account may see (with everything below it), or None."""
        if self.bawaslu_office_id:
            return self.bawaslu_office.region
        if self.agency_id:
            return self.agency.region
        return None

    @property
    def is_bawaslu(self) -> bool:
        """Bawaslu staff or leadership: the one answer (accounts.permissions.BAWASLU_ROLES)."""
        return self.role in BAWASLU_ROLES


class Invitation(models.Model):
    """A one-time link that lets an invited Pemda account set its password (accounts.invitations).

    Only the SHA-256 of the link's token is stored: a copy of the database opens no account.
    A link is good once, until ``expires_at``, while ``status`` is pending; sending it again
    replaces it (the old link then says so), and it can be revoked.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the invitee")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced by a newer link")

    user = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, verbose_name=_("invited by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("valid until"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.user.email} ({self.get_status_display()})"
